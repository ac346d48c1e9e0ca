"""The Celery app: queues, routes, reliability settings (each with its reason), beat schedule.

`celery -A worker.celery_app worker|beat` and Flower all load `app` from here.
"""

from __future__ import annotations

import sys
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init, worker_init
from kombu import Queue

from worker.settings import ConfigurationError, Settings, get_settings
from worker.sources import Schedule, Source, load_sources

QUEUES = ("fetch", "parse", "store")


def celery_config(settings: Settings) -> dict[str, Any]:
    vt = settings.visibility_timeout
    transport: dict[str, Any] = {
        "visibility_timeout": vt,  # > every hard limit and retry delay: checked at start-up
        "socket_timeout": 30,  # notice a silently dropped connection instead of hanging
        "socket_connect_timeout": 5,
        "socket_keepalive": True,
        "health_check_interval": 25,
    }
    if settings.redis_key_prefix:
        transport["global_keyprefix"] = settings.redis_key_prefix
    return {
        "broker_url": settings.redis_url,
        # A pickle payload from anyone who reaches Redis would be code execution.
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        # A crash mid-task redelivers the message instead of losing it...
        "task_acks_late": True,
        # ...and so does a SIGKILLed or OOM-killed child; the ledger's attempt cap stops loops.
        "task_reject_on_worker_lost": True,
        # Python exceptions and hard timeouts are final for the broker: the ledger owns retries.
        "task_acks_on_failure": True,
        "task_acks_on_timeout": True,
        # With late acks each process holds only the task it runs: fewer strand on a crash.
        "worker_prefetch_multiplier": 1,
        "worker_concurrency": settings.worker_concurrency,
        # The same timeout in all three places, or Celery mixes them up (celery#7651).
        "broker_transport_options": transport,
        "result_backend_transport_options": {"visibility_timeout": vt},
        "visibility_timeout": vt,
        # Wait out a Redis outage rather than exit after 100 tries.
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,
        # Chain steps ride out ~15 s Redis blips (the default gives up after ~0.6 s).
        "task_publish_retry_policy": {
            "max_retries": 5,
            "interval_start": 0.5,
            "interval_step": 1,
            "interval_max": 5,
        },
        # apply_async never blocks forever waiting for a pooled connection.
        "broker_pool_acquire_timeout": 30,
        # Deploys hand in-flight and ETA messages back at once, not after the visibility timeout.
        "worker_soft_shutdown_timeout": 10.0,
        "worker_enable_soft_shutdown_on_idle": True,
        # The message is redelivered after a connection loss anyway: don't run it twice.
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        # Recycle children that leak in C extensions (not a guard against one huge page).
        "worker_max_tasks_per_child": 500,
        "worker_max_memory_per_child": settings.worker_max_memory_mib * 1024,  # KiB
        # Countdown retries cannot exhaust worker memory.
        "worker_eta_task_limit": 1000,
        # Chains need no stored results: the database is the record.
        "task_ignore_result": True,
        "result_backend": None,
        # Task events for Flower.
        "worker_send_task_events": True,
        "task_send_sent_event": True,
        "task_queues": [Queue(name) for name in QUEUES],
        "task_default_queue": "fetch",
        "task_routes": {
            "ingest.fetch": {"queue": "fetch"},
            "ingest.crawl_source": {"queue": "fetch"},
            "ingest.parse": {"queue": "parse"},
            "ingest.store": {"queue": "store"},
            "ingest.reconcile": {"queue": "store"},
            "ingest.purge_pages": {"queue": "store"},
            "ingest.recrawl": {"queue": "store"},
        },
        "timezone": "UTC",
        "enable_utc": True,
        "beat_schedule": beat_schedule(settings),
    }


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """Periodic tasks; each is idempotent, but run exactly one beat all the same.

    One `crawl:<id>` entry per scheduled source of config/sources.toml; an invalid file
    stops beat (and the worker) at start-up with the file, source and field named.
    """
    schedule: dict[str, dict[str, Any]] = {
        "reconcile": {"task": "ingest.reconcile", "schedule": settings.reconcile_interval},
        "purge-pages": {"task": "ingest.purge_pages", "schedule": 3600.0},
        "recrawl": {"task": "ingest.recrawl", "schedule": settings.recrawl_interval},
    }
    for source in scheduled_sources(settings):
        cron = source.schedule.crontab_kwargs()
        schedule[f"crawl:{source.id}"] = {
            "task": "ingest.crawl_source",
            "schedule": crontab(**cron) if cron else float(source.schedule.every or 900),
            "args": (source.id,),
            # A crawl still waiting when the next one is due is pointless: let it expire.
            "options": {"expires": float(source.schedule.every or 900)},
        }
    return schedule


def crawl_period(schedule: Schedule) -> float:
    """Seconds between two crawls on `schedule`: its interval, or the shortest gap between
    the times of day its crontab names (days of week and month only widen gaps)."""
    if schedule.every is not None:
        return float(schedule.every)
    cron = crontab(**(schedule.crontab_kwargs() or {}))
    minutes = sorted(h * 60 + m for h in cron.hour for m in cron.minute)
    gaps = [b - a for a, b in zip(minutes, minutes[1:], strict=False)]
    gaps.append(minutes[0] + 24 * 60 - minutes[-1])
    return 60.0 * min(gaps)


def scheduled_sources(settings: Settings) -> list[Source]:
    sources = load_sources(settings.sources_file)
    wanted = set(settings.crawl_sources)
    return [s for s in sources if s.enabled and (not wanted or s.id in wanted)]


def create_app(settings: Settings | None = None) -> Celery:
    settings = settings or get_settings()
    celery = Celery("worker", include=["worker.tasks"])
    celery.conf.update(celery_config(settings))
    return celery


app = create_app()


@worker_init.connect
@beat_init.connect
def _refuse_unsafe_settings(**_: Any) -> None:
    """Refuse to start when Redis would redeliver tasks that are still running."""
    try:
        get_settings().check_broker_safety()
    except ConfigurationError as exc:
        print(f"ingest worker: refusing to start: {exc}", file=sys.stderr)
        raise SystemExit(78) from None  # EX_CONFIG; SystemExit passes Celery's signal guard
