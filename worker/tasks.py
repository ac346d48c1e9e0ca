"""Thin Celery tasks: validate the message, call a pipeline function, turn outcomes into
chain continuation, retries or failure. All the work lives in `worker.pipeline`."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from datetime import datetime
from typing import Any

import redis
from celery import Task, chain
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_shutdown
from sqlalchemy.exc import InterfaceError, OperationalError

from worker import crawl, pipeline
from worker.celery_app import app, crawl_period
from worker.fetch.client import make_client
from worker.fetch.polite import PoliteFetcher
from worker.models import Stage, StageMessage
from worker.settings import get_settings
from worker.sources import Source, find_source, load_sources
from worker.store.engine import get_engine

log = logging.getLogger(__name__)
settings = get_settings()

# Database errors that mean "not reachable right now" (connection refused, locked, read-only).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

# A crawl claims its source for this share of the schedule's period. Half a period stops the
# second beat's send whatever the two beats' phases, and leaves a single beat's crawl half a
# period of queueing delay before the next one would be skipped.
CRAWL_CLAIM_SHARE = 0.5

_fetchers: dict[int, pipeline.Services] = {}
_redis_clients: dict[int, redis.Redis] = {}


@functools.cache
def _sources() -> dict[str, Source]:
    """Sources by id, read once per process (a bad file fails the task with the reason)."""
    return {s.id: s for s in load_sources(settings.sources_file)}


def _redis() -> redis.Redis:
    """This process's Redis client for locks, robots.txt cache and host slots."""
    client = _redis_clients.get(os.getpid())
    if client is None:
        client = _redis_clients[os.getpid()] = redis.Redis.from_url(
            settings.redis_url, socket_timeout=10, socket_connect_timeout=5
        )
    return client


def services(with_http: bool = False) -> pipeline.Services:
    """This process's engine, HTTP client, robots cache and host limiter: made after fork,
    reused across tasks."""
    engine = get_engine(settings.database_url)
    if not with_http:
        return pipeline.Services(engine=engine, settings=settings, sources=_sources())
    svc = _fetchers.get(os.getpid())
    if svc is None:
        fetcher = PoliteFetcher(
            make_client(settings), _redis(), settings, prefix=settings.redis_key_prefix + "ingest:"
        )
        svc = _fetchers[os.getpid()] = pipeline.Services(
            engine=engine, settings=settings, fetcher=fetcher, sources=_sources()
        )
    return svc


@worker_process_shutdown.connect
def _close_client(**_: Any) -> None:
    svc = _fetchers.pop(os.getpid(), None)
    if svc is not None and svc.fetcher is not None:
        svc.fetcher.close()


def _stage_options(hard_limit: int) -> dict[str, Any]:
    return {
        "bind": True,
        "pydantic": True,  # the message is validated into StageMessage before the task runs
        "pydantic_strict": True,
        "acks_late": True,
        "reject_on_worker_lost": True,
        "time_limit": hard_limit,
        "soft_time_limit": settings.soft_time_limit(hard_limit),
        # Celery counts retries while the database is away; the ledger counts the rest.
        "max_retries": settings.database_max_retries,
        "autoretry_for": DATABASE_UNAVAILABLE,
        "retry_backoff": 5,
        "retry_backoff_max": settings.retry_backoff_max,
        "retry_jitter": True,
    }


def _run(task: Task, stage: Stage, message: StageMessage) -> dict[str, int]:
    result = pipeline.run_stage(
        services(with_http=stage is Stage.fetch),
        stage,
        message.url_id,
        owner=task.request.id or f"local-{os.getpid()}",
        timeouts=(SoftTimeLimitExceeded,),
    )
    log.info("%s url %d: %s", stage, message.url_id, result.outcome)
    if result.retry_in is not None:
        # The ledger's attempt cap decides when to give up (politeness waits don't count),
        # so Celery's own retry count must never end the chain first.
        budget = max(task.max_retries or 0, task.request.retries + 1)
        raise task.retry(countdown=result.retry_in, max_retries=budget)
    if not result.proceed:
        task.request.chain = None  # stop here: terminal, duplicate, or done
    return {"url_id": message.url_id}


@app.task(name="ingest.fetch", **_stage_options(settings.fetch_time_limit))
def fetch(self: Task, message: StageMessage) -> dict[str, int]:
    return _run(self, Stage.fetch, message)


@app.task(name="ingest.parse", **_stage_options(settings.parse_time_limit))
def parse(self: Task, message: StageMessage) -> dict[str, int]:
    return _run(self, Stage.parse, message)


@app.task(name="ingest.store", **_stage_options(settings.store_time_limit))
def store(self: Task, message: StageMessage) -> dict[str, int]:
    return _run(self, Stage.store, message)


STAGE_TASKS = {Stage.fetch: fetch, Stage.parse: parse, Stage.store: store}


def publish(url_id: int, stage: Stage = Stage.fetch, *, best_effort: bool = False) -> None:
    """Publish the chain for a ledger row from `stage` on. Only ids travel through Redis."""
    body = {"url_id": url_id}
    steps = [STAGE_TASKS[s].si(body) for s in pipeline.ORDER[pipeline.ORDER.index(stage) :]]
    options: dict[str, Any] = {}
    if best_effort:
        # Intake has already committed the row; a quick failure beats a caller left waiting.
        options = {"retry": True, "retry_policy": {"max_retries": 1, "interval_start": 0.2}}
    chain(*steps).apply_async(**options)


def publish_best_effort(url_id: int, stage: Stage) -> None:
    publish(url_id, stage, best_effort=True)


@app.task(name="ingest.reconcile", acks_late=True, time_limit=300, soft_time_limit=240)
def reconcile() -> int:
    """Re-publish ledger rows stranded by a lost message, a flushed Redis or a dead worker."""
    svc = services()
    count = pipeline.reconcile(svc, publish, broker_emptied=broker_emptied_at(svc.clock()))
    if count:
        log.info("reconcile: re-published %d stranded rows", count)
    return count


def broker_emptied_at(now: datetime) -> datetime | None:
    """When the broker's Redis was last found empty: restarted without persistence, flushed,
    or new. A marker key lives there for good; the first reconcile that finds it gone sets it
    to `now`, and from then on rows untouched since that moment are stranded at once: their
    messages went with the rest. (On a new Redis that still holds queued messages, the first
    run re-publishes those rows too: a second message for a row finds its claim taken.)"""
    key = f"{settings.redis_key_prefix}ingest:broker-epoch"
    try:
        client = _redis()
        if client.set(key, now.isoformat(), nx=True):
            log.warning(
                "reconcile: the broker's Redis holds no marker (restarted empty, flushed or "
                "new): pending rows untouched since %s are re-published now",
                now.isoformat(timespec="seconds"),
            )
            return now
        raw = client.get(key)
        if isinstance(raw, bytes):
            raw = raw.decode()
        return datetime.fromisoformat(raw) if raw else None
    except (redis.RedisError, ValueError) as exc:
        log.warning("reconcile: broker marker unreadable, staleness rule only: %s", exc)
        return None


@app.task(name="ingest.recrawl", acks_late=True, time_limit=300, soft_time_limit=240)
def recrawl() -> int:
    """Re-fetch stored articles that reached a re-crawl age (updates become revisions)."""
    return pipeline.recrawl(services(), publish)


@app.task(name="ingest.purge_pages", acks_late=True, time_limit=600, soft_time_limit=540)
def purge_pages() -> int:
    """Drop raw page bodies past the retention period."""
    return pipeline.purge_old_pages(services())


@app.task(name="ingest.crawl_source", acks_late=True, time_limit=600, soft_time_limit=540)
def crawl_source(source_id: str) -> dict[str, int]:
    """Crawl one source's entry points and queue the new article URLs it finds.

    One crawl of a source at a time across every beat and worker (a Redis lock with an expiry),
    and one per scheduled period: a crawl claims the source for half its period, so the send
    of a second beat started by mistake finds the claim and is skipped.
    """
    source = find_source(list(_sources().values()), source_id)
    svc = services(with_http=True)
    keys = f"{settings.redis_key_prefix}ingest:crawl-"
    lock = _redis().lock(f"{keys}lock:{source.id}", timeout=600, blocking=False)
    if not lock.acquire():
        log.info("crawl %s: another crawl of this source is running; skipped", source.id)
        return {"skipped": 1}
    claim_ms = int(crawl_period(source.schedule) * CRAWL_CLAIM_SHARE * 1000)
    try:
        claim = f"{keys}claim:{source.id}"
        if not _redis().set(claim, svc.clock().isoformat(), nx=True, px=claim_ms):
            log.info(
                "crawl %s: already crawled in this period (a second beat?); skipped", source.id
            )
            return {"skipped": 1}
        report = crawl.crawl_source(svc, source, publish)
    finally:  # however it ends (a Redis error included), the next crawl need not wait 600 s
        with contextlib.suppress(redis.exceptions.LockError):
            lock.release()
    return {"found": report.found, "new": len(report.new), "errors": len(report.errors)}
