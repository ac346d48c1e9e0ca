"""PoliteFetcher: the fetch stage's one call, robots.txt and per-host limits around fetch_page.

    check_url (no DNS) -> robots.txt verdict -> host slot -> fetch_page -> release the slot

A URL robots.txt disallows raises Blocked with the robots reason and no request is sent; a
host whose slot is not free raises HostBusy with the seconds to wait (retry with that
countdown instead of sleeping); 429/5xx push the host's next slot back by Retry-After.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlsplit

import httpx
import redis

from worker.errors import Blocked, HostBusy, ServerBusy
from worker.fetch.guard import AddressGuard
from worker.fetch.http import HTML_TYPES, fetch_page
from worker.fetch.politeness import HostLimiter
from worker.fetch.robots import RobotsCache
from worker.models import FetchResult
from worker.settings import Settings

DEFAULT_PUSH_BACK = 10.0  # seconds a host rests after 429/5xx without Retry-After
MAX_PUSH_BACK = 3600.0  # a Retry-After of a week is a misconfiguration, not a request


class PoliteFetcher:
    """One per worker process, sharing the process's client; holds no per-URL state."""

    def __init__(
        self,
        client: httpx.Client,
        redis_client: redis.Redis,
        settings: Settings,
        *,
        prefix: str = "ingest:",
    ) -> None:
        self._client = client
        self._settings = settings
        self._guard = AddressGuard(settings)
        self.limiter = HostLimiter(redis_client, settings, prefix=prefix + "host:")
        self.robots = RobotsCache(
            redis_client, client, settings, limiter=self.limiter, prefix=prefix + "robots:"
        )

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept_types: Collection[str] | None = HTML_TYPES,
    ) -> FetchResult:
        """fetch_page, politely. Raises Blocked (robots), HostBusy (wait), or fetch_page's errors.

        Each host on the redirect chain is checked against its robots.txt and takes its own
        slot; all slots are released when the fetch ends.
        """
        self._guard.check_url(url)  # refuse private/odd URLs before even asking for robots.txt
        held: list[str] = []
        try:
            self._enter(url, held, what="")
            return fetch_page(
                self._client,
                url,
                self._settings,
                etag=etag,
                last_modified=last_modified,
                accept_types=accept_types,
                on_redirect=lambda next_url: self._enter(
                    next_url, held, what=f"redirect to {next_url[:200]}: "
                ),
            )
        except ServerBusy as exc:
            # The host that answered is the last one entered.
            rest = min(exc.retry_after if exc.retry_after else DEFAULT_PUSH_BACK, MAX_PUSH_BACK)
            self.limiter.push_back(held[-1], rest)
            raise
        finally:
            for host in held:
                self.limiter.release(host)

    def close(self) -> None:
        self._client.close()

    def _enter(self, url: str, held: list[str], what: str) -> None:
        """Check url against robots.txt and take its host's slot unless this fetch holds it."""
        self._guard.check_url(url)
        verdict = self.robots.check(url)
        if not verdict.allowed:
            raise Blocked(what + verdict.reason)
        host = (urlsplit(url).hostname or "").lower()
        if host in held:
            return
        wait = self.limiter.acquire(host, verdict.crawl_delay, waiter=url)
        if wait > 0:
            raise HostBusy(
                f"{what}host {host} is busy: next request slot in {wait:.2f} s", retry_after=wait
            )
        held.append(host)
