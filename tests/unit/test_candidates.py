"""Candidate hints: date parsing with the source's zone, the age limit, plausibility."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from worker.discover.candidates import CandidateCollector, drop_older_than, parse_date_hint

KABUL = ZoneInfo("Asia/Kabul")


def test_parse_date_hint_forms() -> None:
    assert parse_date_hint("2024-05-15T11:40:00+04:30") == datetime(2024, 5, 15, 7, 10, tzinfo=UTC)
    assert parse_date_hint("2024-05-15T07:10:00Z") == datetime(2024, 5, 15, 7, 10, tzinfo=UTC)
    assert parse_date_hint("Wed, 15 May 2024 07:10:00 GMT") == datetime(
        2024, 5, 15, 7, 10, tzinfo=UTC
    )
    assert parse_date_hint("2024-05-15 11:40", KABUL) == datetime(2024, 5, 15, 11, 40, tzinfo=KABUL)
    assert parse_date_hint("2024-05-15", KABUL) == datetime(2024, 5, 15, tzinfo=KABUL)
    assert parse_date_hint("2024-05-15") == datetime(2024, 5, 15, tzinfo=UTC)
    for bad in (None, "", "yesterday", "1899-01-01", "2999-01-01T00:00:00Z", "32/13/2024"):
        assert parse_date_hint(bad) is None


def test_drop_older_than() -> None:
    collector = CandidateCollector("https://x.com/rss", "feed")
    collector.add("https://x.com/old", published=datetime(2024, 5, 1, tzinfo=UTC))
    collector.add("https://x.com/new", published=datetime(2024, 5, 14, tzinfo=UTC))
    collector.add("https://x.com/lastmod-old", modified=datetime(2024, 4, 1, tzinfo=UTC))
    collector.add("https://x.com/undated")
    result = collector.result()
    now = datetime(2024, 5, 15, tzinfo=UTC)
    assert drop_older_than(result, None, now) is result
    kept = drop_older_than(result, 7, now)
    assert [c.canonical_url for c in kept.candidates] == [
        "https://x.com/new",
        "https://x.com/undated",
    ]
    assert [(r.url, r.reason) for r in kept.rejected] == [
        ("https://x.com/old", "dated 2024-05-01, older than 7 days"),
        ("https://x.com/lastmod-old", "dated 2024-04-01, older than 7 days"),
    ]
    assert kept.found == result.found


def test_later_duplicate_fills_missing_hints() -> None:
    collector = CandidateCollector("https://x.com/", "listing")
    collector.add("https://x.com/a#img", title="   ")
    collector.add("https://x.com/a?utm_source=x", title="Headline\n  text")
    (only,) = collector.result().candidates
    assert only.url == "https://x.com/a#img" and only.title_hint == "Headline text"


def test_long_rejected_urls_are_shortened_and_titles_cut() -> None:
    collector = CandidateCollector("https://x.com/", "listing")
    collector.add("ftp://" + "a" * 5000)
    collector.add("https://x.com/b", title="t" * 5000, summary="s" * 10_000)
    result = collector.result()
    assert len(result.rejected[0].url) <= 303
    assert len(result.candidates[0].title_hint or "") == 1000
    assert len(result.candidates[0].summary_hint or "") == 5000
