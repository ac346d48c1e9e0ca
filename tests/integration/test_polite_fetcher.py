"""PoliteFetcher end to end: robots.txt obeyed, host slots shared, Retry-After honoured."""

from __future__ import annotations

import pytest

from tests.support.httpserver import ScriptedServer
from tests.support.testenv import RedisSpace, fetch_settings
from worker.errors import Blocked, HostBusy, ServerBusy
from worker.fetch.client import make_client
from worker.fetch.polite import PoliteFetcher

pytest_plugins = ["tests.support.fixtures"]

ROBOTS = "User-agent: *\nDisallow: /private\n"
PAGE = "<html><title>t</title></html>"


def fetcher(space: RedisSpace, **overrides) -> PoliteFetcher:
    settings = fetch_settings(**overrides)
    return PoliteFetcher(make_client(settings), space.client, settings, prefix=space.prefix)


def test_robots_disallow_sends_no_request(server: ScriptedServer, redis_space: RedisSpace) -> None:
    server.route("/robots.txt", body=ROBOTS, content_type="text/plain")
    server.route("/private/1", body=PAGE)
    server.route("/news/1", body=PAGE)
    server.redirect("/moved", "/private/1")
    polite = fetcher(redis_space, fetch_host_interval=0.0)
    with pytest.raises(Blocked, match="robots.txt disallows /private/1 for NewsIngestBot"):
        polite.fetch(server.url("/private/1"))
    assert polite.fetch(server.url("/news/1")).text == PAGE
    with pytest.raises(Blocked, match="redirect to .*/private/1: robots.txt disallows"):
        polite.fetch(server.url("/moved"))
    assert server.requests_to("/private/1") == []
    assert len(server.requests_to("/robots.txt")) == 1


def test_second_fetch_waits_for_the_interval(
    server: ScriptedServer, redis_space: RedisSpace
) -> None:
    server.route("/robots.txt", status=404)
    server.route("/a", body=PAGE)
    polite = fetcher(redis_space, fetch_host_interval=0.0)
    polite.fetch(server.url("/a"))  # robots.txt (404: allow all), then the page
    slow = fetcher(redis_space, fetch_host_interval=3.0)
    slow.fetch(server.url("/a"))
    with pytest.raises(HostBusy) as caught:
        slow.fetch(server.url("/a"))
    assert 2.5 < caught.value.retry_after <= 3.02
    assert len(server.requests_to("/a")) == 2


def test_retry_after_pushes_the_host_back(server: ScriptedServer, redis_space: RedisSpace) -> None:
    server.route("/robots.txt", status=404)
    server.route("/busy", status=429, headers={"Retry-After": "10"})
    polite = fetcher(redis_space, fetch_host_interval=0.0)
    with pytest.raises(ServerBusy) as caught:
        polite.fetch(server.url("/busy"))
    assert caught.value.retry_after == 10.0
    with pytest.raises(HostBusy) as waiting:
        polite.fetch(server.url("/busy"))
    assert 9.0 < waiting.value.retry_after <= 10.0
    assert len(server.requests_to("/busy")) == 1


def test_private_url_refused_before_robots(redis_space: RedisSpace) -> None:
    polite = fetcher(redis_space, fetch_allow_private=[])
    with pytest.raises(Blocked, match="loopback"):
        polite.fetch("http://127.0.0.1:9/a")
    assert list(redis_space.client.scan_iter(match=redis_space.prefix + "*")) == []


def test_redirect_to_another_host_takes_that_hosts_slot(
    server: ScriptedServer, redis_space: RedisSpace
) -> None:
    # 127.0.0.2 is another host as far as politeness goes; it is busy, so the fetch waits.
    with ScriptedServer(host="127.0.0.2") as other:
        other.route("/robots.txt", status=404)
        other.route("/story", body=PAGE)
        server.route("/robots.txt", status=404)
        server.redirect("/short", other.url("/story"))
        polite = fetcher(redis_space, fetch_allow_private=["127.0.0.0/8"], fetch_host_interval=0)
        assert polite.robots.check(other.url("/story")).allowed  # robots.txt known for both
        assert polite.robots.check(server.url("/short")).allowed
        assert polite.limiter.acquire("127.0.0.2") == 0.0  # another worker is fetching there
        with pytest.raises(HostBusy, match="redirect to .*host 127.0.0.2 is busy"):
            polite.fetch(server.url("/short"))
        assert other.requests_to("/story") == []
        assert polite.limiter.acquire("127.0.0.1") == 0.0  # the first hop's slot was released
        polite.limiter.release("127.0.0.1")
        polite.limiter.release("127.0.0.2")
        assert polite.fetch(server.url("/short")).text == PAGE
