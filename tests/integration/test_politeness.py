"""Per-host limits in the real Redis: interval, in-flight cap, leases, push-back, two workers."""

from __future__ import annotations

import threading
import time

import pytest

from tests.support.httpserver import ScriptedServer
from tests.support.testenv import RedisSpace, fetch_settings
from worker.errors import HostBusy
from worker.fetch.client import make_client
from worker.fetch.http import fetch_page
from worker.fetch.politeness import HostLimiter

pytest_plugins = ["tests.support.fixtures"]


def limiter(space: RedisSpace, **overrides) -> HostLimiter:
    return HostLimiter(space.client, fetch_settings(**overrides), prefix=space.key("host:"))


def test_interval_between_starts(redis_space: RedisSpace) -> None:
    hosts = limiter(redis_space, fetch_host_interval=0.3)
    assert hosts.acquire("news.test") == 0.0
    hosts.release("news.test")
    wait = hosts.acquire("news.test")
    assert 0.25 < wait <= 0.32
    assert hosts.acquire("other.test") == 0.0  # hosts are independent
    time.sleep(wait)
    assert hosts.acquire("News.Test") == 0.0


def test_waiters_get_turns_one_interval_apart(redis_space: RedisSpace) -> None:
    hosts = limiter(redis_space, fetch_host_interval=1.0)
    assert hosts.acquire("q.test") == 0.0
    waits = [hosts.acquire("q.test") for _ in range(5)]
    assert 0.95 < waits[0] <= 1.02  # the first waiter goes when the interval is over
    gaps = [b - a for a, b in zip(waits, waits[1:], strict=False)]
    assert all(1.2 < gap < 1.25 for gap in gaps), gaps


def test_crawl_delay_lengthens_the_interval(redis_space: RedisSpace) -> None:
    hosts = limiter(redis_space, fetch_host_interval=0.1)
    assert hosts.acquire("slow.test", min_interval=2.0) == 0.0
    hosts.release("slow.test")
    assert 1.9 < hosts.acquire("slow.test") <= 2.02


def test_lease_expires_for_a_crashed_worker(redis_space: RedisSpace) -> None:
    crashed = limiter(redis_space, fetch_host_interval=0.05, fetch_host_lease=0.3)
    survivor = limiter(redis_space, fetch_host_interval=0.05, fetch_host_lease=0.3)
    assert crashed.acquire("h.test") == 0.0  # never released
    time.sleep(0.1)
    assert survivor.acquire("h.test") > 0
    time.sleep(0.3)
    assert survivor.acquire("h.test") == 0.0


def test_concurrency_cap(redis_space: RedisSpace) -> None:
    hosts = limiter(redis_space, fetch_host_interval=0.0, fetch_host_concurrency=2)
    assert hosts.acquire("c.test") == 0.0
    assert hosts.acquire("c.test") == 0.0
    assert hosts.acquire("c.test") > 0
    hosts.release("c.test")
    assert hosts.acquire("c.test") == 0.0


def test_push_back_and_slot(redis_space: RedisSpace) -> None:
    hosts = limiter(redis_space, fetch_host_interval=0.0)
    hosts.push_back("p.test", 10)
    with pytest.raises(HostBusy) as caught, hosts.slot("p.test"):
        pass
    assert 9.5 < caught.value.retry_after <= 10
    with hosts.slot("q.test"):
        assert hosts.acquire("q.test") > 0  # concurrency 1
    assert hosts.acquire("q.test") == 0.0
    keys = list(redis_space.client.scan_iter(match=redis_space.prefix + "*"))
    assert all(redis_space.client.ttl(k) > 0 for k in keys)  # nothing left behind forever


def test_two_workers_keep_the_interval_at_the_server(
    redis_space: RedisSpace, server: ScriptedServer
) -> None:
    interval = 0.25
    settings = fetch_settings(fetch_host_interval=interval)
    server.route("/a", body="<html>a</html>", delay=0.02)
    done = threading.Event()

    def worker() -> None:
        hosts = HostLimiter(redis_space.client, settings, prefix=redis_space.key("host:"))
        with make_client(settings) as client:
            while not done.is_set():
                wait = hosts.acquire("127.0.0.1")
                if wait > 0:  # a Celery task would retry with this countdown
                    time.sleep(wait)
                    continue
                try:
                    fetch_page(client, server.url("/a"), settings)
                finally:
                    hosts.release("127.0.0.1")

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    done.set()
    for t in threads:
        t.join()
    times = [r.time for r in server.requests]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) >= 5
    assert min(gaps) >= interval, gaps


def test_a_queue_of_callers_is_served_one_per_interval(redis_space: RedisSpace) -> None:
    # Eight tasks for one host arrive at once; each retries after the wait it is given.
    # Turns are handed out spread over time, so almost none has to queue twice.
    interval = 0.2
    attempts: list[int] = []
    starts: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def task() -> None:
        hosts = limiter(redis_space, fetch_host_interval=interval)
        barrier.wait()
        tries = 0
        while True:
            tries += 1
            wait = hosts.acquire("queue.test")
            if wait == 0:
                break
            time.sleep(wait)
        with lock:
            starts.append(time.monotonic())
            attempts.append(tries)
        time.sleep(0.01)  # the request
        hosts.release("queue.test")

    threads = [threading.Thread(target=task) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    starts.sort()
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= interval * 0.95
    assert sum(attempts) <= 8 + 8 + 2, attempts  # one wait each, a couple of re-queues at most


def test_a_waiter_that_comes_back_keeps_its_turn(redis_space: RedisSpace) -> None:
    # Celery retries come back early (the countdown is capped) or lose a race; asking again
    # must not send them, and everyone queued behind them, to the end of the queue.
    hosts = limiter(redis_space, fetch_host_interval=1.0, fetch_host_lease=30)
    assert hosts.acquire("w.test") == 0.0  # held, never released in this test
    first = hosts.acquire("w.test", waiter="https://w.test/1")
    second = hosts.acquire("w.test", waiter="https://w.test/2")
    assert 0.9 < first < second
    for _ in range(5):
        again = hosts.acquire("w.test", waiter="https://w.test/2")
        assert 0 < again <= second
    third = hosts.acquire("w.test", waiter="https://w.test/3")
    assert 1.15 < third - second < 1.3  # one spacing behind, not six


def test_a_due_waiter_goes_before_new_ones(redis_space: RedisSpace) -> None:
    hosts = limiter(redis_space, fetch_host_interval=0.2, fetch_host_lease=30)
    assert hosts.acquire("d.test") == 0.0  # the slot stays busy
    turn = hosts.acquire("d.test", waiter="https://d.test/1")
    for n in range(2, 5):
        hosts.acquire("d.test", waiter=f"https://d.test/{n}")
    time.sleep(turn + 0.05)  # its time has come, but the host is still busy
    due = hosts.acquire("d.test", waiter="https://d.test/1")
    newcomer = hosts.acquire("d.test", waiter="https://d.test/new")
    assert due <= 0.25 < newcomer
