"""Per-host politeness shared by every worker on every machine: interval, in-flight cap, push-back.

State lives in Redis and changes only inside Lua scripts, so two workers can never both
take the last slot. Times come from the Redis server's clock, the one clock all machines
share. Per host:

    {prefix}{host}          hash: next_at (earliest start of the next request), tail (the
                            latest start time handed to a waiting caller)
    {prefix}{host}:inflight sorted set: lease token -> lease expiry
    {prefix}{host}:waiters  sorted set: waiter (the URL) -> the start time it was given

A request may start when now >= next_at and fewer than `concurrency` leases are live; taking
a slot sets next_at = now + interval, so starts are at least one interval apart, and releasing
it sets next_at to at least its end + interval, so a request that left late after taking its
slot still reaches the server an interval after the previous one. A caller
that must wait is given its own future start time, one interval (plus 20 %) after the last
one handed out, so a thousand queued URLs for one host come back spread out, one per
interval, instead of all at once every second. A waiter that comes back (a retried task
names its URL) keeps the time it was given instead of queueing again at the end, so callers
that return early or lose a race do not push the whole queue back; reservations nobody came
back for are dropped a minute after their time. Leases expire on their own, so a worker
killed mid-fetch frees its slot after `fetch_host_lease`.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis

from worker.errors import HostBusy
from worker.settings import Settings

# Waiters are spaced 20 % wider than the interval: retries arrive a little late by varying
# amounts, and a waiter arriving before the previous one has started would queue again.
_WAITER_SPACING = 1.2
# Requests reach the server a few ms after their slot is taken, by varying amounts.
_ARRIVAL_MARGIN = 0.02

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""
_EXPIRE = """
local function expire_all(now, until_at, lease)
  local ms = math.ceil((math.max(until_at, now + lease) - now + 60) * 1000)
  for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ms) end
end
"""
# ARGV: token, interval, concurrency, lease, waiter spacing, waiter ("" for none). Returns "0"
# (slot taken) or the seconds until the caller's turn.
_ACQUIRE = (
    _NOW
    + _EXPIRE
    + """
local token, interval = ARGV[1], tonumber(ARGV[2])
local concurrency, lease = tonumber(ARGV[3]), tonumber(ARGV[4])
local spacing, waiter = tonumber(ARGV[5]), ARGV[6]
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 60)
local next_at = tonumber(redis.call('HGET', KEYS[1], 'next_at') or '0')
local tail = tonumber(redis.call('HGET', KEYS[1], 'tail') or '0')
local busy = redis.call('ZCARD', KEYS[2]) >= concurrency
if now >= next_at and not busy then
  redis.call('ZADD', KEYS[2], now + lease, token)
  redis.call('HSET', KEYS[1], 'next_at', now + interval, 'interval', interval)
  if waiter ~= '' then redis.call('ZREM', KEYS[3], waiter) end
  expire_all(now, math.max(now + interval, tail), lease)
  return '0'
end
local earliest = next_at
if busy then
  -- when the holder releases is unknown: look again after an interval (or 50 ms)
  earliest = math.max(earliest, now + math.max(interval, 0.05))
end
local given = waiter ~= '' and redis.call('ZSCORE', KEYS[3], waiter)
local turn
if given then
  -- back early: keep the time it was given; its time has come: the next free moment
  turn = math.max(tonumber(given), earliest)
  redis.call('ZADD', KEYS[3], math.max(tonumber(given), now), waiter)
else
  turn = math.max(earliest, tail + spacing, now)
  redis.call('HSET', KEYS[1], 'tail', turn)
  if waiter ~= '' then redis.call('ZADD', KEYS[3], turn, waiter) end
end
expire_all(now, math.max(turn, tail), lease)
return tostring(math.max(turn - now, 0.001))  -- never "0": that means "go"
"""
)
# ARGV: token. The next start also waits an interval after this request ended, so the
# server sees the spacing even when a request left late after taking its slot.
_RELEASE = (
    _NOW
    + """
if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then
  local interval = tonumber(redis.call('HGET', KEYS[1], 'interval') or '0')
  local next_at = tonumber(redis.call('HGET', KEYS[1], 'next_at') or '0')
  if now + interval > next_at then
    redis.call('HSET', KEYS[1], 'next_at', now + interval)
  end
end
return 1
"""
)
# ARGV: seconds, lease. Later waiters queue behind the pause.
_PUSH_BACK = (
    _NOW
    + _EXPIRE
    + """
local until_at = now + tonumber(ARGV[1])
local next_at = math.max(tonumber(redis.call('HGET', KEYS[1], 'next_at') or '0'), until_at)
local tail = math.max(tonumber(redis.call('HGET', KEYS[1], 'tail') or '0'), next_at)
redis.call('HSET', KEYS[1], 'next_at', next_at, 'tail', tail)
expire_all(now, tail, tonumber(ARGV[2]))
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
        return [base, base + ":inflight", base + ":waiters"]

    def acquire(
        self, host: str, min_interval: float | None = None, waiter: str | None = None
    ) -> float:
        """0.0 when a slot for host is now reserved for the caller; else the seconds until
        the caller's turn (retry then, e.g. as a Celery countdown).

        The interval is max(fetch_host_interval, min_interval): pass the robots Crawl-delay.
        `waiter` names the caller across retries (its URL): one that comes back keeps its turn.
        """
        interval = max(self._interval, min_interval or 0.0)
        interval += _ARRIVAL_MARGIN if interval > 0 else 0.0
        token = uuid.uuid4().hex
        args: list[str | float] = [
            token,
            interval,
            self._concurrency,
            self._lease,
            interval * _WAITER_SPACING,
            waiter or "",
        ]
        wait = float(self._acquire(keys=self._keys(host), args=args))
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
        self._release(keys=self._keys(host), args=[token])

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
