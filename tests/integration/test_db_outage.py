"""Database outage (reliability.md scenario 9), scaled to CI: a PostgreSQL cluster of the
test's own is stopped with `pg_ctl stop -m immediate` at 40 % progress and started again
OUTAGE seconds later. Stages that meet the dead database retry with jittered backoff, capped
at 10 s here (the test profile's 2 s cap would spend the 12 retries in about 12 s). No stage
may run out of retries, so every URL ends stored exactly once without reconcile's help."""

from __future__ import annotations

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
    wait_until_settled,
)
from tests.support.httpserver import ScriptedServer
from tests.support.private_postgres import PrivatePostgres, postgres_bin
from worker import pipeline, tasks
from worker.discover.canonical import canonicalize_url
from worker.store import articles
from worker.store.engine import make_engine
from worker.store.migrate import upgrade

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(postgres_bin() is None, reason="no PostgreSQL server binaries"),
]
N = 120
OUTAGE = 20.0  # seconds; the scenario's 120 s, scaled with the backoff cap
BACKOFF = {"INGEST_RETRY_BACKOFF_MAX": "10"}


@pytest.fixture
def private_engine() -> Iterator[tuple[PrivatePostgres, Engine]]:
    with PrivatePostgres() as pg:
        engine = make_engine(pg.url)
        upgrade(engine)
        yield pg, engine
        engine.dispose()


@pytest.fixture
def origin() -> Iterator[ScriptedServer]:
    with article_origin(N, delay=0.05) as srv:
        yield srv


def test_postgres_stopped_mid_run_loses_nothing(
    private_engine: tuple[PrivatePostgres, Engine], origin: ScriptedServer, tmp_path: Path
) -> None:
    pg, engine = private_engine
    log = tmp_path / "worker.log"
    worker = CeleryWorker(pg.url, log, BACKOFF)
    try:
        urls = [origin.url(f"/a/{i}") for i in range(N)]
        pipeline.intake(engine, urls, tasks.publish_best_effort)
        assert poll(lambda: stored_count(engine) >= N * 4 // 10, timeout=120)
        pg.stop("immediate")
        stopped_at = time.monotonic()
        time.sleep(OUTAGE)
        pg.start()
        finished = poll(lambda: stored_count(engine) == N, timeout=90)
        recovered_in = time.monotonic() - stopped_at
        rows = wait_until_settled(engine, [canonicalize_url(u) for u in urls], timeout=30)
    finally:
        worker.stop()
    text = log.read_text(errors="replace")
    gave_up = text.count("raised unexpected")
    print(
        f"\nstored {stored_count(engine)}/{N}, {recovered_in:.1f} s after the stop; "
        f"{text.count('retry: Retry in')} retries while the database was away; "
        f"{gave_up} tasks ran out of retries"
    )
    assert finished and gave_up == 0
    assert {r["state"] for r in rows.values()} == {"stored"}
    assert articles.count(engine) == N
