"""The effective Celery options of every task and of the app: a misspelt option fails here."""

from __future__ import annotations

import pytest

from worker.celery_app import app, celery_config, crawl_period
from worker.settings import ConfigurationError, Settings
from worker.sources import Schedule


def test_app_reliability_settings() -> None:
    conf = app.conf
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_ignore_result and conf.worker_send_task_events
    vt = conf.broker_transport_options["visibility_timeout"]
    assert (
        vt == conf.visibility_timeout == conf.result_backend_transport_options["visibility_timeout"]
    )
    assert conf.broker_transport_options["global_keyprefix"].startswith("ingest-test-")
    assert conf.broker_connection_max_retries is None
    assert {q.name for q in conf.task_queues} == {"fetch", "parse", "store"}
    assert "reconcile" in conf.beat_schedule


def test_every_option_name_is_one_celery_knows() -> None:
    from celery.app.defaults import DEFAULTS

    # `visibility_timeout` at top level is read by the Redis result backend, not declared.
    unknown = set(celery_config(Settings())) - set(DEFAULTS) - {"visibility_timeout"}
    assert not unknown, f"options Celery would silently ignore: {unknown}"


@pytest.mark.parametrize(
    ("name", "queue", "hard", "retries"),
    [
        ("ingest.fetch", "fetch", 60, 12),
        ("ingest.parse", "parse", 30, 12),
        ("ingest.store", "store", 30, 12),
    ],
)
def test_stage_task_options(name: str, queue: str, hard: int, retries: int) -> None:
    from sqlalchemy.exc import OperationalError

    import worker.tasks  # noqa: F401  registers the tasks

    task = app.tasks[name]
    assert app.amqp.router.route({}, name)["queue"].name == queue
    assert task.acks_late and task.reject_on_worker_lost
    assert task.time_limit == hard and task.soft_time_limit < hard
    assert task.max_retries == retries
    assert OperationalError in task.autoretry_for
    assert (
        task.retry_backoff
        and task.retry_jitter
        and task.retry_backoff_max == Settings().retry_backoff_max
    )
    assert task.typing  # arguments are checked against the signature


def test_broker_safety_refuses_short_visibility_timeout() -> None:
    with pytest.raises(ConfigurationError, match="hard time limit"):
        Settings(visibility_timeout=60, fetch_time_limit=60).check_broker_safety()
    with pytest.raises(ConfigurationError, match="RETRY_BACKOFF_MAX"):
        Settings(visibility_timeout=500, retry_backoff_max=600).check_broker_safety()
    Settings().check_broker_safety()


@pytest.mark.parametrize(
    "message", [{"url_id": "1"}, {"url_id": 1, "body": "<html>"}, {"url_id": -4}, {}]
)
def test_malformed_messages_are_refused_before_any_work(message: dict[str, object]) -> None:
    from pydantic import ValidationError

    from worker import tasks

    with pytest.raises(ValidationError):
        tasks.fetch.run(message)


@pytest.mark.parametrize(
    ("schedule", "seconds"),
    [
        (Schedule(every=30), 30),
        (Schedule(cron="*/20 * * * *"), 1200),
        (Schedule(cron="0,50 * * * *"), 600),  # 0:50 -> 1:00
        (Schedule(cron="30 6,18 * * mon-fri"), 12 * 3600),
        (Schedule(cron="15 3 * * *"), 24 * 3600),
    ],
)
def test_crawl_period_is_the_shortest_gap_between_scheduled_crawls(
    schedule: Schedule, seconds: int
) -> None:
    """A crawl claims its source for half this long, so a second beat's send is skipped."""
    assert crawl_period(schedule) == seconds
