"""URL validation and canonicalisation: one ledger row per article, whatever link led to it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize

from worker.errors import InvalidUrl
from worker.models import MAX_URL_LENGTH

# Parameters that only say how a reader arrived, never which page they get.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|_ga|_gl|igshid|"
    r"ocid|cmpid|ncid|sr_share|__twitter_impression|at_medium|at_campaign|ito|spm)$",
    re.I,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def validate_url(url: str) -> str:
    """Return the URL stripped of surrounding space, or raise InvalidUrl saying why."""
    url = url.strip()
    if not url:
        raise InvalidUrl("empty URL")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidUrl(f"longer than {MAX_URL_LENGTH} characters ({len(url)})")
    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in url):
        raise InvalidUrl("contains control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidUrl(f"unparseable: {exc}") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        raise InvalidUrl(f"scheme {parts.scheme or '(none)'!r} is not http or https")
    if not parts.hostname:
        raise InvalidUrl("no host")
    if parts.username is not None or parts.password is not None or "\\" in parts.netloc:
        raise InvalidUrl("credentials or backslashes in the host part")
    if port == 0:
        raise InvalidUrl("port 0")
    return url


def canonicalize_url(url: str) -> str:
    """The ledger key for a URL: validated, tracking parameters and fragment dropped,
    host lower-cased, default port removed, query sorted, percent-encoding normalised."""
    url = validate_url(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    host = host.encode("idna").decode("ascii") if not host.isascii() else host
    netloc = f"[{host}]" if ":" in host else host
    if parts.port and parts.port != _DEFAULT_PORTS[scheme]:
        netloc += f":{parts.port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    )
    path = parts.path or "/"
    cleaned = urlunsplit((scheme, netloc, path, query, ""))
    return w3lib_canonicalize(cleaned, keep_fragments=False)
