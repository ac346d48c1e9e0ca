"""Concurrent duplicate submissions and a second beat (reliability.md scenario 10, scaled).

Every article is submitted four times at once, through four doors (`ingest enqueue` from
stdin, single URLs as a user would give them, and feed- and sitemap-style batches with hints),
each time under another spelling of its URL: tracking parameters, a fragment, an upper-case
host, the default port, a reordered query. The ledger keeps one row per article, one caller
is told "accepted" and the others "known", the origin serves each article once, and nothing
surfaces an IntegrityError. Then two beats started by mistake: each periodic crawl of a source
still runs at most once per period.
"""

from __future__ import annotations

import errno
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

import pytest
from sqlalchemy import Engine, func, select

from tests.integration.conftest import CeleryWorker, poll, wait_until_settled
from tests.support.articles import article_html, local_source_toml
from tests.support.celery_worker import RealBeat
from tests.support.httpserver import Reply, ScriptedServer
from tests.support.private_redis import PrivateRedis
from worker import pipeline, tasks
from worker.discover.canonical import canonicalize_url
from worker.store import articles
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.tables import crawl_runs, urls

pytestmark = pytest.mark.integration
ARTICLES = 60
BATCH = 5
# `localhost` names the origin, so the host has a case to change; it resolves to 127.0.0.1.
ALLOW = {"INGEST_FETCH_ALLOW_PRIVATE": "127.0.0.1,localhost"}


@pytest.fixture(scope="module")
def origin() -> Iterator[ScriptedServer]:
    """Articles at /a/{i} (the query is the page's own: `id` and `lang`), on port 80 when it
    is free, so that `:80` can be spelt out; on any free port otherwise."""
    try:
        srv = ScriptedServer(port=80)
    except OSError:
        srv = ScriptedServer()
    with srv:
        for i in range(ARTICLES):
            srv.route(f"/a/{i}", Reply(body=article_html(i)))
        yield srv


def spellings(origin: ScriptedServer, i: int) -> list[str]:
    """Four URLs of article i that all canonicalise to the same ledger key."""
    port = "" if origin.port == 80 else f":{origin.port}"
    path = f"/a/{i}"
    variants = [
        f"http://localhost{port}{path}?id={i}&lang=en&utm_source=feed&utm_medium=rss",
        f"http://LOCALHOST{port}{path}?lang=en&id={i}#comments",
        f"http://LocalHost{port}{path}?utm_campaign=spring&lang=en&id={i}&fbclid=IwAR{i:04d}",
    ]
    if origin.port == 80:
        variants.append(f"http://localhost:80{path}?id={i}&lang=en#top")
    else:  # no default port to spell out: another mix instead
        variants.append(f"http://localhost{port}{path}?fbclid=x{i}&lang=en&id={i}#top")
    return variants


def canonical(origin: ScriptedServer, i: int) -> str:
    port = "" if origin.port == 80 else f":{origin.port}"
    return canonicalize_url(f"http://localhost{port}/a/{i}?id={i}&lang=en")


def test_four_concurrent_submissions_of_each_article_store_it_once(
    origin: ScriptedServer, engine: Engine, database_url: str, tmp_path: Path
) -> None:
    # Door d gives article i its spelling (i + d) % 4: every spelling of every article is used.
    doors = [[spellings(origin, i)[(i + d) % 4] for i in range(ARTICLES)] for d in range(4)]
    assert {canonicalize_url(u) for door in doors for u in door} == {
        canonical(origin, i) for i in range(ARTICLES)
    }
    origin.clear_log()  # the origin serves both backends' runs
    worker = CeleryWorker(database_url, tmp_path / "worker.log", ALLOW)
    accepted: dict[str, int] = {}
    failures: list[str] = []

    def door(name: str, urls: list[str], batch: int, **options: str) -> Callable[[], None]:
        def submit() -> None:
            order = list(urls)
            random.Random(name).shuffle(order)  # every door lists in its own order
            taken = 0
            try:
                for first in range(0, len(order), batch):
                    chunk = order[first : first + batch]
                    report = pipeline.intake(
                        engine,
                        chunk,
                        tasks.publish_best_effort,
                        hints={u: {"via": name} for u in chunk} if options else None,
                        **options,
                    )
                    taken += len(report.accepted)
                    time.sleep(0.02)  # let the doors interleave
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                failures.append(f"{name}: {type(exc).__name__}: {exc}")
            accepted[name] = taken

        return submit

    callers = [
        threading.Thread(target=door("user", doors[1], 1)),
        threading.Thread(target=door("feed", doors[2], BATCH, source="local")),
        threading.Thread(target=door("sitemap", doors[3], 4 * BATCH, source="local")),
    ]
    # The command line, in its own process: `ingest enqueue --file FIFO` opens the FIFO once
    # it has imported everything, so the other doors open when its intake is about to start.
    fifo = tmp_path / "urls.fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    try:
        cli = subprocess.Popen(
            [sys.executable, "-m", "worker.cli", "enqueue", "--file", str(fifo)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "INGEST_DATABASE_URL": database_url},
        )  # fmt: skip
        with _open_for_writing(fifo, cli) as pipe:
            for caller in callers:
                caller.start()
            pipe.write("\n".join(doors[0]) + "\n")
        out, _ = cli.communicate(timeout=120)
        for caller in callers:
            caller.join()
        assert cli.returncode == 0, out
        accepted["cli"] = int(out.split("accepted ", 1)[1].split(",", 1)[0])
        rows = wait_until_settled(engine, [canonical(origin, i) for i in range(ARTICLES)])
        elapsed = time.monotonic() - started
    finally:
        worker.stop()

    log = worker.log.read_text(errors="replace")
    gets = [r for r in origin.requests if r.path.startswith("/a/")]
    with engine.connect() as conn:
        url_rows = conn.scalar(select(func.count()).select_from(urls))
        hashes = conn.scalars(select(articles.articles.c.content_hash)).all()
    print(
        f"\n{ARTICLES} articles x 4 doors ({engine.dialect.name}, origin port {origin.port}): "
        f"accepted {accepted}, urls rows {url_rows}, stored {articles.count(engine)}, "
        f"origin GETs {len(gets)} for {len({r.path for r in gets})} articles, {elapsed:.1f} s"
    )
    assert not failures, failures
    assert "IntegrityError" not in out and "Traceback" not in out, out
    assert "IntegrityError" not in log and "deadlock" not in log.lower()
    assert url_rows == ARTICLES
    assert {r["state"] for r in rows.values()} == {"stored"}
    assert articles.count(engine) == ARTICLES and len(set(hashes)) == ARTICLES
    assert sum(accepted.values()) == ARTICLES  # one door took each article, the rest: known
    assert len(gets) <= ARTICLES * 1.02
    assert len({r.path for r in gets}) == ARTICLES


@contextmanager
def _open_for_writing(fifo: Path, reader: subprocess.Popen[str]) -> Iterator[TextIO]:
    """The FIFO's write end, once `reader` has opened the other (fails if it exits first)."""
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
                raise
            assert reader.poll() is None, reader.communicate()[0]
            time.sleep(0.05)
    os.set_blocking(fd, True)
    with os.fdopen(fd, "w") as pipe:
        yield pipe


PERIOD = 5  # seconds: the shortest schedule sources.toml allows
PERIODS = 4


def test_two_beats_crawl_each_source_once_per_period(tmp_path: Path) -> None:
    """Two beats on one Redis (started by mistake) both send every `crawl:<id>`; the worker
    runs one crawl of the source per period and skips the other beat's."""
    with ScriptedServer() as feed_origin:
        items = "".join(
            f"<item><title>Story {i}</title><link>{feed_origin.url(f'/news/{i}')}</link></item>"
            for i in range(3)
        )
        feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
        feed_origin.route("/feed.xml", Reply(body=feed, content_type="application/rss+xml"))
        for i in range(3):
            feed_origin.route(f"/news/{i}", Reply(body=article_html(i)))
        config = tmp_path / "config"
        config.mkdir()
        (config / "sources.toml").write_text(
            local_source_toml(
                feed_origin.url("/"),
                timezone="UTC",
                every=f"{PERIOD}s",
                feeds=(feed_origin.url("/feed.xml"),),
            )
        )
        database = f"sqlite:///{tmp_path / 'ingest.db'}"
        engine = make_engine(database)
        upgrade(engine)
        with PrivateRedis(tmp_path) as broker:
            env = {
                "INGEST_REDIS_URL": broker.url,
                "INGEST_DATABASE_URL": database,
                "INGEST_CONFIG_DIR": str(config),
                "INGEST_CRAWL_SOURCES": "local",
            }
            worker = CeleryWorker(database, tmp_path / "worker.log", env)
            beats: list[RealBeat] = []
            try:
                for n in range(2):
                    (tmp_path / f"beat{n}").mkdir()
                    beats.append(RealBeat(tmp_path / f"beat{n}", env))
                # Both beats have sent the crawl at least PERIODS times (each logs its sends).
                assert poll(
                    lambda: all(
                        b.log.read_text(errors="replace").count("crawl:local") >= PERIODS
                        for b in beats
                    ),
                    timeout=PERIOD * (PERIODS + 6),
                )
                poll(lambda: False, timeout=2)  # the last sends are consumed
            finally:
                for beat in beats:
                    with suppress(Exception):
                        beat.stop()
                worker.stop()
        with engine.connect() as conn:
            starts = conn.scalars(select(crawl_runs.c.started_at).order_by(crawl_runs.c.id)).all()
        engine.dispose()
    sent = [b.log.read_text(errors="replace").count("crawl:local") for b in beats]
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:], strict=False)]
    print(
        f"\ntwo beats sent crawl:local {sent[0]} + {sent[1]} times; {len(starts)} crawls ran, "
        f"gaps {', '.join(f'{g:.1f}' for g in gaps)} s (period {PERIOD} s); "
        f"feed GETs {len(feed_origin.requests_to('/feed.xml'))}"
    )
    assert len(starts) >= PERIODS - 1
    # One beat's worth of crawls, not two: each period's second send finds the period claimed
    # (one more run is allowed where the beats' phases cross). Load only delays the sends.
    assert len(starts) <= max(sent) + 1
    assert min(gaps) >= PERIOD * 0.4  # the claim holds for half a period from a crawl's start
