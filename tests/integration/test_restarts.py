"""Rolling restarts (reliability.md scenario 14): the worker is stopped with SIGTERM, as a
deploy does, and started again, several times mid-run. With `REMAP_SIGTERM=SIGQUIT` Celery's
soft shutdown hands in-flight and ETA messages back to Redis at once, so the run finishes
without waiting out the visibility timeout and without reconcile, and nothing is stored twice."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests.integration.conftest import WORKER_ENV, CeleryWorker, poll
from tests.support.articles import article_html
from tests.support.httpserver import Reply, ScriptedServer
from worker import pipeline, tasks
from worker.store import articles
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.tables import urls

pytestmark = pytest.mark.integration
N = 80
RESTARTS = 2


@pytest.fixture
def origin() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        for i in range(N):
            srv.route(f"/a/{i}", Reply(body=article_html(i), delay=0.2))
        yield srv


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'restarts.db'}")
    upgrade(engine)
    return engine


def _stored(engine: Engine) -> int:
    with engine.connect() as conn:
        query = select(func.count()).select_from(urls).where(urls.c.state == "stored")
        return conn.scalar(query) or 0


def test_rolling_restarts_lose_nothing_and_wait_for_no_timeout(
    origin: ScriptedServer, engine: Engine, tmp_path: Path
) -> None:
    env = {"REMAP_SIGTERM": "SIGQUIT"}
    pipeline.intake(engine, [origin.url(f"/a/{i}") for i in range(N)], tasks.publish_best_effort)
    progress = []
    for n in range(RESTARTS):
        worker = CeleryWorker(str(engine.url), tmp_path / f"worker{n}.log", env)
        # Stop mid-run, at a share of the work, whatever this machine's speed.
        share = (n + 1) * N // (RESTARTS + 2)
        assert poll(lambda: _stored(engine) >= share, timeout=120)  # noqa: B023
        os.kill(worker.proc.pid, signal.SIGTERM)  # the main process only, as a deploy does
        worker.proc.wait(timeout=30)
        progress.append(_stored(engine))
    assert progress[-1] < N, "the run finished before the last restart; slow the origin"

    started = time.monotonic()
    worker = CeleryWorker(str(engine.url), tmp_path / "final.log", env)
    try:
        # Far below the visibility timeout: nothing had to wait for Redis to give it back.
        visibility = float(WORKER_ENV["INGEST_VISIBILITY_TIMEOUT"])
        assert poll(lambda: _stored(engine) == N, timeout=visibility / 2), (
            f"stored {_stored(engine)} of {N} after restarts at {progress}"
        )
    finally:
        worker.stop()
    print(f"\nstored after each restart: {progress}; rest in {time.monotonic() - started:.1f} s")
    assert articles.count(engine) == N
    with engine.connect() as conn:
        assert conn.scalar(select(func.max(urls.c.attempts))) == 0  # every row finished clean
