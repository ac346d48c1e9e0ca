"""parse_feed: RSS and Atom entries become candidate URLs with plain-text hints."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.unit.discover_helpers import fixture
from worker.discover.feeds import parse_feed
from worker.errors import InvalidContent, TooLarge

KABUL = ZoneInfo("Asia/Kabul")


def test_rss_entries_hints_and_rejections() -> None:
    result = parse_feed(
        fixture("rss.xml"), "https://news.example.com/en/rss", source_id="demo", default_tz=KABUL
    )
    by_url = {c.canonical_url: c for c in result.candidates}
    assert list(by_url) == [
        "https://news.example.com/en/news/290404",
        "https://news.example.com/en/news/290405",
        "https://news.example.com/en/news/290406",
    ]
    first = by_url["https://news.example.com/en/news/290404"]
    assert first.url == "https://news.example.com/en/news/290404?utm_source=rss&utm_medium=feed"
    assert first.title_hint == "Putin: China-Russia relations are getting stronger"
    assert first.published_hint == datetime(2024, 5, 15, 7, 10, tzinfo=UTC)
    assert first.summary_hint is not None
    assert "<" not in first.summary_hint and "alert" not in first.summary_hint
    assert first.source_id == "demo" and first.via == "feed" and first.language_hint == "en"
    assert first.entry_point == "https://news.example.com/en/rss"

    # Relative link resolved; a date without offset is in the source's zone.
    second = by_url["https://news.example.com/en/news/290405"]
    assert second.published_hint == datetime(2024, 5, 16, 9, 0, tzinfo=KABUL)

    assert result.duplicates == 1  # the fbclid / fragment / host-case variant
    reasons = sorted(r.reason for r in result.rejected)
    assert reasons == ["entry has no link", "invalid URL: scheme 'javascript' is not http or https"]
    assert result.found == 6


def test_atom_text_plain_stays_literal_and_html_is_reduced_to_text() -> None:
    result = parse_feed(fixture("atom.xml"), "https://news.example.com/fa/atom.xml")
    first, second = result.candidates
    assert first.title_hint == "Plain title with <b> literally"
    # text/plain is never interpreted as HTML: the script stays inert text.
    assert first.summary_hint == "Plain <script>alert(1)</script> text"
    assert first.published_hint == datetime(2024, 5, 15, 7, 10, tzinfo=UTC)
    assert first.modified_hint == datetime(2024, 5, 15, 8, 30, tzinfo=UTC)
    assert first.language_hint == "fa"
    assert second.canonical_url == "https://news.example.com/fa/news/2"
    assert second.title_hint == "HTML title"
    assert second.summary_hint == "Para one"
    assert second.published_hint is None
    assert second.modified_hint == datetime(2024, 5, 14, 8, 0, tzinfo=UTC)


def test_rss091_with_netscape_doctype_is_read() -> None:
    result = parse_feed(fixture("rss091.xml"), "http://old.example.com/rss")
    (only,) = result.candidates
    assert only.canonical_url == "http://old.example.com/story/1"
    assert only.title_hint == "Café story"


def test_include_exclude() -> None:
    result = parse_feed(
        fixture("rss.xml"),
        "https://news.example.com/en/rss",
        include=[re.compile(r"/news/\d+$")],
        exclude=[re.compile(r"290406")],
    )
    assert [c.canonical_url for c in result.candidates] == [
        "https://news.example.com/en/news/290404",
        "https://news.example.com/en/news/290405",
    ]
    assert any("exclude pattern" in r.reason for r in result.rejected)


def test_malformed_feed_is_read_leniently_with_a_note() -> None:
    body = b"<rss version='2.0'><channel><item><title>A & B</title><link>https://x.com/a</link></item></channel></rss>"
    result = parse_feed(body, "https://x.com/rss")
    assert [c.canonical_url for c in result.candidates] == ["https://x.com/a"]
    assert result.notes == ("feed is not well-formed XML; read leniently",)


def test_html_page_is_not_a_feed() -> None:
    with pytest.raises(InvalidContent, match="not an RSS or Atom feed"):
        parse_feed(b"<!DOCTYPE html><html><body><p>Hello</p></body></html>", "https://x.com/")


def test_size_cap() -> None:
    with pytest.raises(TooLarge):
        parse_feed(b"<rss>" + b" " * 2000 + b"</rss>", "https://x.com/rss", max_bytes=1000)


def test_implausible_dates_are_dropped_not_the_url() -> None:
    body = (
        b"<rss version='2.0'><channel><item><link>https://x.com/a</link>"
        b"<pubDate>Mon, 01 Jan 1900 00:00:00 GMT</pubDate></item>"
        b"<item><link>https://x.com/b</link><pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>"
        b"</channel></rss>"
    )
    result = parse_feed(body, "https://x.com/rss")
    assert [(c.canonical_url, c.published_hint) for c in result.candidates] == [
        ("https://x.com/a", None),
        ("https://x.com/b", None),
    ]
