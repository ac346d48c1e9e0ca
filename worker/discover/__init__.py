"""Discovery: feeds, sitemaps and listing pages -> canonical candidate URLs with hints.

Pure functions over bytes the caller fetched; no network I/O here. Callers import from this
package, not from its modules:

    parse_feed(body, base_url, ...)      RSS / Atom           -> DiscoveryResult
    parse_sitemap(body, base_url, ...)   urlset / index / gz  -> DiscoveryResult (+ children)
    next_sitemaps(result, seen=, depth=) which child sitemaps to fetch (depth 1, no cycles)
    extract_links(html, base_url, ...)   listing page links   -> DiscoveryResult
    discover_document(kind, body, url, ...)  any of the three, by entry point kind
    drop_older_than(result, days, now)   the source's age limit
    canonicalize_url(url) / validate_url(url)
"""

from worker.discover.candidates import (
    CandidateUrl,
    DiscoveryResult,
    RejectedUrl,
    drop_older_than,
    parse_date_hint,
)
from worker.discover.canonical import canonicalize_url, is_tracking_param, validate_url
from worker.discover.entry import discover_document
from worker.discover.feeds import parse_feed
from worker.discover.listing import extract_links, same_site
from worker.discover.sitemaps import next_sitemaps, parse_sitemap

__all__ = [
    "CandidateUrl",
    "DiscoveryResult",
    "RejectedUrl",
    "canonicalize_url",
    "discover_document",
    "drop_older_than",
    "extract_links",
    "is_tracking_param",
    "next_sitemaps",
    "parse_date_hint",
    "parse_feed",
    "parse_sitemap",
    "same_site",
    "validate_url",
]
