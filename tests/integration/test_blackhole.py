"""A silent network drop between the worker and Redis (reliability.md scenario 7): a proxy
holds every byte both ways, closing nothing. The worker notices through its socket timeout and
health checks, consumes again once traffic flows, and with reconcile for what the drop
stranded, every URL is stored exactly once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine

from tests.integration.conftest import (
    REDIS_URL,
    CeleryWorker,
    article_origin,
    poll,
    reconcile_later,
    stored_count,
)
from tests.support.httpserver import ScriptedServer
from tests.support.tcpproxy import BlackholeProxy
from worker import pipeline, tasks
from worker.settings import Settings
from worker.store import articles

pytestmark = pytest.mark.integration
N = 80
DROP = 40.0  # seconds; longer than the 30 s socket timeout, so the loss must be noticed


@pytest.fixture
def origin() -> Iterator[ScriptedServer]:
    with article_origin(N, delay=0.1) as srv:
        yield srv


def test_silent_drop_to_redis_is_noticed_and_loses_nothing(
    origin: ScriptedServer, sqlite_engine: Engine, tmp_path: Path
) -> None:
    redis_at = urlsplit(REDIS_URL)
    log = tmp_path / "worker.log"
    with BlackholeProxy((redis_at.hostname or "127.0.0.1", redis_at.port or 6379)) as proxy:
        via_proxy = redis_at._replace(netloc=f"127.0.0.1:{proxy.port}").geturl()
        worker = CeleryWorker(str(sqlite_engine.url), log, {"INGEST_REDIS_URL": via_proxy})
        try:
            pipeline.intake(
                sqlite_engine, [origin.url(f"/a/{i}") for i in range(N)], tasks.publish_best_effort
            )
            assert poll(lambda: stored_count(sqlite_engine) >= N // 4, timeout=120)
            proxy.blackhole()
            dropped_at = time.monotonic()
            # Nothing is closed, so only a timeout can tell: the worker must say so (the main
            # process when an ack times out, or a child when its Redis call does).
            assert poll(lambda: "TimeoutError" in log.read_text(), timeout=DROP)
            noticed = time.monotonic() - dropped_at
            poll(lambda: False, timeout=max(0.0, DROP - noticed))
            stored_during = stored_count(sqlite_engine)
            proxy.restore()
            restored_at = time.monotonic()
            assert poll(lambda: stored_count(sqlite_engine) > stored_during, timeout=60)
            resumed = time.monotonic() - restored_at

            # What the drop stranded (chain steps whose publish timed out, unacked messages)
            # comes back through reconcile once the leases have run out.
            lease = Settings(fetch_time_limit=20).lease_seconds(20)
            deadline = time.monotonic() + lease + 120
            while stored_count(sqlite_engine) < N and time.monotonic() < deadline:
                poll(lambda: stored_count(sqlite_engine) == N, timeout=10)
                reconcile_later(sqlite_engine)
        finally:
            worker.stop()
    print(
        f"\nloss logged after {noticed:.1f} s, {stored_during} stored when restored, "
        f"consuming again {resumed:.1f} s after restore"
    )
    assert stored_count(sqlite_engine) == N
    assert articles.count(sqlite_engine) == N
