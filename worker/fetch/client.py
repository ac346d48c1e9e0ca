"""The per-process HTTP client: pooled, no ambient config, connecting only to validated IPs.

DNS rebinding defence: httpcore asks its network backend to `connect_tcp(host, port)`;
our backend resolves the name itself, validates every address with the AddressGuard and
opens the socket to a validated IP. TLS still uses the name for SNI and certificate checks
(httpcore passes the origin host as server_hostname), and the Host header is untouched.
"""

from __future__ import annotations

import http.cookiejar
import ssl
import time
import typing

import httpcore
import httpx

from worker.fetch.guard import AddressGuard, Resolver
from worker.settings import Settings

ACCEPT_ENCODING = "gzip, deflate, br"  # only codings we decode ourselves, in bounded steps


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore network backend that connects to guard-validated addresses only."""

    def __init__(self, guard: AddressGuard, inner: httpcore.NetworkBackend | None = None) -> None:
        self._guard = guard
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._guard.resolve(host, port)
        # The connect timeout covers all addresses together, as for a single connect.
        end = None if timeout is None else time.monotonic() + timeout
        last_error: Exception = httpcore.ConnectError(f"no address to connect to for {host}")
        for address in addresses:
            left = None if end is None else end - time.monotonic()
            if left is not None and left <= 0:
                raise httpcore.ConnectTimeout(
                    f"connect timeout for {host} ({len(addresses)} addresses)"
                )
            try:
                return self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=left,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        raise last_error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx.HTTPTransport whose connection pool uses the GuardedBackend."""

    def __init__(
        self, guard: AddressGuard, limits: httpx.Limits, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        ssl_context = ssl_context or httpx.create_ssl_context(verify=True, trust_env=False)
        super().__init__(verify=ssl_context, trust_env=False, limits=limits)
        self.guard = guard
        # httpx 0.28 has no public hook for the network backend, so the pool it builds in
        # __init__ is replaced by an identical one using ours. If an httpx upgrade breaks this,
        # test_connects_to_the_validated_address and the SSRF tests fail.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(guard),
        )


def _no_cookies() -> http.cookiejar.CookieJar:
    # A crawler must not carry one site's cookies (paywall meters, sessions) between fetches.
    return http.cookiejar.CookieJar(policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


def make_client(
    settings: Settings,
    resolver: Resolver | None = None,
    *,
    ssl_context: ssl.SSLContext | None = None,
) -> httpx.Client:
    """One client per worker process, created after fork; close it when the process exits.

    resolver replaces getaddrinfo (tests); ssl_context replaces the default verifying context
    (certifi's CAs), e.g. to trust a test CA. Certificates are always verified.
    """
    guard = AddressGuard(settings, resolver=resolver)
    limits = httpx.Limits(max_connections=20, max_keepalive_connections=10)
    return httpx.Client(
        transport=GuardedTransport(guard, limits, ssl_context),
        trust_env=False,
        follow_redirects=False,
        cookies=_no_cookies(),
        timeout=httpx.Timeout(
            connect=settings.fetch_connect_timeout,
            read=settings.fetch_read_timeout,
            write=settings.fetch_read_timeout,
            pool=settings.fetch_connect_timeout,
        ),
        headers={
            "User-Agent": settings.user_agent,
            "Accept-Encoding": ACCEPT_ENCODING,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        },
    )
