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

from tests.integration.conftest import (
    WORKER_ENV,
    CeleryWorker,
    article_origin,
    poll,
    stored_count,
)
from tests.support.httpserver import ScriptedServer
from worker import pipeline, tasks
from worker.store import articles
from worker.store.tables import urls

pytestmark = pytest.mark.integration
N = 80
RESTARTS = 2


@pytest.fixture
def origin() -> Iterator[ScriptedServer]:
    with article_origin(N, delay=0.2) as srv:
        yield srv


def test_rolling_restarts_lose_nothing_and_wait_for_no_timeout(
    origin: ScriptedServer, sqlite_engine: Engine, tmp_path: Path
) -> None:
    env = {"REMAP_SIGTERM": "SIGQUIT"}
    pipeline.intake(
        sqlite_engine, [origin.url(f"/a/{i}") for i in range(N)], tasks.publish_best_effort
    )
    progress = []
    for n in range(RESTARTS):
        worker = CeleryWorker(str(sqlite_engine.url), tmp_path / f"worker{n}.log", env)
        # Stop mid-run, at a share of the work, whatever this machine's speed.
        share = (n + 1) * N // (RESTARTS + 2)
        assert poll(lambda: stored_count(sqlite_engine) >= share, timeout=120)  # noqa: B023
        os.kill(worker.proc.pid, signal.SIGTERM)  # the main process only, as a deploy does
        worker.proc.wait(timeout=30)
        progress.append(stored_count(sqlite_engine))
    assert progress[-1] < N, "the run finished before the last restart; slow the origin"

    started = time.monotonic()
    worker = CeleryWorker(str(sqlite_engine.url), tmp_path / "final.log", env)
    try:
        # Far below the visibility timeout: nothing had to wait for Redis to give it back.
        visibility = float(WORKER_ENV["INGEST_VISIBILITY_TIMEOUT"])
        assert poll(lambda: stored_count(sqlite_engine) == N, timeout=visibility / 2), (
            f"stored {stored_count(sqlite_engine)} of {N} after restarts at {progress}"
        )
    finally:
        worker.stop()
    print(f"\nstored after each restart: {progress}; rest in {time.monotonic() - started:.1f} s")
    assert articles.count(sqlite_engine) == N
    with sqlite_engine.connect() as conn:
        assert conn.scalar(select(func.max(urls.c.attempts))) == 0  # every row finished clean
