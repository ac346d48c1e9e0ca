"""fetch_page: one URL to a FetchResult, redirects checked hop by hop, body capped and timed.

Every failure raises a worker.errors exception whose reason says what was wrong with the URL.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from worker.charset import decode_html
from worker.errors import (
    FetchTimeout,
    HttpStatusError,
    InvalidUrl,
    NetworkError,
    NotHtml,
    ServerBusy,
    TooLarge,
    TooManyRedirects,
)
from worker.fetch.decode import decode_stream, parse_content_encoding
from worker.fetch.guard import AddressGuard
from worker.models import FetchResult, Redirect
from worker.settings import Settings

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
SITEMAP_TYPES = FEED_TYPES | {
    "text/plain",
    "application/gzip",
    "application/x-gzip",
    "application/octet-stream",  # how many servers label sitemap.xml.gz
}

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
BUSY_CODES = frozenset({408, 429})  # plus every 5xx
_DRAIN_LIMIT = 64 * 1024
_SENSITIVE_HEADERS = ("authorization", "cookie", "proxy-authorization")


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def _status_error(url: str, response: httpx.Response) -> Exception:
    status = response.status_code
    text = f"HTTP {status} {response.reason_phrase}".rstrip()
    if status in BUSY_CODES or status >= 500:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        suffix = f" (Retry-After {retry_after:g} s)" if retry_after is not None else ""
        return ServerBusy(text + suffix, retry_after=retry_after)
    if 300 <= status < 400:
        return HttpStatusError(f"{text} without a usable Location", status)
    return HttpStatusError(text, status)


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def check(self, url: str, what: str) -> None:
        if self.remaining() <= 0:
            raise FetchTimeout(f"total deadline of {self.seconds:g} s passed {what} ({url})")

    def timeout(self, settings: Settings) -> httpx.Timeout:
        left = max(0.01, self.remaining())
        return httpx.Timeout(
            connect=min(settings.fetch_connect_timeout, left),
            read=min(settings.fetch_read_timeout, left),
            write=min(settings.fetch_read_timeout, left),
            pool=min(settings.fetch_connect_timeout, left),
        )


def fetch_page(
    client: httpx.Client,
    url: str,
    settings: Settings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept_types: Collection[str] | None = HTML_TYPES,
    max_bytes: int | None = None,
    truncate: bool = False,
    headers: Mapping[str, str] | None = None,
    on_redirect: Callable[[str], None] | None = None,
) -> FetchResult:
    """GET url and return what came back, or raise the worker.errors exception saying why not.

    accept_types: media types allowed (HTML_TYPES, FEED_TYPES, SITEMAP_TYPES), None for any.
    max_bytes: body cap (default settings.fetch_max_bytes); with truncate=True the body is cut
    at the cap instead of failing (robots.txt). on_redirect(next_url) runs before each hop is
    followed, e.g. to consult robots.txt or politeness for a new host; raise to stop.
    """
    guard = AddressGuard(settings)
    cap = settings.fetch_max_bytes if max_bytes is None else max_bytes
    deadline = _Deadline(settings.fetch_deadline)
    started = time.monotonic()
    request_headers = {k: v for k, v in (headers or {}).items()}
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified

    redirects: list[Redirect] = []
    current = url
    first_origin: tuple[str, str, int | None] | None = None
    while True:
        guard.check_url(current)
        try:
            target = httpx.URL(current)
        except httpx.InvalidURL as exc:
            raise InvalidUrl(f"unparseable URL {current[:200]!r}: {exc}") from None
        if first_origin is None:
            first_origin = _origin(target)
        elif _origin(target) != first_origin:
            request_headers = {
                k: v for k, v in request_headers.items() if k.lower() not in _SENSITIVE_HEADERS
            }
        deadline.check(current, "before the request")
        try:
            with client.stream(
                "GET", target, headers=request_headers, timeout=deadline.timeout(settings)
            ) as response:
                status = response.status_code
                if status in REDIRECT_CODES and response.headers.get("location"):
                    location = response.headers["location"]
                    try:
                        next_url = str(target.join(location))
                    except httpx.InvalidURL as exc:
                        raise InvalidUrl(
                            f"bad redirect Location {location[:200]!r}: {exc}"
                        ) from None
                    redirects.append(Redirect(url=current, status_code=status, location=next_url))
                    if len(redirects) > settings.fetch_max_redirects:
                        raise TooManyRedirects(
                            f"more than {settings.fetch_max_redirects} redirects "
                            f"(hop {len(redirects)} to {next_url[:200]})"
                        )
                    _drain_small(response)
                    if on_redirect is not None:
                        on_redirect(next_url)
                    current = next_url
                    continue
                if status == 304:
                    return _result(url, current, response, redirects, started, not_modified=True)
                if not 200 <= status < 300:
                    raise _status_error(current, response)
                content_type = response.headers.get("content-type", "")
                kind = media_type(content_type)
                if accept_types is not None and kind not in accept_types:
                    raise NotHtml(_type_reason(kind, accept_types))
                body = _read_body(response, current, cap, truncate, deadline, settings)
                return _result(url, current, response, redirects, started, body=body)
        except httpx.TimeoutException as exc:
            raise FetchTimeout(f"{type(exc).__name__} fetching {current[:200]}") from None
        except httpx.TransportError as exc:
            raise NetworkError(f"{type(exc).__name__} fetching {current[:200]}: {exc}") from None
        except httpx.InvalidURL as exc:
            raise InvalidUrl(f"invalid URL {current[:200]!r}: {exc}") from None


def _drain_small(response: httpx.Response) -> None:
    # Reading a short redirect body lets the connection go back to the pool for the next hop.
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) <= _DRAIN_LIMIT:
        for _ in response.iter_raw():
            pass


def _type_reason(kind: str, accept_types: Collection[str]) -> str:
    shown = kind or "(none)"
    if set(accept_types) <= HTML_TYPES:
        return f"content type {shown} is not HTML"
    return f"content type {shown} is not one of {', '.join(sorted(accept_types))}"


def _read_body(
    response: httpx.Response,
    url: str,
    cap: int,
    truncate: bool,
    deadline: _Deadline,
    settings: Settings,
) -> bytes:
    declared = response.headers.get("content-length")
    if declared is not None and not truncate:
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length > cap:
            raise TooLarge(f"body over {cap} bytes (Content-Length {length})")
    codings = parse_content_encoding(response.headers.get("content-encoding"))
    parts: list[bytes] = []
    size = 0
    for chunk in decode_stream(response.iter_raw(), codings, cap, truncate=truncate):
        deadline.check(url, f"while reading the body ({size} bytes read)")
        parts.append(chunk)
        size += len(chunk)
    if size > settings.fetch_warn_bytes:
        log.warning("large body: %d bytes from %s", size, url)
    return b"".join(parts)


def _result(
    url: str,
    final_url: str,
    response: httpx.Response,
    redirects: list[Redirect],
    started: float,
    *,
    body: bytes = b"",
    not_modified: bool = False,
) -> FetchResult:
    content_type = response.headers.get("content-type", "")
    text, encoding = decode_html(body, content_type) if body else ("", "utf-8")
    return FetchResult(
        url=url,
        final_url=final_url,
        status_code=response.status_code,
        content_type=content_type,
        encoding=encoding,
        body=body,
        text=text,
        redirects=tuple(redirects),
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        not_modified=not_modified,
        elapsed_ms=round((time.monotonic() - started) * 1000, 1),
    )
