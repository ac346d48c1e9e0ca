"""Integration fixtures: a real Celery worker on the real Redis, a real HTTP origin, and a
fresh database per run on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine, create_engine, text

from tests.conftest import RUN_ID
from tests.support.articles import article_html
from tests.support.celery_worker import RealWorker
from tests.support.httpserver import Reply, ScriptedServer
from worker import pipeline, tasks
from worker.models import UrlState
from worker.settings import Settings
from worker.store import ledger
from worker.store.engine import make_engine
from worker.store.migrate import upgrade

REDIS_URL = os.environ["INGEST_REDIS_URL"]
PREFIX = os.environ["INGEST_REDIS_KEY_PREFIX"]
PG_ADMIN_URL = os.environ.get(
    "INGEST_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

# The test profile of reliability.md: short limits so faults play out in seconds.
WORKER_ENV = {
    "INGEST_VISIBILITY_TIMEOUT": "90",
    "INGEST_FETCH_TIME_LIMIT": "20",
    "INGEST_PARSE_TIME_LIMIT": "20",
    "INGEST_STORE_TIME_LIMIT": "20",
    "INGEST_RETRY_BACKOFF_MAX": "2",
    "INGEST_FETCH_MAX_BYTES": str(512 * 1024),
    "INGEST_FETCH_DEADLINE": "10",
    "INGEST_FETCH_HOST_INTERVAL": "0",
    "INGEST_FETCH_HOST_CONCURRENCY": "8",
    "INGEST_RECONCILE_STALENESS": "100",
}


@pytest.fixture(scope="session", autouse=True)
def _flush_redis_prefix() -> Iterator[None]:
    client = redis.Redis.from_url(REDIS_URL)
    yield
    keys = list(client.scan_iter(match=f"{PREFIX}*", count=1000))
    if keys:
        client.delete(*keys)


def _postgres_database() -> Iterator[str]:
    name = f"ingest_test_{RUN_ID}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'ingest.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture(scope="module")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def CeleryWorker(  # noqa: N802 - reads as the class it returns
    database_url: str,
    log: Path,
    extra_env: dict[str, str] | None = None,
    app: str = "worker.celery_app",
) -> RealWorker:
    """A real worker with the test profile's settings on `database_url`."""
    env = {**WORKER_ENV, "INGEST_DATABASE_URL": database_url, **(extra_env or {})}
    return RealWorker(log, env, app=app)


@pytest.fixture(scope="module")
def celery_worker(
    engine: Engine, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CeleryWorker]:
    worker = CeleryWorker(database_url, tmp_path_factory.mktemp("worker") / "worker.log")
    yield worker
    worker.stop()


def wait_until_settled(engine: Engine, urls: list[str], timeout: float = 240) -> dict[str, dict]:
    """Poll the ledger until every URL is in a terminal state; returns the rows."""
    deadline = time.monotonic() + timeout
    while True:
        rows = {u: ledger.url_row(engine, u) for u in urls}
        pending = [u for u, r in rows.items() if r is None or not UrlState(r["state"]).terminal]
        if not pending:
            return rows  # type: ignore[return-value]
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(pending)} URLs still pending, e.g. {rows[pending[0]]}")
        time.sleep(0.5)


def poll(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    """A fresh, migrated SQLite database of the test's own (fault tests run on one backend)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'ingest.db'}")
    upgrade(engine)
    return engine


@contextmanager
def article_origin(count: int, delay: float = 0.0) -> Iterator[ScriptedServer]:
    """An origin serving `count` articles at /a/0 ... /a/{count-1}, each `delay` s slow."""
    with ScriptedServer() as srv:
        for i in range(count):
            srv.route(f"/a/{i}", Reply(body=article_html(i), delay=delay))
        yield srv


def stored_count(engine: Engine) -> int:
    """URLs the ledger has as stored."""
    return ledger.state_counts(engine).get(UrlState.stored.value, 0)


def reconcile_later(engine: Engine) -> int:
    """Reconcile as beat would, once the test profile's staleness window has passed."""
    settings = Settings(reconcile_staleness=float(WORKER_ENV["INGEST_RECONCILE_STALENESS"]))
    later = pipeline.utcnow() + timedelta(seconds=settings.reconcile_staleness + 60)
    svc = pipeline.Services(engine=engine, settings=settings, clock=lambda: later)
    return pipeline.reconcile(svc, tasks.publish)
