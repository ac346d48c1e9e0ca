"""URL validation and canonicalisation: one ledger row per article, whatever link led to it."""

from __future__ import annotations

import functools
import ipaddress
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize

from worker.errors import InvalidUrl
from worker.models import MAX_URL_LENGTH

# Parameters that only say how a reader arrived, never which page they get. An explicit,
# anchored list on purpose: courlan's broader pattern also strips `source`, `ref`, `uid` and
# `session`, which some sites use to pick the article, and merging two articles into one
# ledger row loses one of them, while a missed tracker only costs a duplicate fetch that the
# content hash then catches.
_TRACKING = re.compile(
    r"^(utm_\w+|(?:mtm|pk|matomo|piwik)_\w+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|"
    r"twclid|ttclid|li_fat_id|yclid|mc_cid|mc_eid|_ga|_gl|igshid|igsh|srsltid|ocid|cmpid|ncid|"
    r"sr_share|__twitter_impression|ref_src|ref_url|at_medium|at_campaign|at_custom\d*|ito|spm|"
    r"xtor|mkt_tok|_hsenc|_hsmi|hsctatracking|oly_anon_id|oly_enc_id|vero_id|wt\.mc_id|"
    r"s_kwcid|rb_clickid|cvid|soc_src|soc_trk)$",
    re.I,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# One DNS label after IDNA encoding. Underscores occur in real hostnames, so they pass.
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@functools.lru_cache(maxsize=4096)  # a sitemap repeats one host thousands of times
def _ascii_host(host: str) -> str:
    """The host as the ledger stores it: lower case, IDNA-encoded, no trailing dot;
    InvalidUrl when it is no hostname or IP address."""
    host = host.lower().rstrip(".")
    if not host:
        raise InvalidUrl("no host")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise InvalidUrl(f"host is not a valid internationalised name: {exc}") from None
    if len(host) > 253 or not all(_LABEL.match(label) for label in host.split(".")):
        raise InvalidUrl(f"not a valid host name: {host[:100]!r}")
    return host


def validate_url(url: str) -> str:
    """Return the URL stripped of surrounding space, or raise InvalidUrl saying why."""
    url = url.strip()
    if not url:
        raise InvalidUrl("empty URL")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidUrl(f"longer than {MAX_URL_LENGTH} characters ({len(url)})")
    if _CONTROL.search(url):
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
    _ascii_host(parts.hostname)
    return url


def is_tracking_param(name: str) -> bool:
    """True for query parameters that say how a reader arrived (utm_*, fbclid, ...)."""
    return bool(_TRACKING.match(name))


def canonicalize_url(url: str) -> str:
    """The ledger key for a URL: validated, tracking parameters and fragment dropped,
    host lower-cased, default port removed, query sorted, percent-encoding normalised."""
    url = validate_url(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = _ascii_host(parts.hostname or "")
    netloc = f"[{host}]" if ":" in host else host
    if parts.port and parts.port != _DEFAULT_PORTS[scheme]:
        netloc += f":{parts.port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING.match(k)
        ]
    )
    path = parts.path or "/"
    cleaned = urlunsplit((scheme, netloc, path, query, ""))
    canonical = w3lib_canonicalize(cleaned, keep_fragments=False)
    if len(canonical) > MAX_URL_LENGTH:
        raise InvalidUrl(f"longer than {MAX_URL_LENGTH} characters once percent-encoded")
    return canonical
