"""Section and front pages -> candidate URLs: the page's links, resolved, kept on the site,
filtered by the entry point's include and exclude patterns, one per canonical URL."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from worker.charset import decode_html
from worker.discover.candidates import MAX_ENTRIES, CandidateCollector, DiscoveryResult
from worker.discover.canonical import canonicalize_url, validate_url
from worker.errors import InvalidUrl

_NOT_PAGES = ("javascript:", "mailto:", "tel:", "data:", "sms:", "whatsapp:", "#")
_URL_WHITESPACE = str.maketrans("", "", "\t\n\r")  # browsers drop these inside URLs


_CHROME_TAGS = frozenset({"nav", "footer"})
_CHROME_ROLES = frozenset({"navigation", "contentinfo", "menu", "menubar"})


def in_page_chrome(node: LexborNode) -> bool:
    """True for a link inside navigation or a footer: section menus, not stories."""
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "-document"):
        if parent.tag in _CHROME_TAGS or (parent.attributes.get("role") or "") in _CHROME_ROLES:
            return True
        parent = parent.parent
    return False


def site_key(host: str) -> str:
    """A host without its `www.`, which sites use interchangeably with the bare domain."""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, base_url: str) -> bool:
    """True when url's host is the base's host, with or without www., or a subdomain of it."""
    host, base = site_key(urlsplit(url).hostname or ""), site_key(urlsplit(base_url).hostname or "")
    return bool(host) and (host == base or host.endswith("." + base))


def extract_links(
    html: str | bytes,
    base_url: str,
    include: Iterable[re.Pattern[str]] = (),
    exclude: Iterable[re.Pattern[str]] = (),
    *,
    source_id: str | None = None,
    language: str | None = None,
    any_site: bool = False,
    skip_chrome: bool = True,
    max_entries: int = MAX_ENTRIES,
    content_type: str | None = None,
) -> DiscoveryResult:
    """Candidate URLs from the `<a href>` links of a listing page; the anchor text is the
    title hint. Links resolve against `<base href>`, else `base_url`.

    Rejected with a reason: off-site links (unless `any_site`), links in <nav>, <footer> or
    a navigation role (unless `skip_chrome` is False), links to the listing page itself or
    the home page. In-page anchors (`#...`), javascript:, mailto: and the like are not
    links to pages and are not counted. Bytes are decoded in the WHATWG order, with
    `content_type`'s charset when given."""
    text = decode_html(html, content_type)[0] if isinstance(html, bytes) else html
    tree = LexborHTMLParser(text)
    base = base_url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        href = (base_node.attributes.get("href") or "").strip()
        try:
            base = validate_url(urljoin(base_url, href)) if href else base_url
        except (InvalidUrl, ValueError):
            base = base_url
    collector = CandidateCollector(
        base_url,
        "listing",
        source_id=source_id,
        include=include,
        exclude=exclude,
        max_entries=max_entries,
    )
    for page, reason in (
        (base_url, "the listing page itself"),
        (urljoin(base_url, "/"), "the home page"),
    ):
        with contextlib.suppress(InvalidUrl):
            collector.not_articles.setdefault(canonicalize_url(page), reason)
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip().translate(_URL_WHITESPACE)
        if not href or href.lower().startswith(_NOT_PAGES):
            continue
        try:
            url = urljoin(base, href)
        except ValueError as exc:
            collector.skip(href, f"invalid URL: unparseable: {exc}")
            continue
        if not any_site and url.lower().startswith(("http://", "https://")):
            try:
                validate_url(url)
            except InvalidUrl:
                pass  # the collector rejects it with the reason
            else:
                if not same_site(url, base_url):
                    collector.skip(url, "off-site link")
                    continue
        if skip_chrome and in_page_chrome(node):
            collector.skip(url, "in navigation or footer")
            continue
        collector.add(url, title=node.text(separator=" "), language=language)
    return collector.result()
