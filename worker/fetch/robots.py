"""robots.txt per RFC 9309: fetched through the guarded client, cached per origin in Redis.

    2xx              parse at most robots_max_bytes; rules for our product token apply
    4xx, >5 redirects "unavailable": allow all (cached robots_cache_ttl)
    429, 5xx, timeout, network error, bad encoding
                     "unreachable": disallow all (cached robots_error_ttl, shorter)

A Crawl-delay above robots_max_crawl_delay makes the host skipped rather than crawled
faster than it asked. Parsed rules are also kept in-process for a few minutes, so a busy
worker does not re-read Redis and re-parse for every URL.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

import httpx
import redis
from protego import Protego

from worker.errors import (
    FetchTimeout,
    HostBusy,
    HttpStatusError,
    InvalidContent,
    NetworkError,
    ServerBusy,
    TooManyRedirects,
)
from worker.fetch.http import fetch_page
from worker.fetch.politeness import HostLimiter
from worker.settings import Settings

Kind = Literal["rules", "allow", "disallow"]
_LOCAL_TTL = 300.0
_LOCAL_MAX = 4096


@dataclass(frozen=True)
class RobotsVerdict:
    allowed: bool
    crawl_delay: float | None
    reason: str


@dataclass(frozen=True)
class _Entry:
    kind: Kind
    reason: str
    parser: Protego | None = None


def product_token(user_agent: str) -> str:
    """The name robots.txt groups are matched against: 'NewsIngestBot/0.1 (...)' -> 'NewsIngestBot'."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


def origin_of(url: str) -> tuple[str, str]:
    """(origin, robots.txt URL) for url; robots.txt applies per scheme, host and port."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    origin = f"{scheme}://{netloc}"
    return origin, origin + "/robots.txt"


class RobotsCache:
    """check(url) -> RobotsVerdict, fetching robots.txt at most once per origin per TTL."""

    def __init__(
        self,
        redis_client: redis.Redis,
        client: httpx.Client,
        settings: Settings,
        *,
        limiter: HostLimiter | None = None,
        prefix: str = "ingest:robots:",
    ) -> None:
        self._redis = redis_client
        self._client = client
        self._settings = settings
        self._limiter = limiter
        self._prefix = prefix
        self._token = product_token(settings.user_agent)
        self._local: dict[str, tuple[float, _Entry]] = {}

    def check(self, url: str) -> RobotsVerdict:
        """Whether url may be fetched, and the Crawl-delay to keep. May raise HostBusy when a
        limiter is given and the host's slot is taken (retry later), or Blocked when the
        host itself is refused by the address guard."""
        origin, robots_url = origin_of(url)
        if urlsplit(url).path == "/robots.txt":
            return RobotsVerdict(True, None, "robots.txt itself is always allowed")
        entry = self._entry(origin, robots_url)
        if entry.kind != "rules" or entry.parser is None:
            return RobotsVerdict(entry.kind == "allow", None, entry.reason)
        delay = entry.parser.crawl_delay(self._token)
        cap = self._settings.robots_max_crawl_delay
        if delay is not None and delay > cap:
            return RobotsVerdict(
                False, delay, f"robots.txt Crawl-delay {delay:g} s exceeds the cap of {cap:g} s"
            )
        if not entry.parser.can_fetch(url, self._token):
            path = urlsplit(url).path or "/"
            return RobotsVerdict(False, delay, f"robots.txt disallows {path} for {self._token}")
        return RobotsVerdict(True, delay, f"robots.txt allows it for {self._token}")

    # --- cache layers -------------------------------------------------------------------

    def _entry(self, origin: str, robots_url: str) -> _Entry:
        now = time.monotonic()
        local = self._local.get(origin)
        if local and local[0] > now:
            return local[1]
        entry = self._from_redis(origin)
        if entry is None:
            entry = self._fetch_and_store(origin, robots_url)
        if len(self._local) >= _LOCAL_MAX:
            self._local.clear()
        self._local[origin] = (now + _LOCAL_TTL, entry)
        return entry

    def _from_redis(self, origin: str) -> _Entry | None:
        raw = self._redis.get(self._prefix + origin)
        if raw is None:
            return None
        data = json.loads(raw)
        parser = Protego.parse(data["text"]) if data["kind"] == "rules" else None
        return _Entry(kind=data["kind"], reason=data["reason"], parser=parser)

    def _fetch_and_store(self, origin: str, robots_url: str) -> _Entry:
        host = urlsplit(origin).hostname or ""
        if self._limiter is None:
            return self._fetch(origin, robots_url, host)
        wait = self._limiter.acquire(host)
        if wait > 0:
            raise HostBusy(
                f"host {host} is busy: robots.txt fetch waits {wait:.2f} s", retry_after=wait
            )
        try:
            # Another worker may have fetched it while we waited for the slot.
            return self._from_redis(origin) or self._fetch(origin, robots_url, host)
        finally:
            self._limiter.release(host)

    def _fetch(self, origin: str, robots_url: str, host: str) -> _Entry:
        settings = self._settings
        text = ""
        try:
            result = fetch_page(
                self._client,
                robots_url,
                settings,
                accept_types=None,
                max_bytes=settings.robots_max_bytes,
                truncate=True,
            )
            kind: Kind = "rules"
            text = result.body.decode("utf-8", errors="replace").lstrip("\ufeff")
            reason = f"robots.txt fetched ({len(result.body)} bytes)"
        except (HttpStatusError, TooManyRedirects) as exc:
            kind, reason = "allow", f"robots.txt unavailable ({exc.reason}): allow all"
        except (ServerBusy, FetchTimeout, NetworkError, InvalidContent) as exc:
            kind, reason = "disallow", f"robots.txt unreachable ({exc.reason}): disallow all"
            retry_after = getattr(exc, "retry_after", None)
            if self._limiter is not None and retry_after:
                self._limiter.push_back(host, retry_after)
        ttl = settings.robots_cache_ttl if kind != "disallow" else settings.robots_error_ttl
        payload = json.dumps({"kind": kind, "reason": reason, "text": text})
        self._redis.set(self._prefix + origin, payload, ex=int(ttl))
        return _Entry(
            kind=kind, reason=reason, parser=Protego.parse(text) if kind == "rules" else None
        )
