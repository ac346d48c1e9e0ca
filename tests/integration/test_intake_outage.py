"""Redis down during intake (reliability.md scenario 6): `ingest enqueue` while the broker is
stopped. Intake commits each ledger row before it publishes, and the publish is best effort,
so every call answers "accepted" quickly; once Redis is back (empty), reconcile queues the
recorded rows and every URL is stored. Everything runs against a Redis of the test's own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.integration.conftest import (
    CeleryWorker,
    article_origin,
    poll,
    stored_count,
)
from tests.support.celery_worker import RealBeat
from tests.support.httpserver import ScriptedServer
from tests.support.private_redis import PrivateRedis
from worker.models import UrlState
from worker.store import ledger

pytestmark = pytest.mark.integration
CALLS = 10
PER_CALL = 5
MAX_CALL_SECONDS = 6.0  # reliability.md I1: intake never waits long on the broker


@pytest.fixture
def origin() -> Iterator[ScriptedServer]:
    with article_origin(CALLS * PER_CALL) as srv:
        yield srv


def test_enqueue_while_redis_is_down_loses_nothing(
    origin: ScriptedServer, sqlite_engine: Engine, tmp_path: Path
) -> None:
    broker = PrivateRedis(tmp_path)  # not started yet: Redis is down
    env = {
        **os.environ,
        "INGEST_REDIS_URL": broker.url,
        "INGEST_DATABASE_URL": str(sqlite_engine.url),
    }
    took = []
    for call in range(CALLS):
        urls = [origin.url(f"/a/{call * PER_CALL + i}") for i in range(PER_CALL)]
        started = time.monotonic()
        enqueue = subprocess.run(
            [sys.executable, "-m", "worker.cli", "enqueue", *urls],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        took.append(time.monotonic() - started)
        assert enqueue.returncode == 0, enqueue.stdout + enqueue.stderr
        assert f"accepted {PER_CALL}" in enqueue.stdout
        assert "reconcile" in enqueue.stdout + enqueue.stderr  # says where the URLs went
    counts = ledger.state_counts(sqlite_engine)
    assert counts == {UrlState.queued.value: CALLS * PER_CALL}  # a row for each accepted URL
    print(f"\n{CALLS} enqueue calls with Redis down, slowest {max(took):.2f} s")
    assert max(took) <= MAX_CALL_SECONDS

    # Redis is back, empty; beat's reconcile finds the recorded rows (staleness shortened).
    env = {"INGEST_REDIS_URL": broker.url, "INGEST_DATABASE_URL": str(sqlite_engine.url),
           "INGEST_RECONCILE_INTERVAL": "2", "INGEST_RECONCILE_STALENESS": "1",
           "INGEST_CRAWL_SOURCES": "no-source"}  # fmt: skip
    with broker:
        worker = CeleryWorker(str(sqlite_engine.url), tmp_path / "worker.log", env)
        beat = RealBeat(tmp_path, env)
        try:
            stored = poll(lambda: stored_count(sqlite_engine) == CALLS * PER_CALL, timeout=120)
        finally:
            beat.stop()
            worker.stop()
    assert stored, f"stored {stored_count(sqlite_engine)} of {CALLS * PER_CALL}"
    assert "re-published" in worker.log.read_text(errors="replace")
