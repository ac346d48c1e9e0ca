"""Pages that kill or hang the parse step (reliability.md scenarios 4 and 13): each ends in a
terminal state with its reason after the attempt cap, without a hot loop, and every other
URL is stored. The faults come from `tests.support.faulty_app`, outside the production code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.integration.conftest import (
    CeleryWorker,
    article_origin,
    poll,
    reconcile_later,
    wait_until_settled,
)
from tests.support.articles import article_html
from tests.support.httpserver import Reply, ScriptedServer
from worker import pipeline, tasks
from worker.discover.canonical import canonicalize_url
from worker.settings import Settings
from worker.store import ledger

pytestmark = pytest.mark.integration
GOOD = 30
PARSE_LIMIT = 6  # hard limit; the soft limit is 3 s
FAULTS = {"poison": 3, "hang": 2, "stuck": 1}


@pytest.fixture
def origin() -> Iterator[ScriptedServer]:
    with article_origin(GOOD) as srv:
        for kind, count in FAULTS.items():
            for i in range(count):
                srv.route(f"/{kind}/{i}", Reply(body=article_html(1000 + i)))
        yield srv


def _urls(origin: ScriptedServer, kind: str) -> list[str]:
    return [canonicalize_url(origin.url(f"/{kind}/{i}")) for i in range(FAULTS[kind])]


def test_crashing_and_hanging_pages_end_terminal_and_the_rest_is_stored(
    origin: ScriptedServer, sqlite_engine: Engine, tmp_path: Path
) -> None:
    good = [canonicalize_url(origin.url(f"/a/{i}")) for i in range(GOOD)]
    poison, hang, stuck = (_urls(origin, kind) for kind in FAULTS)
    log = tmp_path / "worker.log"
    env = {"INGEST_PARSE_TIME_LIMIT": str(PARSE_LIMIT)}
    worker = CeleryWorker(str(sqlite_engine.url), log, env, app="tests.support.faulty_app")
    try:
        pipeline.intake(sqlite_engine, good + poison + hang + stuck, tasks.publish_best_effort)
        rows = wait_until_settled(sqlite_engine, good + poison + hang, timeout=180)

        assert {rows[u]["state"] for u in good} == {"stored"}
        for url in poison:  # the child died on every attempt: three, then terminal
            assert rows[url]["state"] == "poison", rows[url]
            assert rows[url]["attempts"] == 3
            assert "killed its worker 3 times" in rows[url]["last_error"]
        for url in hang:  # the soft limit interrupted it each time
            assert rows[url]["state"] == "timeout", rows[url]
            assert rows[url]["attempts"] == 3
            assert "soft time limit" in rows[url]["last_error"]
        for path in (f"/poison/{i}" for i in range(FAULTS["poison"])):
            assert len(origin.requests_to(path)) == 1  # parse crashed, the page was kept
        lost = log.read_text(errors="replace").count("Task handler raised error: WorkerLostError")
        assert lost <= 3 * FAULTS["poison"] + 2, "a hot loop of dying children"

        # A hang the soft limit cannot interrupt: the pool kills the child at the hard limit,
        # the worker goes on with a new child, and the row keeps its lease until reconcile
        # hands it out again once the lease has run out.
        (url,) = stuck
        assert poll(lambda: "TimeLimitExceeded" in log.read_text(errors="replace"), 30)
        row = ledger.url_row(sqlite_engine, url)
        assert row is not None and row["state"] == "fetched" and row["attempts"] == 1
        lease = Settings().lease_seconds(PARSE_LIMIT)
        poll(lambda: False, timeout=lease + 1)
        assert reconcile_later(sqlite_engine) >= 1
        assert poll(lambda: (ledger.url_row(sqlite_engine, url) or {}).get("attempts") == 2, 30)
    finally:
        worker.stop()
