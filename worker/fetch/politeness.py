"""Per-host politeness shared by every worker on every machine: interval, in-flight cap, push-back.

State lives in Redis and changes only inside Lua scripts, so two workers can never both
take the last slot. Times come from the Redis server's clock, the one clock all machines
share. Per host:

    {prefix}{host}          hash: next_at (earliest start of the next request), interval
    {prefix}{host}:inflight sorted set: lease token -> lease expiry

A request may start when now >= next_at and fewer than `concurrency` leases are live. Taking
a slot sets next_at = now + interval; releasing it sets next_at >= now + interval again, so
the gap is kept between the end of one request and the start of the next as well. Leases
expire on their own, so a worker killed mid-fetch frees its slot after `fetch_host_lease`.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis

from worker.errors import HostBusy
from worker.settings import Settings

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""
_EXPIRE = """
local function expire_all(now, next_at, lease)
  local until_ = math.max(next_at, now + lease) - now + 60
  redis.call('PEXPIRE', KEYS[1], math.ceil(until_ * 1000))
  redis.call('PEXPIRE', KEYS[2], math.ceil(until_ * 1000))
end
"""
# ARGV: token, interval, concurrency, lease. Returns "0" (slot taken) or seconds to wait.
_ACQUIRE = (
    _NOW
    + _EXPIRE
    + """
local token, interval = ARGV[1], tonumber(ARGV[2])
local concurrency, lease = tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local next_at = tonumber(redis.call('HGET', KEYS[1], 'next_at') or '0')
if next_at > now then
  return tostring(next_at - now)
end
if redis.call('ZCARD', KEYS[2]) >= concurrency then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return tostring(math.max(0.05, math.min(interval, tonumber(first[2]) - now)))
end
redis.call('ZADD', KEYS[2], now + lease, token)
redis.call('HSET', KEYS[1], 'next_at', now + interval, 'interval', interval)
expire_all(now, now + interval, lease)
return '0'
"""
)
# ARGV: token, lease.
_RELEASE = (
    _NOW
    + _EXPIRE
    + """
redis.call('ZREM', KEYS[2], ARGV[1])
local interval = tonumber(redis.call('HGET', KEYS[1], 'interval') or '0')
local next_at = math.max(tonumber(redis.call('HGET', KEYS[1], 'next_at') or '0'), now + interval)
redis.call('HSET', KEYS[1], 'next_at', next_at)
expire_all(now, next_at, tonumber(ARGV[2]))
return tostring(next_at - now)
"""
)
# ARGV: seconds, lease.
_PUSH_BACK = (
    _NOW
    + _EXPIRE
    + """
local next_at = math.max(tonumber(redis.call('HGET', KEYS[1], 'next_at') or '0'),
                         now + tonumber(ARGV[1]))
redis.call('HSET', KEYS[1], 'next_at', next_at)
expire_all(now, next_at, tonumber(ARGV[2]))
return tostring(next_at - now)
"""
)


class HostLimiter:
    """Per-host slots in Redis. One instance per process; it remembers the leases it holds."""

    def __init__(
        self, redis_client: redis.Redis, settings: Settings, *, prefix: str = "ingest:host:"
    ) -> None:
        self._redis = redis_client
        self._prefix = prefix
        self._interval = settings.fetch_host_interval
        self._concurrency = settings.fetch_host_concurrency
        self._lease = settings.fetch_host_lease
        self._acquire = redis_client.register_script(_ACQUIRE)
        self._release = redis_client.register_script(_RELEASE)
        self._push_back = redis_client.register_script(_PUSH_BACK)
        self._held: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def _keys(self, host: str) -> list[str]:
        base = self._prefix + host.lower()
        return [base, base + ":inflight"]

    def acquire(self, host: str, min_interval: float | None = None) -> float:
        """0.0 when a slot for host is now reserved for the caller; else seconds to wait.

        The interval is max(fetch_host_interval, min_interval): pass the robots Crawl-delay.
        """
        interval = max(self._interval, min_interval or 0.0)
        token = uuid.uuid4().hex
        wait = float(
            self._acquire(
                keys=self._keys(host), args=[token, interval, self._concurrency, self._lease]
            )
        )
        if wait <= 0:
            with self._lock:
                self._held.setdefault(host.lower(), []).append(token)
            return 0.0
        return wait

    def release(self, host: str) -> None:
        """Free a slot this process took for host (the oldest one); no-op if none is held."""
        with self._lock:
            tokens = self._held.get(host.lower())
            if not tokens:
                return
            token = tokens.pop(0)
            if not tokens:
                del self._held[host.lower()]
        self._release(keys=self._keys(host), args=[token, self._lease])

    def push_back(self, host: str, seconds: float) -> None:
        """Start no request to host for `seconds` (429/503 Retry-After)."""
        self._push_back(keys=self._keys(host), args=[max(0.0, seconds), self._lease])

    @contextmanager
    def slot(self, host: str, min_interval: float | None = None) -> Iterator[None]:
        """Hold host's slot for the block, or raise HostBusy with the seconds to wait."""
        wait = self.acquire(host, min_interval)
        if wait > 0:
            raise HostBusy(
                f"host {host} is busy: next request slot in {wait:.2f} s", retry_after=wait
            )
        try:
            yield
        finally:
            self.release(host)
