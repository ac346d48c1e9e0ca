"""One entry point's document -> DiscoveryResult, whichever kind it is."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import tzinfo

from worker.discover.candidates import DiscoveryResult
from worker.discover.feeds import parse_feed
from worker.discover.listing import extract_links
from worker.discover.sitemaps import parse_sitemap


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
) -> DiscoveryResult:
    """Run the extractor for `kind` ("feed", "sitemap" or "listing"; an EntryPointKind
    works as is). `url` is the document's final URL, against which links resolve.

    With a Source and one of its EntryPoints:

        discover_document(entry.kind, fetched.body, fetched.final_url, source_id=source.id,
                          include=entry.include, exclude=entry.exclude,
                          default_tz=source.tz, language=entry.language)
    """
    if kind == "feed":
        return parse_feed(
            body,
            url,
            source_id=source_id,
            include=include,
            exclude=exclude,
            default_tz=default_tz,
            language=language,
        )
    if kind == "sitemap":
        return parse_sitemap(
            body,
            url,
            source_id=source_id,
            include=include,
            exclude=exclude,
            default_tz=default_tz,
            language=language,
        )
    if kind == "listing":
        return extract_links(
            body,
            url,
            include,
            exclude,
            source_id=source_id,
            language=language,
            content_type=content_type,
        )
    raise ValueError(f"unknown entry point kind {kind!r}")
