"""Chain failures mid-way (reliability.md scenario 12, scaled to 150 URLs).

Pages that can never become articles (no article text; not HTML) end terminal on their first
attempt and never reach store. Pages whose parse fails with a retriable error twice are stored
on the third attempt. Pages whose fetch commits but whose next step is never published wait
in the ledger until reconcile carries them on. Nothing is lost and nothing is stored twice.
The parse and publish faults come from `tests.support.faulty_app`, outside the production code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

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
from worker.store import articles, ledger

pytestmark = pytest.mark.integration
GOOD = 110
KINDS = {"empty": 10, "pdf": 5, "flaky": 15, "nopublish": 10}  # 150 URLs in all
FLAKY_FAILURES = 2  # as in tests.support.faulty_app (importing it would patch this process)


def _empty_page(i: int) -> str:
    """A page with a title and site furniture but no article text."""
    return (
        f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Notice {i}</title>"
        '</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        "<footer>Test Gazette, all rights reserved.</footer></body></html>"
    )


@pytest.fixture
def origin() -> Iterator[ScriptedServer]:
    with article_origin(GOOD) as srv:
        for i in range(KINDS["empty"]):
            srv.route(f"/empty/{i}", Reply(body=_empty_page(i)))
        for i in range(KINDS["pdf"]):
            srv.route(f"/pdf/{i}", Reply(body=b"%PDF-1.4 ...", content_type="application/pdf"))
        for offset, kind in ((1000, "flaky"), (2000, "nopublish")):
            for i in range(KINDS[kind]):
                srv.route(f"/{kind}/{i}", Reply(body=article_html(offset + i)))
        yield srv


def test_chain_failures_end_terminal_retry_or_are_reconciled(
    origin: ScriptedServer, sqlite_engine: Engine, tmp_path: Path
) -> None:
    good = [canonicalize_url(origin.url(f"/a/{i}")) for i in range(GOOD)]
    by_kind = {
        kind: [canonicalize_url(origin.url(f"/{kind}/{i}")) for i in range(count)]
        for kind, count in KINDS.items()
    }
    everything = good + [url for urls in by_kind.values() for url in urls]
    calls = tmp_path / "calls"
    log = tmp_path / "worker.log"
    env = {"FAULTY_APP_CALLS": str(calls)}
    worker = CeleryWorker(str(sqlite_engine.url), log, env, app="tests.support.faulty_app")
    try:
        report = pipeline.intake(sqlite_engine, everything, tasks.publish_best_effort)
        assert len(report.accepted) == len(everything) == 150

        # Everything but the broken-publish URLs settles by itself.
        rows = wait_until_settled(sqlite_engine, [u for u in everything if "/nopublish/" not in u])
        stranded = by_kind["nopublish"]

        def all_stranded() -> bool:
            found = [ledger.url_row(sqlite_engine, u) for u in stranded]
            return all(r and r["state"] == "fetched" and r["lease_until"] is None for r in found)

        assert poll(all_stranded, timeout=60), [ledger.url_row(sqlite_engine, stranded[0])]
        republished = reconcile_later(sqlite_engine)
        rows.update(wait_until_settled(sqlite_engine, stranded))
    finally:
        worker.stop()

    text = log.read_text(errors="replace")
    ids = {url: row["id"] for url, row in rows.items()}

    def stage_lines(stage: str, url: str) -> list[str]:
        return re.findall(rf"{stage} url {ids[url]}: (.*)", text)

    # Never an article: terminal on the first attempt, and store never ran for them.
    for url in by_kind["empty"]:
        assert rows[url]["state"] == "empty" and rows[url]["attempts"] == 1, rows[url]
        assert "no article text" in rows[url]["last_error"]
    for url in by_kind["pdf"]:
        assert rows[url]["state"] == "not_html" and rows[url]["attempts"] == 1, rows[url]
        assert not stage_lines("parse", url)
    for url in by_kind["empty"] + by_kind["pdf"]:
        assert not stage_lines("store", url) and rows[url]["article_id"] is None

    # Retried: two retriable failures, stored on the third attempt, fetched once.
    for i, url in enumerate(by_kind["flaky"]):
        assert rows[url]["state"] == "stored", rows[url]
        extractor_calls = (calls / f"flaky_{i}").read_text().splitlines()
        parses = stage_lines("parse", url)
        assert len(extractor_calls) == FLAKY_FAILURES + 1
        assert [p.split()[0] for p in parses] == ["retry", "retry", "parsed"]
        assert len(origin.requests_to(f"/flaky/{i}")) == 1

    # Broken publish: the fetch's continuation failed, reconcile carried each row on.
    broken = {int(i) for i in re.findall(r"publish of parse for url (\d+) failed", text)}
    assert broken == {ids[url] for url in stranded}
    assert republished >= len(stranded)
    for i, url in enumerate(stranded):
        assert rows[url]["state"] == "stored", rows[url]
        assert len(origin.requests_to(f"/nopublish/{i}")) == 1  # parsed from the kept page

    stored = [u for u, r in rows.items() if r["state"] == "stored"]
    lost = [u for u, r in rows.items() if r["state"] not in ("stored", "empty", "not_html")]
    with sqlite_engine.connect() as conn:
        hashes = conn.scalars(select(articles.articles.c.content_hash)).all()
    retries = sum(len(stage_lines("parse", u)) - 1 for u in by_kind["flaky"])
    print(
        f"\n150 URLs: stored {len(stored)}, empty {KINDS['empty']}, not_html {KINDS['pdf']}, "
        f"lost {len(lost)}; flaky parses retried {retries} times; broken publishes "
        f"{len(broken)}, reconcile re-published {republished}; "
        f"articles {len(hashes)} with {len(set(hashes))} distinct hashes"
    )
    assert not lost
    assert len(stored) == GOOD + KINDS["flaky"] + KINDS["nopublish"] == 135
    assert articles.count(sqlite_engine) == len(hashes) == len(set(hashes)) == 135
    assert all(len(origin.requests_to(f"/a/{i}")) == 1 for i in range(GOOD))
