"""Sitemaps -> candidate URLs: urlset or sitemap index, gzip, Google News `news:` sitemaps,
plain-text sitemaps. Streaming parse through defusedxml (no DTD, no entities), capped input,
decompressed size and URL count."""

from __future__ import annotations

import contextlib
import gzip
import io
import re
import zlib
from collections.abc import Iterable
from datetime import tzinfo
from typing import Protocol
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from worker.discover.candidates import (
    MAX_ENTRIES,
    CandidateCollector,
    DiscoveryResult,
    RejectedUrl,
    parse_date_hint,
)
from worker.discover.canonical import canonicalize_url
from worker.discover.xmlguard import MAX_XML_BYTES, check_size
from worker.errors import InvalidContent, InvalidUrl, TooLarge

MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_INDEX_DEPTH = 1
_GZIP_MAGIC = b"\x1f\x8b"
_NEWS_NS = "sitemap-news"


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _CappedReader(io.RawIOBase):
    """Reads a gzip stream, raising TooLarge once more than `cap` bytes come out."""

    def __init__(self, body: bytes, cap: int) -> None:
        self._gz = gzip.GzipFile(fileobj=io.BytesIO(body))
        self._cap = cap
        self.total = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        want = self._cap + 1 - self.total if size is None or size < 0 else size
        try:
            chunk = self._gz.read(min(want, self._cap + 1 - self.total))
        except (OSError, EOFError, zlib.error) as exc:
            raise InvalidContent(f"corrupt gzip sitemap: {exc}") from None
        self.total += len(chunk)
        if self.total > self._cap:
            raise TooLarge(f"gzip sitemap inflates past the {self._cap}-byte cap")
        return chunk


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(elem: Element, name: str) -> str | None:
    for child in elem:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _news(elem: Element) -> Element | None:
    for child in elem:
        if _local(child.tag) == "news" and (_NEWS_NS in child.tag or "}" not in child.tag):
            return child
    return None


class _Rejoined(io.RawIOBase):
    """The bytes already read for sniffing, then the rest of the stream."""

    def __init__(self, head: bytes, rest: _Readable) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            chunk, self._head = (
                (self._head, b"") if size < 0 else (self._head[:size], self._head[size:])
            )
            return chunk
        return self._rest.read(size)


def _open(body: bytes, max_decompressed: int) -> _Readable:
    if body[:2] == _GZIP_MAGIC:
        return _CappedReader(body, max_decompressed)
    return io.BytesIO(body)


def _looks_like_text(head: bytes) -> bool:
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return not head.startswith(b"<")


def parse_sitemap(
    body: bytes,
    base_url: str,
    *,
    source_id: str | None = None,
    include: Iterable[re.Pattern[str]] = (),
    exclude: Iterable[re.Pattern[str]] = (),
    default_tz: tzinfo | None = None,
    language: str | None = None,
    max_entries: int = MAX_ENTRIES,
    max_bytes: int = MAX_XML_BYTES,
    max_decompressed: int = MAX_DECOMPRESSED_BYTES,
) -> DiscoveryResult:
    """Candidate URLs from a sitemap; a sitemap index gives `children` instead.

    gzip is recognised by its magic bytes (a `.gz` URL the HTTP client already inflated is
    plain XML). Raises TooLarge past `max_bytes` in or `max_decompressed` out,
    InvalidContent for DTDs, entities, or a document that is neither urlset nor sitemapindex.
    A document that breaks off after some entries keeps them, with a note."""
    check_size(body, max_bytes)
    collector = CandidateCollector(
        base_url,
        "sitemap",
        source_id=source_id,
        include=include,
        exclude=exclude,
        max_entries=max_entries,
    )
    raw = _open(body, max_decompressed)
    head = raw.read(512)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise InvalidContent("empty sitemap document")
    stream = _Rejoined(head, raw)
    if _looks_like_text(head):
        _read_text(stream, collector, max_decompressed)
    else:
        _read_xml(stream, collector, default_tz, language)
    return collector.result()


def _read_text(stream: _Readable, collector: CandidateCollector, cap: int) -> None:
    """A plain-text sitemap: one URL per line."""
    for line in _read_all(stream, cap).decode("utf-8-sig", errors="replace").splitlines():
        if line.strip():
            collector.add(line)


def _read_all(stream: _Readable, cap: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(64 * 1024):
        total += len(chunk)
        if total > cap:
            raise TooLarge(f"sitemap past the {cap}-byte cap")
        chunks.append(chunk)
    return b"".join(chunks)


def _read_xml(
    stream: _Readable,
    collector: CandidateCollector,
    default_tz: tzinfo | None,
    language: str | None,
) -> None:
    root: Element | None = None
    kind = ""
    depth = 0
    try:
        for event, elem in iterparse(
            stream,
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        ):
            if event == "start":
                depth += 1
                if root is None:
                    root, kind = elem, _local(elem.tag)
                    if kind not in ("urlset", "sitemapindex"):
                        raise InvalidContent(f"not a sitemap: root element <{kind}>")
                continue
            depth -= 1
            if depth != 1:
                continue
            name = _local(elem.tag)
            if collector.full:
                if name in ("url", "sitemap"):
                    collector.over_cap += 1
            elif kind == "urlset" and name == "url":
                _take_url(elem, collector, default_tz, language)
            elif kind == "sitemapindex" and name == "sitemap":
                loc = _child_text(elem, "loc")
                if loc is None:
                    collector.skip("(sitemap entry)", "no <loc>")
                else:
                    collector.add_child(
                        loc, modified=parse_date_hint(_child_text(elem, "lastmod"), default_tz)
                    )
            if root is not None:
                root.clear()  # keep memory flat: processed entries are not needed again
    except DefusedXmlException as exc:
        raise InvalidContent(f"XML refused: {type(exc).__name__} ({exc})") from None
    except (ParseError, LookupError, UnicodeError) as exc:  # bad XML, unknown encoding
        if collector.entries == 0:
            raise InvalidContent(f"sitemap is not well-formed XML: {exc}") from None
        collector.notes.append(f"sitemap breaks off after {collector.entries} entries: {exc}")
    if root is None:
        raise InvalidContent("empty sitemap document")


def _take_url(
    elem: Element, collector: CandidateCollector, default_tz: tzinfo | None, language: str | None
) -> None:
    loc = _child_text(elem, "loc")
    if loc is None:
        collector.skip("(url entry)", "no <loc>")
        return
    title = published = None
    news = _news(elem)
    if news is not None:
        title = _child_text(news, "title")
        published = parse_date_hint(_child_text(news, "publication_date"), default_tz)
        for child in news:
            if _local(child.tag) == "publication":
                language = _child_text(child, "language") or language
    collector.add(
        loc,
        title=title,
        published=published,
        modified=parse_date_hint(_child_text(elem, "lastmod"), default_tz),
        language=language,
    )


def next_sitemaps(
    result: DiscoveryResult, *, seen: set[str], depth: int, max_depth: int = MAX_INDEX_DEPTH
) -> tuple[list[str], list[RejectedUrl]]:
    """Which child sitemaps of an index to fetch next, and which not (with the reason).

    `depth` is the index's own depth (0 for an entry point); `seen` holds the canonical URLs
    of sitemaps fetched or queued in this crawl, and is updated. The entry point's own URL
    should be in it, so A -> B -> A stops at B."""
    with contextlib.suppress(InvalidUrl):
        seen.add(canonicalize_url(result.entry_point))
    take: list[str] = []
    skipped: list[RejectedUrl] = []
    for child in result.children:
        if depth + 1 > max_depth:
            skipped.append(
                RejectedUrl(url=child.url, reason=f"sitemap index nested deeper than {max_depth}")
            )
        elif child.canonical_url in seen:
            skipped.append(RejectedUrl(url=child.url, reason="sitemap cycle: already visited"))
        else:
            seen.add(child.canonical_url)
            take.append(child.url)
    return take, skipped
