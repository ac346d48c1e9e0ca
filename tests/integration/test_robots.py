"""robots.txt from a real server through the guarded client, cached in the real Redis."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.httpserver import ScriptedServer
from tests.support.testenv import RedisSpace, fetch_settings
from worker.errors import HostBusy
from worker.fetch.client import make_client
from worker.fetch.politeness import HostLimiter
from worker.fetch.robots import RobotsCache

pytest_plugins = ["tests.support.fixtures"]

SETTINGS = fetch_settings(fetch_read_timeout=0.5, fetch_deadline=2.0)
ROBOTS = """\
User-agent: *
Disallow: /private
Crawl-delay: 2

User-agent: NewsIngestBot
Disallow: /no-bots
Allow: /no-bots/ok
Crawl-delay: 3
"""


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with make_client(SETTINGS) as c:
        yield c


def cache(space: RedisSpace, client: httpx.Client, settings=SETTINGS, **kw) -> RobotsCache:
    return RobotsCache(space.client, client, settings, prefix=space.key("robots:"), **kw)


def test_rules_for_our_product_token(server: ScriptedServer, client, redis_space) -> None:
    server.route("/robots.txt", body=ROBOTS, content_type="text/plain")
    robots = cache(redis_space, client)
    blocked = robots.check(server.url("/no-bots/story"))
    assert (
        not blocked.allowed
        and blocked.reason == "robots.txt disallows /no-bots/story for NewsIngestBot"
    )
    assert robots.check(server.url("/no-bots/ok/1")).allowed
    verdict = robots.check(server.url("/private/x"))  # only the * group says so: not ours
    assert verdict.allowed and verdict.crawl_delay == 3.0


def test_fetched_once_then_cached_in_redis(server: ScriptedServer, client, redis_space) -> None:
    server.route("/robots.txt", body=ROBOTS, content_type="text/plain")
    for _ in range(3):
        assert cache(redis_space, client).check(server.url("/a")).allowed  # new instance each time
    assert len(server.requests_to("/robots.txt")) == 1
    ttl = redis_space.client.ttl(redis_space.key("robots:") + server.base_url)
    assert 86000 < ttl <= 86400


@pytest.mark.parametrize(
    ("status", "allowed", "ttl", "reason"),
    [
        (404, True, 86400, "robots.txt unavailable (HTTP 404 Not Found): allow all"),
        (403, True, 86400, "robots.txt unavailable (HTTP 403 Forbidden): allow all"),
        (503, False, 3600, "robots.txt unreachable (HTTP 503 Service Unavailable): disallow all"),
        (429, False, 3600, "robots.txt unreachable (HTTP 429 Too Many Requests): disallow all"),
    ],
)
def test_status_rules(server, client, redis_space, status, allowed, ttl, reason) -> None:
    server.route("/robots.txt", status=status)
    verdict = cache(redis_space, client).check(server.url("/a"))
    assert (verdict.allowed, verdict.reason) == (allowed, reason)
    assert ttl - 5 < redis_space.client.ttl(redis_space.key("robots:") + server.base_url) <= ttl


def test_timeout_means_disallow(server: ScriptedServer, client, redis_space) -> None:
    server.route("/robots.txt", body=ROBOTS, delay=5)
    verdict = cache(redis_space, client).check(server.url("/a"))
    assert (
        not verdict.allowed and "ReadTimeout" in verdict.reason and "disallow all" in verdict.reason
    )


def test_only_the_first_500_kib_count(server: ScriptedServer, client, redis_space) -> None:
    filler = "# " + "x" * 98 + "\n"
    body = "User-agent: *\nDisallow: /early\n" + filler * 6000 + "Disallow: /late\n"
    assert len(body) > 600_000
    server.route("/robots.txt", body=body, content_type="text/plain")
    robots = cache(redis_space, client)
    assert not robots.check(server.url("/early")).allowed
    assert robots.check(server.url("/late")).allowed


def test_crawl_delay_over_the_cap_skips_the_host(server, client, redis_space) -> None:
    server.route("/robots.txt", body="User-agent: *\nCrawl-delay: 120\n", content_type="text/plain")
    verdict = cache(redis_space, client).check(server.url("/a"))
    assert not verdict.allowed
    assert verdict.reason == "robots.txt Crawl-delay 120 s exceeds the cap of 30 s"


def test_redirected_robots_is_followed(server: ScriptedServer, client, redis_space) -> None:
    server.route(
        "/real-robots.txt", body="User-agent: *\nDisallow: /x\n", content_type="text/plain"
    )
    server.redirect("/robots.txt", server.url(server.redirect_chain("/hop", 4, "/real-robots.txt")))
    robots = cache(redis_space, client)
    assert not robots.check(server.url("/x/1")).allowed and robots.check(server.url("/y")).allowed


def test_robots_fetch_takes_the_host_slot(server: ScriptedServer, client, redis_space) -> None:
    server.route("/robots.txt", body=ROBOTS, content_type="text/plain")
    settings = fetch_settings(fetch_host_interval=5.0)
    limiter = HostLimiter(redis_space.client, settings, prefix=redis_space.key("host:"))
    robots = cache(redis_space, client, limiter=limiter)
    assert robots.check(server.url("/a")).allowed
    wait = limiter.acquire("127.0.0.1")  # the page itself must wait for the interval
    assert 4.0 < wait <= 5.02
    # A second worker finding nothing cached must wait too, not fetch robots.txt again.
    other = RobotsCache(
        redis_space.client, client, settings, prefix=redis_space.key("other:"), limiter=limiter
    )
    with pytest.raises(HostBusy):
        other.check(server.url("/a"))
    assert len(server.requests_to("/robots.txt")) == 1
