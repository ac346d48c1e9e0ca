"""Chain throughput: N article URLs through a real Celery worker, Redis and database.

    python bench/pipeline.py [--urls 500] [--concurrency 2] [--database sqlite|postgresql]

Starts a local origin serving /a/{i}, a worker on all three queues with its own Redis key
prefix and a fresh database, enqueues the URLs through the CLI's intake function, and prints
URLs per second from intake to the last article stored, and the command that produced it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PREFIX = f"ingest-bench-{uuid.uuid4().hex[:8]}:"
os.environ.update({"INGEST_REDIS_KEY_PREFIX": PREFIX, "INGEST_FETCH_ALLOW_PRIVATE": "127.0.0.1"})

import redis  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from tests.support.articles import article_html  # noqa: E402
from tests.support.celery_worker import RealWorker  # noqa: E402
from tests.support.httpserver import Reply, ScriptedServer  # noqa: E402
from worker import pipeline, tasks  # noqa: E402
from worker.settings import get_settings  # noqa: E402
from worker.store import ledger  # noqa: E402
from worker.store.engine import make_engine  # noqa: E402
from worker.store.migrate import upgrade  # noqa: E402

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--urls", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    pg_name = None
    if args.database == "sqlite":
        database = f"sqlite:///{scratch / 'bench.db'}"
    else:
        pg_name = f"ingest_bench_{uuid.uuid4().hex[:8]}"
        with create_engine(PG, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{pg_name}"'))
        database = PG.rsplit("/", 1)[0] + f"/{pg_name}"
    engine = make_engine(database)
    upgrade(engine)

    env = {
        **os.environ,
        "INGEST_DATABASE_URL": database,
        "INGEST_FETCH_HOST_INTERVAL": "0",
        "INGEST_FETCH_HOST_CONCURRENCY": "16",
    }
    worker = RealWorker(scratch / "worker.log", env, concurrency=args.concurrency)
    print(f"worker log: {scratch / 'worker.log'}")
    try:
        with ScriptedServer() as origin:
            for i in range(args.urls):
                origin.route(f"/a/{i}", Reply(body=article_html(i)))
            urls = [origin.url(f"/a/{i}") for i in range(args.urls)]
            started = time.monotonic()
            pipeline.intake(engine, urls, tasks.publish_best_effort)
            first = None
            while True:
                try:
                    counts = ledger.state_counts(engine)
                except OperationalError:  # the database is away (a fault drill): keep waiting
                    time.sleep(1)
                    continue
                if first is None and counts.get("stored"):
                    first = time.monotonic() - started
                if (
                    counts.get("stored", 0)
                    + sum(
                        v
                        for k, v in counts.items()
                        if k not in {"queued", "fetched", "parsed", "stored"}
                    )
                    >= args.urls
                ):
                    break
                if time.monotonic() - started > 600:
                    print(f"timed out: {counts}")
                    return 1
                time.sleep(0.2)
            elapsed = time.monotonic() - started
        print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
        print(
            f"database {args.database}, worker -c {args.concurrency}, {args.urls} URLs, states {counts}"
        )
        print(
            f"first article stored after {first:.2f} s; all settled in {elapsed:.1f} s: "
            f"{args.urls / elapsed:.1f} URLs/s"
        )
    finally:
        worker.stop()
        client = redis.Redis.from_url(get_settings().redis_url)
        keys = list(client.scan_iter(match=PREFIX + "*"))
        if keys:
            client.delete(*keys)
        engine.dispose()
        if pg_name:
            with create_engine(PG, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
