"""The chain's stages as plain functions: claim the ledger row, do the work, record the outcome.

Nothing here knows about Celery: `worker.tasks` wraps these, and the unit tests call them
directly with a real database, a real HTTP server and an injected clock.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError

from worker.discover.canonical import canonicalize_url
from worker.errors import (
    EmptyArticle,
    HostBusy,
    IngestError,
    InvalidContent,
    PermanentError,
    TransientError,
)
from worker.fetch.polite import PoliteFetcher
from worker.models import Article, Stage, UrlState, content_hash
from worker.parse import default_profiles, extract_article
from worker.settings import Settings
from worker.sources import Source
from worker.store import articles, ledger

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
ORDER = (Stage.fetch, Stage.parse, Stage.store)
Publisher = Callable[[int, Stage], None]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """What the stages need, handed in rather than reached for."""

    engine: Engine
    settings: Settings
    fetcher: PoliteFetcher | None = None  # only the fetch stage and crawls need one
    sources: Mapping[str, Source] = field(default_factory=dict)  # by id, from sources.toml
    clock: Clock = utcnow


@dataclass(frozen=True)
class StageResult:
    """What a stage did. `proceed` continues the chain; `retry_in` asks for a delayed retry."""

    url_id: int
    stage: Stage
    outcome: str
    proceed: bool = False
    retry_in: float | None = None


# --- intake ---------------------------------------------------------------------------


@dataclass
class IntakeReport:
    accepted: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (input, reason)
    unpublished: int = 0  # accepted rows left for the reconciler (broker unreachable)

    @property
    def ok(self) -> bool:
        return not self.rejected


def source_for(url: str) -> str:
    """The source id for a URL entered by hand: its host without `www.`."""
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return host.removeprefix("www.")


def intake(
    engine: Engine,
    raw_urls: Iterable[str],
    publish: Publisher,
    *,
    source: str | None = None,
    hints: dict[str, dict[str, str]] | None = None,
    clock: Clock = utcnow,
) -> IntakeReport:
    """Validate URLs, commit new ones to the ledger, then publish them best-effort.

    The commit is the promise: a URL is "accepted" once its row exists, whether or not the
    broker took the message. Rows that could not be published are picked up by reconcile.
    """
    report = IntakeReport()
    items: dict[str, ledger.NewUrl] = {}
    for raw in raw_urls:
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            continue
        try:
            canonical = canonicalize_url(raw)
        except IngestError as exc:
            report.rejected.append((raw, exc.reason))
            continue
        items.setdefault(
            canonical,
            ledger.NewUrl(
                canonical_url=canonical,
                original_url=raw,
                source=source or source_for(canonical),
                hints=(hints or {}).get(raw),
            ),
        )
    recorded = ledger.intake(engine, list(items.values()), clock())
    broker_down = False
    for canonical, (url_id, created) in recorded.items():
        if not created:
            report.known.append(canonical)
            continue
        report.accepted.append(canonical)
        if broker_down:
            report.unpublished += 1
            continue
        try:
            publish(url_id, Stage.fetch)
        except Exception as exc:  # any broker failure: the ledger row already stands
            log.warning("publish failed, leaving the rest to reconcile: %s", exc)
            broker_down = True
            report.unpublished += 1
    return report


# --- the three stages -----------------------------------------------------------------


def run_stage(
    svc: Services,
    stage: Stage,
    url_id: int,
    owner: str,
    *,
    timeouts: tuple[type[BaseException], ...] = (),
) -> StageResult:
    """Claim the row for `stage`, run the stage's work, and record what happened.

    `timeouts` are the exception types the caller's runtime raises for a soft time limit;
    they count as a failed attempt whose reason starts with "timeout".
    """
    s = svc.settings
    limit = {
        Stage.fetch: s.fetch_time_limit,
        Stage.parse: s.parse_time_limit,
        Stage.store: s.store_time_limit,
    }[stage]
    claim = ledger.claim(
        svc.engine, url_id, stage, owner, svc.clock(), s.lease_seconds(limit), s.max_attempts
    )
    if claim is None:
        following = ORDER[ORDER.index(stage) + 1 :]
        if following and ledger.waits_for(svc.engine, url_id, following[0], svc.clock()):
            # This stage's work is committed but its worker died before the next message went
            # out (the redelivery is this one): send the chain on, a duplicate is harmless.
            return StageResult(url_id, stage, f"already done; {following[0]} sent on", proceed=True)
        return StageResult(url_id, stage, "not claimable: duplicate delivery or already done")
    if claim.exhausted is not None:
        return StageResult(url_id, stage, f"gave up: {claim.exhausted}")
    try:
        return _WORK[stage](svc, claim, owner)
    except PermanentError as exc:
        ledger.record_failure(svc.engine, url_id, owner, exc.state, exc.reason, svc.clock())
        return StageResult(url_id, stage, f"{exc.state}: {exc.reason}")
    except TransientError as exc:
        counts = not isinstance(exc, HostBusy)
        return _retry_or_give_up(svc, claim, stage, owner, exc.reason, exc.retry_after, counts)
    except timeouts:
        reason = f"timeout: {stage} passed its soft time limit ({s.soft_time_limit(limit)} s)"
        return _retry_or_give_up(svc, claim, stage, owner, reason, None, True)
    except (OperationalError, InterfaceError):
        raise  # the database is away: the task retries with backoff, the claim stays
    except Exception as exc:
        # A bug or an input nobody foresaw: record it and treat it as a failed attempt, so the
        # row ends with the reason after the cap instead of looking like a dead worker.
        log.exception("%s of url %d failed", stage, url_id)
        reason = f"unexpected {type(exc).__name__}: {exc}"[:500]
        return _retry_or_give_up(svc, claim, stage, owner, reason, None, True)


def _retry_or_give_up(
    svc: Services,
    claim: ledger.Claim,
    stage: Stage,
    owner: str,
    reason: str,
    retry_after: float | None,
    counts: bool,
) -> StageResult:
    now = svc.clock()
    if counts and claim.attempts >= svc.settings.max_attempts:
        state = (
            UrlState.timeout
            if reason.startswith("timeout")
            else (UrlState.failed_fetch if stage is Stage.fetch else UrlState.invalid)
        )
        final = f"gave up after {claim.attempts} attempts: {reason}"
        ledger.record_failure(svc.engine, claim.url_id, owner, state, final, now)
        return StageResult(claim.url_id, stage, f"{state}: {final}")
    delay = retry_delay(claim.attempts, retry_after, svc.settings.retry_backoff_max)
    retry_at = now + timedelta(seconds=delay)
    ledger.record_retry(
        svc.engine, claim.url_id, owner, reason, retry_at, now, count_attempt=counts
    )
    return StageResult(claim.url_id, stage, f"retry in {delay:.1f} s: {reason}", retry_in=delay)


def retry_delay(
    attempt: int,
    retry_after: float | None,
    cap: float,
    base: float = 5.0,
    rng: random.Random | None = None,
) -> float:
    """Exponential backoff with full jitter, never sooner than the server's Retry-After."""
    rng = rng or random.Random()
    ceiling = min(cap, base * 2 ** max(attempt - 1, 0))
    delay = rng.uniform(ceiling / 2, ceiling)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, cap)


def _fetch(svc: Services, claim: ledger.Claim, owner: str) -> StageResult:
    if svc.fetcher is None:
        raise RuntimeError("the fetch stage needs a fetcher")
    result = svc.fetcher.fetch(
        claim.canonical_url, etag=claim.etag, last_modified=claim.last_modified
    )
    now = svc.clock()
    if result.not_modified:
        ledger.record_unchanged(svc.engine, claim.url_id, owner, now)
        return StageResult(claim.url_id, Stage.fetch, "not modified (304)")
    page_id = ledger.record_fetch(svc.engine, claim.url_id, owner, result, now)
    if page_id is None:
        return StageResult(claim.url_id, Stage.fetch, "lease lost to another delivery")
    return StageResult(claim.url_id, Stage.fetch, f"fetched page {page_id}", proceed=True)


def _parse(svc: Services, claim: ledger.Claim, owner: str) -> StageResult:
    if claim.page_id is None:
        raise EmptyArticle("no stored page to parse")
    try:
        body, final_url, content_type = ledger.load_page(svc.engine, claim.page_id)
    except LookupError as exc:
        raise InvalidContent(str(exc)) from None
    source = svc.sources.get(claim.source)
    profile = None
    if source is not None and source.profile:
        profile = default_profiles(svc.settings.profiles_dir).named(source.profile)
    article = extract_article(
        body,
        final_url,
        profile=profile,
        timezone=source.tz if source is not None else None,
        content_type=content_type,
    )
    article = with_hints(article, claim.source, claim.hints)
    if not article.body.strip():
        why = "; ".join(article.problems) or "the extractor found no article text"
        raise EmptyArticle(f"no article text: {why}")
    moved = ledger.record_parse(
        svc.engine, claim.url_id, owner, claim.page_id, article, svc.clock()
    )
    outcome = f"parsed {article.word_count} words" if moved else "lease lost to another delivery"
    return StageResult(claim.url_id, Stage.parse, outcome, proceed=moved)


def with_hints(article: Article, source: str, hints: Mapping[str, str] | None) -> Article:
    """The ledger's source id, and what a feed or sitemap said where the page said nothing."""
    update: dict[str, Any] = {"source": source}
    provenance = dict(article.provenance)
    hints = hints or {}
    if not article.title and hints.get("title"):
        update["title"] = hints["title"]
        update["content_hash"] = content_hash(hints["title"], article.body)
        provenance["title"] = "feed"
    if article.published_at is None and hints.get("published"):
        update["published_at"] = datetime.fromisoformat(hints["published"])
        update["published_raw"] = hints["published"]
        provenance["published_at"] = "feed"
    update["provenance"] = provenance
    return Article.model_validate({**article.model_dump(), **update})


def _store(svc: Services, claim: ledger.Claim, owner: str) -> StageResult:
    if claim.page_id is None:
        raise EmptyArticle("no parsed article to store")
    article = ledger.load_extracted(svc.engine, claim.page_id)
    now = svc.clock()
    with svc.engine.begin() as conn:
        article_id, outcome = articles.upsert_article(conn, claim.canonical_url, article, now)
        if not ledger.advance_stored(conn, claim.url_id, owner, article_id, now):
            conn.rollback()
            return StageResult(claim.url_id, Stage.store, "lease lost to another delivery")
    return StageResult(claim.url_id, Stage.store, f"{outcome} article {article_id}")


_WORK: dict[Stage, Callable[[Services, ledger.Claim, str], StageResult]] = {
    Stage.fetch: _fetch,
    Stage.parse: _parse,
    Stage.store: _store,
}


# --- upkeep ---------------------------------------------------------------------------


def reconcile(svc: Services, publish: Publisher, broker_emptied: datetime | None = None) -> int:
    """Re-publish pending rows whose lease expired and that nobody touched for a while.

    Covers a Redis restarted empty, a lost chain step, a failed publish and a killed worker.
    `broker_emptied`, when the broker is known to have lost its queues then, makes every row
    untouched since that moment stranded at once: its message is gone, so waiting out the
    staleness window (which guards against racing a redelivery) would only delay it.
    Returns how many rows were re-published.
    """
    now = svc.clock()
    cutoff = now - timedelta(seconds=svc.settings.reconcile_staleness)
    if broker_emptied is not None and broker_emptied > cutoff:
        cutoff = min(broker_emptied, now)
    rows = ledger.stranded(svc.engine, now, cutoff, svc.settings.reconcile_batch)
    done: list[int] = []
    for url_id, state in rows:
        stage = Stage.for_state(state)
        if stage is None:
            continue
        try:
            publish(url_id, stage)
        except Exception as exc:
            log.warning(
                "reconcile: broker unavailable, %d rows wait for next run: %s",
                len(rows) - len(done),
                exc,
            )
            break
        done.append(url_id)
    ledger.touch(svc.engine, done, now)
    return len(done)


def recrawl(svc: Services, publish: Publisher) -> int:
    """Send stored articles that reached a re-crawl age back through the chain; the fetch is
    conditional (ETag / Last-Modified), so an unchanged page costs a 304 and nothing else."""
    now = svc.clock()
    due = ledger.due_for_recrawl(
        svc.engine, now, svc.settings.recrawl_ages, svc.settings.reconcile_batch
    )
    return _publish_all(ledger.requeue(svc.engine, due, now), Stage.fetch, publish)


FAILED_STATES = tuple(s for s in UrlState if s.terminal and s is not UrlState.stored)


def retry_failed(
    svc: Services,
    publish: Publisher,
    *,
    canonical_urls: Sequence[str] = (),
    states: Sequence[UrlState] = FAILED_STATES,
    source: str | None = None,
) -> int:
    """Send failed URLs through the chain again, with a fresh attempt budget."""
    ids = ledger.ids_where(svc.engine, canonical_urls=canonical_urls, states=states, source=source)
    requeued = ledger.requeue(svc.engine, ids, svc.clock(), from_states=FAILED_STATES)
    return _publish_all(requeued, Stage.fetch, publish)


def _publish_all(url_ids: Sequence[int], stage: Stage, publish: Publisher) -> int:
    """Publish rows already moved in the ledger; on a broker failure reconcile does the rest."""
    for url_id in url_ids:
        try:
            publish(url_id, stage)
        except Exception as exc:
            log.warning("publish failed, reconcile will retry the rest: %s", exc)
            break
    return len(url_ids)


def reparse(svc: Services, publish: Publisher, source: str | None = None) -> int:
    """Parse every stored page again (its raw body still kept) with the current extractor."""
    ids = ledger.requeue_for_parse(svc.engine, svc.clock(), source)
    return _publish_all(ids, Stage.parse, publish)


def purge_old_pages(svc: Services) -> int:
    days = svc.settings.page_retention_days
    if days <= 0:
        return 0
    return ledger.purge_pages(svc.engine, svc.clock() - timedelta(days=days))
