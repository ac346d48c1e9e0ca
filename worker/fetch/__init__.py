"""Fetching pages safely and politely: address guard, HTTP client, robots.txt, per-host limits.

guard.py        which schemes, ports and IP addresses may be fetched (SSRF defence)
client.py       make_client: the per-process httpx.Client, connecting to validated IPs only
decode.py       gzip/deflate/br decoding in bounded steps, capped on the wire and after
http.py         fetch_page: URL -> FetchResult, redirects checked hop by hop
robots.py       RobotsCache: robots.txt per RFC 9309, cached in Redis
politeness.py   HostLimiter: per-host interval and in-flight cap shared through Redis
"""

from worker.fetch.client import make_client
from worker.fetch.decode import gunzip_bounded
from worker.fetch.guard import AddressGuard
from worker.fetch.http import FEED_TYPES, HTML_TYPES, SITEMAP_TYPES, fetch_page
from worker.fetch.polite import PoliteFetcher
from worker.fetch.politeness import HostLimiter
from worker.fetch.robots import RobotsCache, RobotsVerdict

__all__ = [
    "FEED_TYPES",
    "HTML_TYPES",
    "SITEMAP_TYPES",
    "AddressGuard",
    "HostLimiter",
    "PoliteFetcher",
    "RobotsCache",
    "RobotsVerdict",
    "fetch_page",
    "gunzip_bounded",
    "make_client",
]
