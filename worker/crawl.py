"""A source's crawl: entry points -> candidate URLs -> intake (ledger row first, then publish)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from worker import pipeline
from worker.discover.candidates import CandidateUrl, DiscoveryResult, drop_older_than
from worker.discover.entry import discover_document
from worker.discover.sitemaps import next_sitemaps
from worker.errors import HostBusy, IngestError
from worker.fetch.http import FEED_TYPES, HTML_TYPES, SITEMAP_TYPES
from worker.models import FetchResult
from worker.sources import EntryPoint, EntryPointKind, Source
from worker.store import crawls, ledger

log = logging.getLogger(__name__)

ACCEPT = {
    EntryPointKind.feed: FEED_TYPES,
    EntryPointKind.sitemap: SITEMAP_TYPES,
    EntryPointKind.listing: HTML_TYPES,
}
MAX_POLITE_WAIT = 60.0  # seconds a crawl waits in total for host slots before giving up


@dataclass
class CrawlReport:
    source: str
    found: int = 0
    new: list[str] = field(default_factory=list)
    known: int = 0
    deferred: int = 0  # new URLs over the per-run limit, left for the next run
    rejected: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # entry points that answered 304
    postponed: list[str] = field(default_factory=list)  # host too busy: left for the next run
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.source}: found {self.found}, new {len(self.new)}, known {self.known}, "
            f"deferred {self.deferred}, rejected {len(self.rejected)}, "
            f"unchanged entry points {len(self.unchanged)}, postponed {len(self.postponed)}, "
            f"errors {len(self.errors)}"
        )


def crawl_source(
    svc: pipeline.Services, source: Source, publish: pipeline.Publisher
) -> CrawlReport:
    """Fetch every entry point of `source`, and hand the URLs not yet in the ledger to intake.

    An entry point that fails is reported and the others still run. Records the run.
    """
    started = svc.clock()
    report = CrawlReport(source=source.id)
    found: dict[str, CandidateUrl] = {}
    for entry in source.entry_points:
        for result in _discover(svc, source, entry, report):
            result = drop_older_than(result, source.limits.max_article_age_days, started)
            report.found += result.found
            report.rejected += [(r.url, r.reason) for r in result.rejected]
            for candidate in result.candidates:
                found.setdefault(candidate.canonical_url, candidate)

    known = ledger.known(svc.engine, list(found))
    report.known = len(known)
    fresh = [c for url, c in found.items() if url not in known]
    take = fresh[: source.limits.max_new_urls]
    report.deferred = len(fresh) - len(take)
    intake = pipeline.intake(
        svc.engine,
        [c.url for c in take],
        publish,
        source=source.id,
        hints={c.url: _hints(c) for c in take},
        clock=svc.clock,
    )
    report.new = intake.accepted
    report.known += len(intake.known)  # found by a concurrent crawl meanwhile
    report.rejected += intake.rejected
    crawls.record_run(
        svc.engine,
        source.id,
        started,
        svc.clock(),
        report.found,
        len(report.new),
        report.known,
        len(report.rejected),
        report.errors,
    )
    log.info("crawl %s", report.summary())
    return report


def _hints(candidate: CandidateUrl) -> dict[str, str]:
    """What the entry point said about an article, kept in the ledger for the parse step."""
    hints = {"via": candidate.via, "entry_point": candidate.entry_point}
    if candidate.title_hint:
        hints["title"] = candidate.title_hint
    if candidate.published_hint:
        hints["published"] = candidate.published_hint.isoformat()
    return hints


def _discover(
    svc: pipeline.Services, source: Source, entry: EntryPoint, report: CrawlReport
) -> list[DiscoveryResult]:
    """An entry point's documents: itself, and for a sitemap index its sitemaps (depth 1)."""
    options: dict[str, Any] = {
        "source_id": source.id,
        "include": entry.include,
        "exclude": entry.exclude,
        "language": entry.language,
        "default_tz": source.tz,
    }
    index = _read(svc, source, entry.url, entry.kind, report, options)
    if index is None:
        return []
    results = [index]
    seen: set[str] = set()
    children, skipped = next_sitemaps(index, seen=seen, depth=0)
    report.rejected += [(r.url, r.reason) for r in skipped]
    for child_url in children:
        child = _read(svc, source, child_url, EntryPointKind.sitemap, report, options)
        if child is None:
            continue
        nested, skipped = next_sitemaps(child, seen=seen, depth=1)
        report.rejected += [(r.url, r.reason) for r in skipped]
        report.rejected += [(url, "sitemap index nested deeper than 1") for url in nested]
        results.append(child)
    return results


def _read(
    svc: pipeline.Services,
    source: Source,
    url: str,
    kind: EntryPointKind,
    report: CrawlReport,
    options: dict[str, Any],
) -> DiscoveryResult | None:
    """Fetch one document politely and conditionally and read its links. None when it was
    unchanged (304), postponed (host busy) or failed; the report says which and why."""
    try:
        page = _fetch(svc, source, url, kind)
        if page.not_modified:
            report.unchanged.append(url)
            return None
        return discover_document(
            kind, page.body, page.final_url, content_type=page.content_type, **options
        )
    except HostBusy as exc:
        # The host's article fetches hold its slots; the next scheduled run tries again.
        report.postponed.append(f"{url}: {exc.reason}")
    except IngestError as exc:
        report.errors.append(f"{url}: {exc.reason}")
    return None


def _fetch(svc: pipeline.Services, source: Source, url: str, kind: EntryPointKind) -> FetchResult:
    """fetch with the entry point's validators, waiting a little for the host's slot."""
    if svc.fetcher is None:
        raise RuntimeError("a crawl needs a fetcher")
    etag, last_modified = crawls.validators(svc.engine, url)
    waited = 0.0
    while True:
        try:
            page = svc.fetcher.fetch(
                url, etag=etag, last_modified=last_modified, accept_types=ACCEPT[kind]
            )
            break
        except HostBusy as exc:
            # One crawl task per source: waiting here costs little and keeps runs whole.
            pause = exc.retry_after or 1.0
            if waited + pause > MAX_POLITE_WAIT:
                raise
            time.sleep(pause)
            waited += pause
    crawls.remember(
        svc.engine, url, source.id, page.status_code, page.etag, page.last_modified, svc.clock()
    )
    return page
