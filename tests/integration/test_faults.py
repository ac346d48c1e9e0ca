"""Faults the ledger must survive with nothing lost and nothing stored twice: Redis emptied
mid-run (no persistence), and the whole worker SIGKILLed mid-task. Reconcile runs with a clock
moved past the staleness window instead of waiting minutes of real time."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine, func, select

from tests.integration.conftest import REDIS_URL, WORKER_ENV, CeleryWorker, poll, wait_until_settled
from tests.support.articles import article_html
from tests.support.httpserver import Reply, ScriptedServer
from worker import pipeline, tasks
from worker.discover.canonical import canonicalize_url
from worker.settings import Settings
from worker.store import articles, ledger
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.tables import urls

pytestmark = pytest.mark.integration
N = 120


@pytest.fixture
def origin() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        for i in range(N):
            # Slow enough that a run is still going when the fault strikes.
            srv.route(f"/a/{i}", Reply(body=article_html(i), delay=0.05))
        yield srv


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'faults.db'}")
    upgrade(engine)
    return engine


def _stored(engine: Engine) -> int:
    with engine.connect() as conn:
        return (
            conn.scalar(select(func.count()).select_from(urls).where(urls.c.state == "stored")) or 0
        )


def _reconcile_later(engine: Engine) -> int:
    """Reconcile as beat would, once the staleness window has passed."""
    settings = Settings(reconcile_staleness=float(WORKER_ENV["INGEST_RECONCILE_STALENESS"]))
    later = lambda: pipeline.utcnow() + timedelta(seconds=settings.reconcile_staleness + 60)  # noqa: E731
    svc = pipeline.Services(engine=engine, settings=settings, clock=later)
    return pipeline.reconcile(svc, tasks.publish)


def _assert_exactly_once(engine: Engine, origin: ScriptedServer) -> None:
    rows = wait_until_settled(engine, [canonicalize_url(origin.url(f"/a/{i}")) for i in range(N)])
    assert {r["state"] for r in rows.values()} == {"stored"}
    assert articles.count(engine) == N  # UNIQUE(canonical_url): a second copy cannot exist
    with engine.connect() as conn:
        hashes = conn.execute(select(articles.articles.c.content_hash)).scalars().all()
    assert len(set(hashes)) == N


def test_redis_emptied_mid_run_loses_nothing(
    origin: ScriptedServer, engine: Engine, tmp_path: Path
) -> None:
    prefix = os.environ["INGEST_REDIS_KEY_PREFIX"]
    worker = CeleryWorker(str(engine.url), tmp_path / "worker.log")
    try:
        pipeline.intake(
            engine, [origin.url(f"/a/{i}") for i in range(N)], tasks.publish_best_effort
        )
        assert poll(lambda: _stored(engine) >= N // 4, timeout=120)
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        client.delete(*keys)  # every queued, unacked and in-flight chain message is gone
        stranded_before = N - _stored(engine)
        assert stranded_before > 0, "the run finished before the fault; make the origin slower"
        poll(lambda: False, timeout=3)  # let in-flight tasks finish their current step
        assert _reconcile_later(engine) > 0
        _assert_exactly_once(engine, origin)
    finally:
        worker.stop()


# Short limits, so the dead worker's leases (hard limit + 15 s) run out within the test.
SHORT = {f"INGEST_{stage}_TIME_LIMIT": "8" for stage in ("FETCH", "PARSE", "STORE")}


def test_worker_sigkilled_mid_run_loses_nothing(
    origin: ScriptedServer, engine: Engine, tmp_path: Path
) -> None:
    worker = CeleryWorker(str(engine.url), tmp_path / "worker1.log", SHORT)
    try:
        pipeline.intake(
            engine, [origin.url(f"/a/{i}") for i in range(N)], tasks.publish_best_effort
        )
        assert poll(lambda: _stored(engine) >= N // 4, timeout=120)
        os.killpg(worker.proc.pid, signal.SIGKILL)  # main process and children, mid-task
        worker.proc.wait()
        assert _stored(engine) < N
    finally:
        worker.stop()
    # A new worker: unacked messages come back after the visibility timeout, and rows whose
    # lease the dead worker held are re-published by reconcile. Both paths dedup on the claim.
    replacement = CeleryWorker(str(engine.url), tmp_path / "worker2.log", SHORT)
    try:
        poll(lambda: False, timeout=Settings(fetch_time_limit=8).lease_seconds(8) + 1)
        assert _reconcile_later(engine) > 0
        _assert_exactly_once(engine, origin)
        for i in range(N):
            row = ledger.url_row(engine, canonicalize_url(origin.url(f"/a/{i}")))
            assert row is not None and row["attempts"] == 0  # back to zero once stored
    finally:
        replacement.stop()


def test_sqlite_write_lock_held_outside_is_waited_out(
    origin: ScriptedServer, engine: Engine, tmp_path: Path
) -> None:
    import sqlite3
    import time

    worker = CeleryWorker(str(engine.url), tmp_path / "worker.log")
    try:
        pipeline.intake(
            engine, [origin.url(f"/a/{i}") for i in range(20)], tasks.publish_best_effort
        )
        blocker = sqlite3.connect(engine.url.database, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # another program holds the database for 5 s
        time.sleep(5)
        blocker.execute("COMMIT")
        blocker.close()
        assert poll(lambda: _stored(engine) == 20, timeout=120)
    finally:
        worker.stop()
    assert "database is locked" not in worker.log.read_text(errors="replace")
