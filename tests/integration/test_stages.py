"""The stage functions without Celery: a real HTTP server, a real SQLite ledger, the real Redis
for robots.txt and host slots, and a clock the test moves. Each test drives run_stage by hand,
as the tasks do, so every ledger transition is visible."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from tests.support.articles import article_html
from tests.support.httpserver import RecordedRequest, Reply, ScriptedServer
from tests.support.testenv import RedisSpace, fetch_settings
from tests.unit.conftest import Clock
from worker import pipeline
from worker.discover.canonical import canonicalize_url
from worker.fetch.client import make_client
from worker.fetch.polite import PoliteFetcher
from worker.models import Stage, UrlState
from worker.store import articles, ledger
from worker.store.tables import pages

pytest_plugins = ["tests.support.fixtures"]

SETTINGS = fetch_settings(fetch_host_interval=0.0, fetch_host_concurrency=4, retry_backoff_max=5)


class Published(list[tuple[int, Stage]]):
    """A publisher that keeps what it was given instead of sending it to Redis."""

    def __call__(self, url_id: int, stage: Stage) -> None:
        self.append((url_id, stage))


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    return sqlite_engine  # these stage tests run on SQLite only


@pytest.fixture
def svc(engine: Engine, redis_space: RedisSpace) -> Iterator[pipeline.Services]:
    clock = Clock()
    fetcher = PoliteFetcher(
        make_client(SETTINGS), redis_space.client, SETTINGS, prefix=redis_space.prefix
    )
    yield pipeline.Services(engine=engine, settings=SETTINGS, fetcher=fetcher, clock=clock)
    fetcher.close()


def run_chain(svc: pipeline.Services, url_id: int, owner: str = "t") -> list[str]:
    outcomes = []
    for stage in Stage:
        result = pipeline.run_stage(svc, stage, url_id, f"{owner}-{stage}")
        outcomes.append(result.outcome)
        if not result.proceed:
            break
    return outcomes


def intake_one(svc: pipeline.Services, url: str, **kwargs: object) -> int:
    published = Published()
    report = pipeline.intake(svc.engine, [url], published, clock=svc.clock, **kwargs)  # type: ignore[arg-type]
    assert report.accepted == [canonicalize_url(url)] and published
    return published[0][0]


def test_chain_stores_once_and_repeats_change_nothing(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    server.route("/a/1", Reply(body=article_html(1)))
    url_id = intake_one(svc, server.url("/a/1"))
    assert run_chain(svc, url_id)[-1].startswith("created article")
    for stage in Stage:  # duplicate deliveries of every step
        assert "not claimable" in pipeline.run_stage(svc, stage, url_id, "dup").outcome
    assert articles.count(svc.engine) == 1
    assert len(server.requests_to("/a/1")) == 1


def test_redelivered_stage_whose_work_is_done_sends_the_chain_on(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    """A worker killed after committing a stage but before publishing the next one: the
    redelivered message finds the work done and must continue the chain, not end it."""
    server.route("/a/2", Reply(body=article_html(2)))
    url_id = intake_one(svc, server.url("/a/2"))
    assert pipeline.run_stage(svc, Stage.fetch, url_id, "first").proceed
    again = pipeline.run_stage(svc, Stage.fetch, url_id, "redelivered")
    assert again.proceed and "parse sent on" in again.outcome
    assert len(server.requests_to("/a/2")) == 1  # the page is not fetched twice

    # While a parse holds its lease the row is not waiting: the duplicate stops there.
    assert ledger.claim(svc.engine, url_id, Stage.parse, "parser", svc.clock(), 60, 5)
    assert not pipeline.run_stage(svc, Stage.fetch, url_id, "late").proceed

    assert pipeline.run_stage(svc, Stage.parse, url_id, "parser").proceed  # its own lease
    again = pipeline.run_stage(svc, Stage.parse, url_id, "parser-redelivered")
    assert again.proceed and "store sent on" in again.outcome
    assert pipeline.run_stage(svc, Stage.store, url_id, "s").outcome.startswith("created")
    for stage in Stage:  # once stored, nothing is sent on
        assert not pipeline.run_stage(svc, stage, url_id, "after").proceed
    assert articles.count(svc.engine) == 1


def test_permanent_failure_is_recorded_at_once(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    url_id = intake_one(svc, server.url("/gone"))
    result = pipeline.run_stage(svc, Stage.fetch, url_id, "t")
    assert not result.proceed and result.retry_in is None
    row = ledger.url_row(svc.engine, canonicalize_url(server.url("/gone")))
    assert row["state"] == "failed_fetch" and "404" in row["last_error"] and row["attempts"] == 1


def test_transient_failure_retries_then_gives_up(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    server.route("/busy", Reply(status=503, headers={"Retry-After": "1"}))
    url_id = intake_one(svc, server.url("/busy"))
    delays = []
    for _ in range(2):
        result = pipeline.run_stage(svc, Stage.fetch, url_id, "same-task")
        assert result.retry_in is not None
        delays.append(result.retry_in)
        svc.clock.advance(result.retry_in)  # type: ignore[attr-defined]
        time.sleep(1.1)  # the host's slot was pushed back in Redis, in real time
    assert all(1 <= d <= SETTINGS.retry_backoff_max for d in delays)  # Retry-After honoured
    final = pipeline.run_stage(svc, Stage.fetch, url_id, "same-task")
    assert final.retry_in is None and final.outcome.startswith("failed_fetch")
    row = ledger.url_row(svc.engine, canonicalize_url(server.url("/busy")))
    assert row["state"] == "failed_fetch" and row["attempts"] == 3
    assert "503" in row["last_error"]


def test_robots_disallow_blocks_without_a_request(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    server.route(
        "/robots.txt", Reply(body="User-agent: *\nDisallow: /private\n", content_type="text/plain")
    )
    server.route("/private/x", Reply(body=article_html(2)))
    url_id = intake_one(svc, server.url("/private/x"))
    run_chain(svc, url_id)
    row = ledger.url_row(svc.engine, canonicalize_url(server.url("/private/x")))
    assert row["state"] == "blocked" and "robots.txt" in row["last_error"]
    assert server.requests_to("/private/x") == []


def test_tracking_variants_are_one_ledger_row(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    base = server.url("/a/3")
    variants = [
        base + "?a=1&b=2",
        base + "?b=2&a=1&utm_source=rss&utm_medium=feed",
        base + "?a=1&b=2#comments",
        base.replace("http://", "HTTP://") + "?fbclid=x&a=1&b=2",
    ]
    report = pipeline.intake(svc.engine, variants, Published(), clock=svc.clock)
    assert len(report.accepted) == 1 and not report.rejected
    with svc.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(ledger.urls)) == 1


def test_bad_input_is_rejected_with_reasons(svc: pipeline.Services) -> None:
    too_long = "https://example.com/" + "a" * 2100
    report = pipeline.intake(
        svc.engine,
        ["ftp://example.com/x", "https://", too_long, "not a url", "https://ok.example/a"],
        Published(),
        clock=svc.clock,
    )
    reasons = dict(report.rejected)
    assert "scheme" in reasons["ftp://example.com/x"]
    assert "host" in reasons["https://"]
    assert "2048" in reasons[too_long]
    assert "not a url" in reasons
    assert report.accepted == ["https://ok.example/a"]


def test_recrawl_is_conditional_and_304_keeps_the_article(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    body = article_html(4)
    version = {"etag": '"v1"', "body": body}

    def conditional(request: RecordedRequest) -> Reply:
        if request.header("if-none-match") == version["etag"]:
            return Reply(status=304, headers={"ETag": version["etag"]}, content_type=None)
        return Reply(body=version["body"], headers={"ETag": version["etag"]})

    server.route("/a/4", handler=conditional)
    published = Published()
    pipeline.intake(svc.engine, [server.url("/a/4")], published, clock=svc.clock)
    url_id = published[0][0]
    run_chain(svc, url_id)
    svc.clock.advance(3601)  # type: ignore[attr-defined]

    assert pipeline.recrawl(svc, published) == 1 and published[-1] == (url_id, Stage.fetch)
    assert run_chain(svc, url_id, "recrawl-1") == ["not modified (304)"]
    assert server.requests_to("/a/4")[-1].header("if-none-match") == '"v1"'
    row = ledger.url_row(svc.engine, canonicalize_url(server.url("/a/4")))
    assert row["state"] == "stored"
    assert pipeline.recrawl(svc, published) == 0  # the 1 h mark is done

    # At 24 h the page has changed: the article is updated and the old version kept.
    version.update(
        etag='"v2"',
        body=body.replace(
            "<article>", "<article><p>Update: a correction was added to this report today.</p>"
        ),
    )
    svc.clock.advance(86400)  # type: ignore[attr-defined]
    assert pipeline.recrawl(svc, published) == 1
    assert run_chain(svc, url_id, "recrawl-2")[-1].startswith("updated article")
    stored = articles.latest(svc.engine)[0]
    assert stored["version"] == 2 and "correction" in stored["body"]
    with svc.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(pages)) == 2


def test_feed_hints_fill_what_the_page_lacks(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    server.route(
        "/bare",
        Reply(
            body="<html><body><div>"
            + "<p>Plain paragraph of reporting text here. " * 3
            + "</p>" * 3
            + "</div></body></html>"
        ),
    )
    url = server.url("/bare")
    published = Published()
    hints = {url: {"title": "Title from the feed", "published": "2024-05-15T07:10:00+00:00"}}
    pipeline.intake(svc.engine, [url], published, hints=hints, clock=svc.clock)
    run_chain(svc, published[0][0])
    stored = articles.latest(svc.engine)[0]
    assert stored["provenance"]["published_at"] == "feed"
    assert stored["published_at"].isoformat() == "2024-05-15T07:10:00+00:00"


def test_reconcile_publishes_what_the_broker_lost(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    def broker_down(url_id: int, stage: Stage) -> None:
        raise ConnectionError("Redis is down")

    report = pipeline.intake(
        svc.engine, [server.url("/a/5"), server.url("/a/6")], broker_down, clock=svc.clock
    )
    assert len(report.accepted) == 2 and report.unpublished == 2  # accepted all the same
    again = Published()
    assert pipeline.reconcile(svc, again) == 0  # not stale yet: the broker may still deliver
    svc.clock.advance(SETTINGS.reconcile_staleness + 1)  # type: ignore[attr-defined]
    assert pipeline.reconcile(svc, again) == 2
    assert {stage for _, stage in again} == {Stage.fetch}
    assert pipeline.reconcile(svc, Published()) == 0  # just re-published: wait a full window


def test_reconcile_after_the_broker_was_emptied_does_not_wait_for_staleness(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    before = pipeline.intake(svc.engine, [server.url("/a/7")], Published(), clock=svc.clock)
    svc.clock.advance(5)  # type: ignore[attr-defined]
    emptied = svc.clock()
    svc.clock.advance(5)  # type: ignore[attr-defined]
    pipeline.intake(svc.engine, [server.url("/a/8")], Published(), clock=svc.clock)
    again = Published()
    assert pipeline.reconcile(svc, again) == 0  # by staleness alone: nothing yet
    # Queued before the broker lost its queues: its message is gone; the later one's is not.
    assert pipeline.reconcile(svc, again, broker_emptied=emptied) == 1
    row = ledger.url_row(svc.engine, before.accepted[0])
    assert row is not None and [url_id for url_id, _ in again] == [row["id"]]
    assert pipeline.reconcile(svc, Published(), broker_emptied=emptied) == 0  # once


def test_purged_page_ends_invalid_with_the_reason(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    server.route("/a/7", Reply(body=article_html(7)))
    url_id = intake_one(svc, server.url("/a/7"))
    assert pipeline.run_stage(svc, Stage.fetch, url_id, "f").proceed
    with svc.engine.begin() as conn:
        conn.execute(pages.update().values(body=None))  # as the retention policy does
    assert not pipeline.run_stage(svc, Stage.parse, url_id, "p").proceed
    row = ledger.url_row(svc.engine, canonicalize_url(server.url("/a/7")))
    assert row["state"] == "invalid" and "purged" in row["last_error"]


def test_an_unexpected_error_is_recorded_and_capped(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    server.route("/a/8", Reply(body=article_html(8)))
    url_id = intake_one(svc, server.url("/a/8"))
    assert pipeline.run_stage(svc, Stage.fetch, url_id, "f").proceed
    with svc.engine.begin() as conn:
        conn.execute(pages.update().values(body=b"corrupted, not zlib"))
    results = [pipeline.run_stage(svc, Stage.parse, url_id, "p") for _ in range(3)]
    assert [r.retry_in is not None for r in results] == [True, True, False]
    row = ledger.url_row(svc.engine, canonicalize_url(server.url("/a/8")))
    assert row["state"] == "invalid" and row["attempts"] == 3
    assert "gave up after 3 attempts: unexpected error" in row["last_error"]


def test_reparse_runs_stored_pages_through_parse_again(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    server.route("/a/9", Reply(body=article_html(9)))
    url_id = intake_one(svc, server.url("/a/9"))
    run_chain(svc, url_id)
    published = Published()
    assert pipeline.reparse(svc, published, source="other") == 0
    assert pipeline.reparse(svc, published) == 1 and published == [(url_id, Stage.parse)]
    assert pipeline.run_stage(svc, Stage.parse, url_id, "re-p").proceed
    assert pipeline.run_stage(svc, Stage.store, url_id, "re-s").outcome.startswith("unchanged")
    assert len(server.requests_to("/a/9")) == 1  # no second fetch


def test_a_page_claiming_anothers_canonical_cannot_overwrite_it(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    server.route("/a/10", Reply(body=article_html(10)))
    hostile = article_html(11).replace(
        "<head>", f'<head><link rel="canonical" href="{server.url("/a/10")}">'
    )
    server.route("/b/hostile", Reply(body=hostile))
    first = intake_one(svc, server.url("/a/10"))
    run_chain(svc, first)
    original = articles.latest(svc.engine)[0]
    second = intake_one(svc, server.url("/b/hostile"))
    assert run_chain(svc, second, "h")[-1].startswith("created article")
    rows = {a["canonical_url"]: a for a in articles.latest(svc.engine)}
    assert rows[server.url("/a/10")]["content_hash"] == original["content_hash"]
    assert rows[server.url("/b/hostile")]["page_canonical_url"] == server.url("/a/10")


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::1]:8082/",
        "http://2130706433:8082/",
        "http://[::ffff:127.0.0.2]/",
        "http://localhost:6379/",
    ],
)
def test_private_addresses_end_blocked_without_a_connection(
    svc: pipeline.Services, url: str
) -> None:
    url_id = intake_one(svc, url)
    result = pipeline.run_stage(svc, Stage.fetch, url_id, "t")
    row = ledger.url_row(svc.engine, canonicalize_url(url))
    assert row["state"] == "blocked", (result, row)
    assert row["last_error"], row


def test_failed_urls_can_be_retried(svc: pipeline.Services, server: ScriptedServer) -> None:
    url_id = intake_one(svc, server.url("/later"))
    pipeline.run_stage(svc, Stage.fetch, url_id, "t")  # 404: failed_fetch
    server.route("/later", Reply(body=article_html(12)))  # the page appears
    published = Published()
    assert pipeline.retry_failed(svc, published, states=[UrlState.not_html]) == 0
    assert pipeline.retry_failed(svc, published) == 1 and published == [(url_id, Stage.fetch)]
    assert run_chain(svc, url_id, "again")[-1].startswith("created article")


def test_crawl_reads_a_sitemap_index_and_survives_a_broken_child(
    svc: pipeline.Services, server: ScriptedServer
) -> None:
    from worker import crawl
    from worker.sources import Source

    def urlset(*paths: str) -> str:
        locs = "".join(f"<url><loc>{server.url(p)}</loc></url>" for p in paths)
        return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'

    index = "".join(
        f"<sitemap><loc>{server.url(p)}</loc></sitemap>"
        for p in ("/sm/1.xml", "/sm/2.xml", "/index.xml")
    )
    xml = "application/xml"
    server.route(
        "/index.xml",
        Reply(
            body=f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>',
            content_type=xml,
        ),
    )
    server.route(
        "/sm/1.xml", Reply(body=urlset("/n/1", "/n/2?utm_source=x", "/n/2"), content_type=xml)
    )
    server.route("/sm/2.xml", Reply(body="<urlset><url><loc>broken", content_type=xml))
    source = Source.model_validate(
        {
            "id": "local",
            "name": "local",
            "home": server.url("/"),
            "languages": ["en"],
            "entry_points": [{"kind": "sitemap", "url": server.url("/index.xml")}],
        }
    )
    published = Published()
    report = crawl.crawl_source(svc, source, published)
    assert sorted(report.new) == [server.url("/n/1"), server.url("/n/2")]
    assert len(published) == 2
    assert any("sitemap cycle" in reason for _, reason in report.rejected)
    assert len(report.errors) == 1 and "/sm/2.xml: sitemap is not well-formed" in report.errors[0]
    assert len(server.requests_to("/index.xml")) == 1  # the cycle was not fetched again
    again = crawl.crawl_source(svc, source, published)
    assert again.new == [] and again.known == 2
