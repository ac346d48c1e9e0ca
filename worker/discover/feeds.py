"""RSS and Atom feeds -> candidate URLs, with each entry's title, dates and summary as hints.

feedparser only ever sees bytes that passed the XML gate (worker.discover.xmlguard)."""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

import feedparser
from selectolax.lexbor import LexborHTMLParser

from worker.discover.candidates import (
    MAX_ENTRIES,
    CandidateCollector,
    DiscoveryResult,
    parse_date_hint,
)
from worker.discover.xmlguard import MAX_XML_BYTES, gate_xml
from worker.errors import InvalidContent

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _text(value: str | None, detail: dict[str, Any] | None) -> str | None:
    """Plain text of a feed text construct. HTML is reduced to its text; text/plain is kept
    literally, so a `<script>` in it stays a string and never becomes markup."""
    if not value:
        return None
    if detail and detail.get("type") in _HTML_TYPES:
        tree = LexborHTMLParser(f"<body>{value}</body>")
        for node in tree.css("script, style, template, noscript"):
            node.decompose()
        return tree.body.text(separator=" ") if tree.body else None
    return value


def _date(entry: Any, key: str, default_tz: tzinfo | None) -> datetime | None:
    """Our own parse of the raw string keeps the source's zone for offset-less dates, which
    feedparser would take as UTC; its parsed tuple is the fallback."""
    # dict.get: FeedParserDict.get would answer `updated` with the published date.
    parsed = parse_date_hint(dict.get(entry, key), default_tz)
    struct = dict.get(entry, f"{key}_parsed")
    if parsed is None and struct:
        try:
            parsed = datetime.fromtimestamp(calendar.timegm(struct), UTC)
        except (TypeError, ValueError, OverflowError):
            return None
    return parsed


def _link(entry: Any) -> str | None:
    link = entry.get("feedburner_origlink") or entry.get("link")
    if not link:
        for candidate in entry.get("links", ()):
            if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
                return str(candidate["href"])
        # An RSS guid marked as permalink, or an Atom id that is a URL, names the article.
        guid = entry.get("id") or ""
        if entry.get("guidislink") or re.match(r"https?://", guid):
            return guid or None
    return link


def parse_feed(
    body: bytes,
    base_url: str,
    *,
    source_id: str | None = None,
    include: Iterable[re.Pattern[str]] = (),
    exclude: Iterable[re.Pattern[str]] = (),
    default_tz: tzinfo | None = None,
    language: str | None = None,
    max_bytes: int = MAX_XML_BYTES,
    max_entries: int = MAX_ENTRIES,
) -> DiscoveryResult:
    """Candidate URLs from an RSS (0.9x, 1.0, 2.0) or Atom feed.

    Raises TooLarge over `max_bytes`, InvalidContent for XML with entities or a DTD subset,
    or for bytes that are no feed at all. Relative links resolve against `base_url`."""
    well_formed = gate_xml(body, max_bytes=max_bytes)
    try:
        parsed = feedparser.parse(
            io.BytesIO(body),  # a file object: never taken for a URL or a path
            response_headers={"content-location": base_url},
            # Hints leave here as plain text (_text), never as HTML, so feedparser's sanitiser
            # and its rewriting of links inside content would only double the time spent.
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # noqa: BLE001
        # feedparser's lenient mode lets decoding and value errors escape on hostile bytes
        # (found by tests/unit/test_discover_fuzz.py); all of them mean "unreadable".
        raise InvalidContent(f"unreadable feed: {type(exc).__name__}: {exc}") from None
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise InvalidContent(f"not an RSS or Atom feed{f': {problem}' if problem else ''}")

    collector = CandidateCollector(
        base_url,
        "feed",
        source_id=source_id,
        include=include,
        exclude=exclude,
        max_entries=max_entries,
    )
    if not well_formed:
        collector.notes.append("feed is not well-formed XML; read leniently")
    feed_language = language or (parsed.feed.get("language") or None)
    for index, entry in enumerate(parsed.entries):
        link = _link(entry)
        if not link:
            collector.skip(f"(entry {index + 1})", "entry has no link")
            continue
        summary = entry.get("summary")
        collector.add(
            link,
            title=_text(entry.get("title"), entry.get("title_detail")),
            published=_date(entry, "published", default_tz),
            modified=_date(entry, "updated", default_tz),
            summary=_text(summary, entry.get("summary_detail")),
            language=feed_language,
        )
    return collector.result()
