"""The spine end to end: CLI intake -> real Redis -> real Celery worker -> real HTTP origin ->
database, on SQLite and PostgreSQL. Nothing accepted is lost and nothing is stored twice."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from tests.integration.conftest import CeleryWorker, article_origin, wait_until_settled
from tests.support.articles import article_title
from tests.support.httpserver import Reply, ScriptedServer, zeros
from worker import pipeline, tasks
from worker.discover.canonical import canonicalize_url
from worker.store import articles
from worker.store.tables import pages

pytestmark = pytest.mark.integration
N = 200


@pytest.fixture(scope="module")
def origin() -> Iterator[ScriptedServer]:
    with article_origin(N) as srv:
        srv.route("/doc.pdf", Reply(body=b"%PDF-1.4 ...", content_type="application/pdf"))
        srv.route("/huge", Reply(body=zeros(2 * 1024 * 1024)))
        srv.route("/busy", Reply(status=503, headers={"Retry-After": "1"}))
        yield srv


def test_200_urls_stored_once(
    origin: ScriptedServer, engine: Engine, celery_worker: CeleryWorker
) -> None:
    urls = [origin.url(f"/a/{i}") for i in range(N)]
    started = time.monotonic()
    report = pipeline.intake(engine, urls, tasks.publish_best_effort)
    assert len(report.accepted) == N and not report.rejected and report.unpublished == 0

    rows = wait_until_settled(engine, [canonicalize_url(u) for u in urls])
    elapsed = time.monotonic() - started
    print(f"\n{N} URLs stored in {elapsed:.1f} s: {N / elapsed:.1f} URLs/s ({engine.dialect.name})")

    states = {r["state"] for r in rows.values()}
    assert states == {"stored"}, [r for r in rows.values() if r["state"] != "stored"][:3]
    assert articles.count(engine) == N
    stored = {a["url"]: a for a in articles.latest(engine, limit=N)}
    assert stored[origin.url("/a/7")]["title"] == article_title(7)
    assert stored[origin.url("/a/7")]["published_at"].day == 8

    # The same 200 again: all known, nothing fetched or stored twice.
    fetched_before = len(origin.requests)  # includes this run's robots.txt lookups
    again = pipeline.intake(engine, urls, tasks.publish_best_effort)
    assert len(again.known) == N and not again.accepted
    time.sleep(2)
    assert articles.count(engine) == N
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(pages)) == N
    assert len(origin.requests) == fetched_before


def test_bad_urls_end_terminal_with_reasons(
    origin: ScriptedServer, engine: Engine, celery_worker: CeleryWorker
) -> None:
    cases = {
        origin.url("/missing"): ("failed_fetch", "404"),
        origin.url("/doc.pdf"): ("not_html", "application/pdf"),
        origin.url("/huge"): ("too_large", "bytes"),
        origin.url("/busy"): ("failed_fetch", "503"),
    }
    busy_before = len(origin.requests_to("/busy"))  # the origin outlives one backend's run
    report = pipeline.intake(engine, list(cases), tasks.publish_best_effort)
    assert len(report.accepted) == len(cases)
    rows = wait_until_settled(engine, [canonicalize_url(u) for u in cases], timeout=120)
    for url, (state, reason) in cases.items():
        row = rows[canonicalize_url(url)]
        assert row["state"] == state, row
        assert reason in row["last_error"], row
    assert rows[canonicalize_url(origin.url("/busy"))]["last_error"].startswith(
        "gave up after 3 attempts"
    )
    assert len(origin.requests_to("/busy")) - busy_before == 3
