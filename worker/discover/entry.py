"""One entry point's document -> DiscoveryResult, whichever kind it is."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import tzinfo
from typing import Any

from worker.discover.candidates import MAX_ENTRIES, DiscoveryResult
from worker.discover.feeds import parse_feed
from worker.discover.listing import extract_links
from worker.discover.sitemaps import MAX_DECOMPRESSED_BYTES, parse_sitemap
from worker.discover.xmlguard import MAX_XML_BYTES

_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_FEED_ROOTS = {"rss", "feed", "RDF"}
_SITEMAP_ROOTS = {"urlset", "sitemapindex"}


def sniff_xml_root(body: bytes) -> str | None:
    """Local name of the first element within the first 64 KiB, if there is one."""
    match = _FIRST_ELEMENT.search(_COMMENT.sub(b"", body[:65536]))
    return match.group(2).decode("ascii") if match else None


def _served_kind(kind: str, body: bytes) -> str:
    """Sites list feeds as sitemaps (search engines accept both) and the reverse; follow
    what the document is rather than what the configuration expected."""
    if kind in ("feed", "sitemap"):
        root = sniff_xml_root(body)
        if root in _FEED_ROOTS:
            return "feed"
        if root in _SITEMAP_ROOTS:
            return "sitemap"
    return kind


def discover_document(
    kind: str,
    body: bytes,
    url: str,
    *,
    source_id: str | None = None,
    include: Iterable[re.Pattern[str]] = (),
    exclude: Iterable[re.Pattern[str]] = (),
    default_tz: tzinfo | None = None,
    language: str | None = None,
    content_type: str | None = None,
    max_bytes: int = MAX_XML_BYTES,
    max_decompressed: int = MAX_DECOMPRESSED_BYTES,
    max_entries: int = MAX_ENTRIES,
) -> DiscoveryResult:
    """Run the extractor for `kind` ("feed", "sitemap" or "listing"; an EntryPointKind
    works as is). `url` is the document's final URL, against which links resolve.

    With a Source and one of its EntryPoints:

        discover_document(entry.kind, fetched.body, fetched.final_url, source_id=source.id,
                          include=entry.include, exclude=entry.exclude,
                          default_tz=source.tz, language=entry.language)
    """
    served = _served_kind(kind, body)
    result = _extract(
        served,
        body,
        url,
        source_id=source_id,
        include=include,
        exclude=exclude,
        default_tz=default_tz,
        language=language,
        content_type=content_type,
        max_bytes=max_bytes,
        max_decompressed=max_decompressed,
        max_entries=max_entries,
    )
    if served != kind:
        note = f"configured as a {kind} but served a {served}; read as a {served}"
        result = result.model_copy(update={"notes": (*result.notes, note)})
    return result


def _extract(
    kind: str,
    body: bytes,
    url: str,
    *,
    source_id: str | None,
    include: Iterable[re.Pattern[str]],
    exclude: Iterable[re.Pattern[str]],
    default_tz: tzinfo | None,
    language: str | None,
    content_type: str | None,
    max_bytes: int,
    max_decompressed: int,
    max_entries: int,
) -> DiscoveryResult:
    common: dict[str, Any] = {
        "source_id": source_id,
        "include": include,
        "exclude": exclude,
        "default_tz": default_tz,
        "language": language,
        "max_bytes": max_bytes,
        "max_entries": max_entries,
    }
    if kind == "feed":
        return parse_feed(body, url, **common)
    if kind == "sitemap":
        return parse_sitemap(body, url, max_decompressed=max_decompressed, **common)
    if kind == "listing":
        return extract_links(
            body,
            url,
            include,
            exclude,
            source_id=source_id,
            language=language,
            content_type=content_type,
            max_entries=max_entries,
        )
    raise ValueError(f"unknown entry point kind {kind!r}")
