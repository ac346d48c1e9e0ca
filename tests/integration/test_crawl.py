"""Discovery on beat: a real beat crawls a local feed and sitemap every few seconds, two real
workers fetch what it finds, and the origin's request log shows robots.txt obeyed and the
per-host interval kept across both workers."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from sqlalchemy import Engine, select

from tests.integration.conftest import (
    CeleryWorker,
    poll,
    stored_count,
)
from tests.support.articles import article_html, local_source_toml
from tests.support.celery_worker import RealBeat
from tests.support.httpserver import RecordedRequest, Reply, ScriptedServer
from worker import crawl, tasks
from worker.store import crawls
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.tables import urls

pytestmark = pytest.mark.integration
ARTICLES = 20
INTERVAL = 0.5


def _feed(server: ScriptedServer) -> str:
    items = "".join(
        f"<item><title>Story {i}</title><link>{server.url(f'/news/{i}')}?utm_source=rss&amp;utm_medium=feed</link>"
        f"<pubDate>Wed, 15 May 2024 07:{i:02d}:00 GMT</pubDate></item>"
        for i in range(10)
    )
    items += f"<item><title>Hidden</title><link>{server.url('/private/secret')}</link></item>"
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )


def _sitemap(server: ScriptedServer) -> str:
    locs = "".join(f"<url><loc>{server.url(f'/news/{i}')}</loc></url>" for i in range(5, ARTICLES))
    locs += f"<url><loc>{server.url('/news/3')}#comments</loc></url>"
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'


@pytest.fixture(scope="module")
def origin() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        feed = _feed(srv)

        def conditional_feed(request: RecordedRequest) -> Reply:
            if request.header("if-none-match") == '"feed-1"':
                return Reply(status=304, content_type=None, headers={"ETag": '"feed-1"'})
            return Reply(
                body=feed, content_type="application/rss+xml", headers={"ETag": '"feed-1"'}
            )

        srv.route(
            "/robots.txt",
            Reply(body="User-agent: *\nDisallow: /private\n", content_type="text/plain"),
        )
        srv.route("/feed.xml", handler=conditional_feed)
        srv.route("/sitemap.xml", Reply(body=_sitemap(srv), content_type="application/xml"))
        srv.route("/private/secret", Reply(body=article_html(999)))
        for i in range(ARTICLES):
            srv.route(f"/news/{i}", Reply(body=article_html(i)))
        yield srv


@pytest.fixture(scope="module")
def stack(origin: ScriptedServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    root = tmp_path_factory.mktemp("crawl")
    (root / "config").mkdir()
    (root / "config" / "sources.toml").write_text(
        local_source_toml(
            origin.url("/"),
            timezone="Asia/Kabul",
            every="5s",
            feeds=(origin.url("/feed.xml"),),
            sitemaps=(origin.url("/sitemap.xml"),),
        )
    )
    database = f"sqlite:///{root / 'ingest.db'}"
    engine = make_engine(database)
    upgrade(engine)
    env = {
        "INGEST_CONFIG_DIR": str(root / "config"),
        "INGEST_REDIS_KEY_PREFIX": os.environ["INGEST_REDIS_KEY_PREFIX"]
        + f"crawl-{uuid.uuid4().hex[:6]}:",
        "INGEST_FETCH_HOST_INTERVAL": str(INTERVAL),
        "INGEST_FETCH_HOST_CONCURRENCY": "1",
    }
    workers = [CeleryWorker(database, root / f"worker{n}.log", env) for n in range(2)]
    beat = RealBeat(root, {**env, "INGEST_DATABASE_URL": database})
    try:
        yield engine
    finally:
        beat.stop()
        for worker in workers:
            worker.stop()


def test_beat_crawls_feed_and_sitemap_politely(origin: ScriptedServer, stack: Engine) -> None:
    assert poll(lambda: stored_count(stack) == ARTICLES, timeout=180), (
        f"stored {stored_count(stack)} of {ARTICLES}"
    )

    # Tracking parameters and fragments collapsed: one row per article, plus the blocked one.
    with stack.connect() as conn:
        rows = {r.canonical_url: r for r in conn.execute(select(urls))}
    assert len(rows) == ARTICLES + 1
    private = rows[origin.url("/private/secret")]
    assert private.state == "blocked" and "robots.txt" in private.last_error
    assert origin.requests_to("/private/secret") == []
    assert rows[origin.url("/news/3")].hints["title"] == "Story 3"  # the feed's hint travelled

    # Two workers, one host: the gaps between the requests the server saw.
    times = sorted(r.time for r in origin.requests)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    kept = sum(g >= INTERVAL for g in gaps) / len(gaps)
    print(
        f"\n{len(times)} requests, interval {INTERVAL} s: min gap {min(gaps):.3f} s, "
        f"{kept:.1%} of gaps >= interval"
    )
    assert kept >= 0.99

    # Beat keeps crawling; the feed answers 304 on later runs and nothing is queued twice.
    assert poll(lambda: len(origin.requests_to("/feed.xml")) >= 2, timeout=30)
    assert poll(
        lambda: origin.requests_to("/feed.xml")[-1].header("if-none-match") == '"feed-1"',
        timeout=15,
    )
    time.sleep(1)
    assert len(origin.requests_to("/news/4")) == 1
    # The run that saw the 304 records itself once its sitemap fetch is done, and that fetch may
    # wait up to MAX_POLITE_WAIT for the host's slot behind article fetches on a loaded machine.
    assert poll(
        lambda: crawls.last_runs(stack)["local"]["new"] == 0, timeout=crawl.MAX_POLITE_WAIT + 30
    )
    assert crawls.last_runs(stack)["local"]["errors"] == []


def test_one_crawl_of_a_source_at_a_time() -> None:
    """A second crawl of a source (two beats started by mistake) finds the lock and skips."""
    client = redis.Redis.from_url(tasks.settings.redis_url)
    name = f"{tasks.settings.redis_key_prefix}ingest:crawl-lock:demo"
    held = client.lock(name, timeout=30)
    assert held.acquire(blocking=False)
    try:
        assert tasks.crawl_source.run("demo") == {"skipped": 1}
    finally:
        held.release()
