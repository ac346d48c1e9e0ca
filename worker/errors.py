"""The exception tree: every failure is either worth retrying or final, and says why.

    IngestError
    ├── TransientError              retried with exponential backoff and jitter
    │   ├── FetchTimeout            connect/read timeout or the total deadline
    │   ├── ServerBusy              429, 5xx (carries Retry-After when given)
    │   ├── NetworkError            connection refused/reset, DNS failure
    │   ├── HostBusy                per-host politeness slot not free yet
    │   └── DatabaseUnavailable     the database could not be reached or was locked
    └── PermanentError              fails at once; the ledger records `state` and the reason
        ├── InvalidUrl              (invalid)    bad scheme, no host, too long
        ├── Blocked                 (blocked)    private address, port, robots.txt
        ├── HttpStatusError         (failed_fetch) 4xx other than 408/429
        ├── TooManyRedirects        (failed_fetch)
        ├── NotHtml                 (not_html)
        ├── TooLarge                (too_large)
        ├── InvalidContent          (invalid)    content that fails validation
        └── EmptyArticle            (empty)      no article text on the page

Each permanent error names the ledger state it ends in, so the pipeline needs no mapping table.
"""

from __future__ import annotations

from worker.models import UrlState


class IngestError(Exception):
    """Base of every error the worker raises on purpose."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientError(IngestError):
    """Worth retrying later: the same request may well succeed."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class FetchTimeout(TransientError):
    pass


class ServerBusy(TransientError):
    pass


class NetworkError(TransientError):
    pass


class HostBusy(TransientError):
    """The host's politeness slot is taken; retry after `retry_after` seconds."""


class DatabaseUnavailable(TransientError):
    pass


class PermanentError(IngestError):
    """Final: retrying would give the same answer."""

    state: UrlState = UrlState.failed_fetch


class InvalidUrl(PermanentError):
    state = UrlState.invalid


class Blocked(PermanentError):
    state = UrlState.blocked


class HttpStatusError(PermanentError):
    state = UrlState.failed_fetch

    def __init__(self, reason: str, status_code: int) -> None:
        super().__init__(reason)
        self.status_code = status_code


class TooManyRedirects(PermanentError):
    state = UrlState.failed_fetch


class NotHtml(PermanentError):
    state = UrlState.not_html


class TooLarge(PermanentError):
    state = UrlState.too_large


class InvalidContent(PermanentError):
    state = UrlState.invalid


class EmptyArticle(PermanentError):
    state = UrlState.empty
