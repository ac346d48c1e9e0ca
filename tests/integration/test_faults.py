"""Faults the ledger must survive with nothing lost and nothing stored twice: Redis emptied
mid-run (no persistence), the whole worker SIGKILLed mid-task, pool children SIGKILLed one by
one, and another program holding the SQLite write lock. Reconcile runs at once after the
emptied Redis (the broker's marker is gone with it); after the kills it runs with a clock
moved past the staleness window instead of waiting minutes of real time."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine, select

from tests.integration.conftest import (
    REDIS_URL,
    WORKER_ENV,
    CeleryWorker,
    article_origin,
    poll,
    reconcile_later,
    stored_count,
    wait_until_settled,
)
from tests.support.httpserver import ScriptedServer
from tests.support.procs import group_members
from worker import pipeline, tasks
from worker.discover.canonical import canonicalize_url
from worker.settings import Settings
from worker.store import articles, ledger

pytestmark = pytest.mark.integration
N = 120


@pytest.fixture
def origin() -> Iterator[ScriptedServer]:
    with article_origin(N, delay=0.05) as srv:  # slow enough that the fault strikes mid-run
        yield srv


def _assert_exactly_once(sqlite_engine: Engine, origin: ScriptedServer) -> None:
    rows = wait_until_settled(
        sqlite_engine, [canonicalize_url(origin.url(f"/a/{i}")) for i in range(N)]
    )
    unstored = [r for r in rows.values() if r["state"] != "stored"]
    assert not unstored, unstored
    assert articles.count(sqlite_engine) == N  # UNIQUE(canonical_url): a second copy cannot exist
    with sqlite_engine.connect() as conn:
        hashes = conn.execute(select(articles.articles.c.content_hash)).scalars().all()
    assert len(set(hashes)) == N


def test_redis_emptied_mid_run_loses_nothing(
    origin: ScriptedServer, sqlite_engine: Engine, tmp_path: Path
) -> None:
    prefix = os.environ["INGEST_REDIS_KEY_PREFIX"]
    worker = CeleryWorker(str(sqlite_engine.url), tmp_path / "worker.log")
    try:
        pipeline.intake(
            sqlite_engine, [origin.url(f"/a/{i}") for i in range(N)], tasks.publish_best_effort
        )
        assert poll(lambda: stored_count(sqlite_engine) >= N // 4, timeout=120)
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        client.delete(*keys)  # every queued, unacked and in-flight chain message is gone
        stranded_before = N - stored_count(sqlite_engine)
        assert stranded_before > 0, "the run finished before the fault; make the origin slower"
        poll(lambda: False, timeout=3)  # let in-flight tasks finish their current step
        # No clock moved past the staleness window (100 s here): the broker's marker went
        # with the deleted keys, so reconcile knows the queues are gone and acts at once.
        settings = Settings(reconcile_staleness=float(WORKER_ENV["INGEST_RECONCILE_STALENESS"]))
        svc = pipeline.Services(engine=sqlite_engine, settings=settings)
        emptied = tasks.broker_emptied_at(pipeline.utcnow())
        assert pipeline.reconcile(svc, tasks.publish, broker_emptied=emptied) > 0
        _assert_exactly_once(sqlite_engine, origin)
        assert tasks.broker_emptied_at(pipeline.utcnow()) == emptied  # set once, then kept
    finally:
        worker.stop()


# Short limits, so the dead worker's leases (hard limit + 15 s) run out within the test.
SHORT = {f"INGEST_{stage}_TIME_LIMIT": "8" for stage in ("FETCH", "PARSE", "STORE")}


def test_worker_sigkilled_mid_run_loses_nothing(
    origin: ScriptedServer, sqlite_engine: Engine, tmp_path: Path
) -> None:
    worker = CeleryWorker(str(sqlite_engine.url), tmp_path / "worker1.log", SHORT)
    try:
        pipeline.intake(
            sqlite_engine, [origin.url(f"/a/{i}") for i in range(N)], tasks.publish_best_effort
        )
        assert poll(lambda: stored_count(sqlite_engine) >= N // 4, timeout=120)
        os.killpg(worker.proc.pid, signal.SIGKILL)  # main process and children, mid-task
        worker.proc.wait()
        assert stored_count(sqlite_engine) < N
    finally:
        worker.stop()
    # A new worker: unacked messages come back after the visibility timeout, and rows whose
    # lease the dead worker held are re-published by reconcile. Both paths dedup on the claim.
    replacement = CeleryWorker(str(sqlite_engine.url), tmp_path / "worker2.log", SHORT)
    try:
        poll(lambda: False, timeout=Settings(fetch_time_limit=8).lease_seconds(8) + 1)
        assert reconcile_later(sqlite_engine) > 0
        _assert_exactly_once(sqlite_engine, origin)
        for i in range(N):
            row = ledger.url_row(sqlite_engine, canonicalize_url(origin.url(f"/a/{i}")))
            assert row is not None and row["attempts"] == 0  # back to zero once stored
    finally:
        replacement.stop()


CHILD_KILLS = 6


def test_pool_children_sigkilled_mid_task_lose_nothing(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """Scenario 3, scaled: a pool child (never the main process) SIGKILLed mid-task again and
    again. reject_on_worker_lost requeues its message at once, so the run needs neither the
    visibility timeout nor reconcile, and the main process lives through it. A second apart,
    so that one URL is not struck three times running (that would rightly make it poison)."""
    import time

    worker = CeleryWorker(str(sqlite_engine.url), tmp_path / "worker.log")
    main = worker.proc.pid
    kills = 0
    with article_origin(N, delay=0.15) as origin:
        try:
            pipeline.intake(
                sqlite_engine, [origin.url(f"/a/{i}") for i in range(N)], tasks.publish_best_effort
            )
            while kills < CHILD_KILLS and stored_count(sqlite_engine) < N:
                time.sleep(1.0)
                children = [pid for pid in group_members(main) if pid != main]
                if children:
                    os.kill(children[kills % len(children)], signal.SIGKILL)
                    kills += 1
            assert kills == CHILD_KILLS, "the run finished before the faults; slow the origin"
            _assert_exactly_once(sqlite_engine, origin)
            assert worker.proc.poll() is None  # the main process never restarted
        finally:
            worker.stop()
    lost = worker.log.read_text(errors="replace").count("Task handler raised error: WorkerLost")
    print(f"\n{kills} children killed, {lost} of them mid-task; {N} stored exactly once")
    assert lost >= 1  # at least one kill struck a task, not an idle child


def test_sqlite_write_lock_held_outside_is_waited_out(
    origin: ScriptedServer, sqlite_engine: Engine, tmp_path: Path
) -> None:
    import sqlite3
    import time

    worker = CeleryWorker(str(sqlite_engine.url), tmp_path / "worker.log")
    try:
        pipeline.intake(
            sqlite_engine, [origin.url(f"/a/{i}") for i in range(20)], tasks.publish_best_effort
        )
        blocker = sqlite3.connect(sqlite_engine.url.database, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # another program holds the database for 5 s
        time.sleep(5)
        blocker.execute("COMMIT")
        blocker.close()
        assert poll(lambda: stored_count(sqlite_engine) == 20, timeout=120)
    finally:
        worker.stop()
    assert "database is locked" not in worker.log.read_text(errors="replace")
