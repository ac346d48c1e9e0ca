"""Ledger transitions on a real (SQLite) database: claims, leases, the attempt cap, reconcile."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from tests.unit.conftest import Clock
from worker.models import Article, ExtractorInfo, FetchResult, Stage, UrlState, content_hash
from worker.store import articles, ledger

LEASE = 60.0


def _queue(engine: Engine, clock: Clock, url: str = "https://example.com/a") -> int:
    recorded = ledger.intake(engine, [ledger.NewUrl(url, url, "example.com")], clock())
    return recorded[url][0]


def _fetched(url: str) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=url,
        status_code=200,
        content_type="text/html",
        body=b"<html><p>hello</p></html>",
        text="<html><p>hello</p></html>",
    )


def _article(url: str, body: str = "Body text here.") -> Article:
    return Article(
        url=url,
        canonical_url=url,
        source="example.com",
        title="T",
        body=body,
        content_hash=content_hash("T", body),
        word_count=len(body.split()),
        extractor=ExtractorInfo(name="test", version="1"),
    )


def test_intake_is_idempotent(engine: Engine, clock: Clock) -> None:
    first = ledger.intake(
        engine, [ledger.NewUrl("https://e.com/a", "https://e.com/a?utm_source=x", "e")], clock()
    )
    again = ledger.intake(
        engine, [ledger.NewUrl("https://e.com/a", "https://e.com/a", "e")], clock()
    )
    assert first["https://e.com/a"][1] is True
    assert again["https://e.com/a"] == (first["https://e.com/a"][0], False)
    assert ledger.state_counts(engine) == {"queued": 1}


def test_duplicate_delivery_finds_nothing_to_claim(engine: Engine, clock: Clock) -> None:
    url_id = _queue(engine, clock)
    first = ledger.claim(engine, url_id, Stage.fetch, "task-1", clock(), LEASE, 3)
    assert first is not None and first.attempts == 1
    assert ledger.claim(engine, url_id, Stage.fetch, "task-2", clock(), LEASE, 3) is None
    # The same task id (a retry or a redelivery after a dead worker) takes over its lease.
    again = ledger.claim(engine, url_id, Stage.fetch, "task-1", clock(), LEASE, 3)
    assert again is not None and again.attempts == 2


def test_expired_lease_can_be_claimed_by_another(engine: Engine, clock: Clock) -> None:
    url_id = _queue(engine, clock)
    assert ledger.claim(engine, url_id, Stage.fetch, "a", clock(), LEASE, 3)
    clock.advance(LEASE + 1)
    claim = ledger.claim(engine, url_id, Stage.fetch, "b", clock(), LEASE, 3)
    assert claim is not None and claim.attempts == 2


def test_attempt_cap_makes_row_poison_when_worker_dies(engine: Engine, clock: Clock) -> None:
    url_id = _queue(engine, clock)
    for _ in range(3):
        assert ledger.claim(engine, url_id, Stage.fetch, "t", clock(), LEASE, 3).exhausted is None
    claim = ledger.claim(engine, url_id, Stage.fetch, "t", clock(), LEASE, 3)
    assert claim is not None and claim.exhausted is UrlState.poison
    row = ledger.url_row(engine, "https://example.com/a")
    assert row["state"] == "poison" and "killed its worker 3 times" in row["last_error"]


def test_chain_transitions_and_store_is_idempotent(engine: Engine, clock: Clock) -> None:
    url = "https://example.com/a"
    url_id = _queue(engine, clock, url)
    ledger.claim(engine, url_id, Stage.fetch, "f", clock(), LEASE, 3)
    page_id = ledger.record_fetch(engine, url_id, "f", _fetched(url), clock())
    assert page_id is not None
    assert ledger.load_page(engine, page_id)[0] == b"<html><p>hello</p></html>"
    # A stale fetch delivery can no longer claim: the row moved on.
    assert ledger.claim(engine, url_id, Stage.fetch, "f2", clock(), LEASE, 3) is None
    claim = ledger.claim(engine, url_id, Stage.parse, "p", clock(), LEASE, 3)
    assert claim is not None and claim.attempts == 1 and claim.page_id == page_id
    assert ledger.record_parse(engine, url_id, "p", page_id, _article(url), clock())
    assert ledger.claim(engine, url_id, Stage.store, "s", clock(), LEASE, 3) is not None
    extracted = ledger.load_extracted(engine, page_id)
    with engine.begin() as conn:
        article_id, outcome = articles.upsert_article(conn, url, extracted, clock())
        assert ledger.advance_stored(conn, url_id, "s", article_id, clock())
    assert outcome == articles.StoreOutcome.created
    row = ledger.url_row(engine, url)
    assert row["state"] == "stored" and row["article_id"] == article_id and row["attempts"] == 0
    with engine.begin() as conn:
        assert articles.upsert_article(conn, url, _article(url), clock()) == (
            article_id,
            "unchanged",
        )
        assert articles.upsert_article(conn, url, _article(url, "New body."), clock()) == (
            article_id,
            "updated",
        )
    assert articles.count(engine) == 1
    stored = articles.latest(engine)[0]
    assert stored["body"] == "New body." and stored["version"] == 2


def test_lost_lease_does_not_advance(engine: Engine, clock: Clock) -> None:
    url = "https://example.com/a"
    url_id = _queue(engine, clock, url)
    ledger.claim(engine, url_id, Stage.fetch, "old", clock(), LEASE, 3)
    clock.advance(LEASE + 1)
    ledger.claim(engine, url_id, Stage.fetch, "new", clock(), LEASE, 3)
    assert ledger.record_fetch(engine, url_id, "old", _fetched(url), clock()) is None
    assert ledger.url_row(engine, url)["state"] == "queued"


def test_stranded_rows_wait_for_staleness_and_lease(engine: Engine, clock: Clock) -> None:
    def stale() -> list[tuple[int, UrlState]]:  # untouched for 100 s, no live lease
        return ledger.stranded(engine, clock(), clock() - timedelta(seconds=100), 10)

    url_id = _queue(engine, clock)
    assert stale() == []
    clock.advance(101)
    assert stale() == [(url_id, UrlState.queued)]
    ledger.claim(engine, url_id, Stage.fetch, "t", clock(), LEASE, 3)
    assert ledger.stranded(engine, clock(), clock(), 10) == []  # a live lease: someone works
    clock.advance(101)
    assert stale() == [(url_id, UrlState.queued)]
    ledger.touch(engine, [url_id], clock())
    assert stale() == []


def test_failure_is_terminal_with_reason(engine: Engine, clock: Clock) -> None:
    url_id = _queue(engine, clock)
    ledger.claim(engine, url_id, Stage.fetch, "t", clock(), LEASE, 3)
    ledger.record_failure(
        engine, url_id, "t", UrlState.not_html, "content type application/pdf is not HTML", clock()
    )
    row = ledger.url_row(engine, "https://example.com/a")
    assert row["state"] == "not_html" and "application/pdf" in row["last_error"]
    clock.advance(10_000)
    assert ledger.stranded(engine, clock(), clock(), 10) == []
