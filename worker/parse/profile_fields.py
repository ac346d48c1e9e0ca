"""The fields a site profile's selectors give, read before the body extractor cuts the tree."""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from worker.parse import dates
from worker.parse.authors import clean_author
from worker.parse.calendars import ascii_digits
from worker.parse.document import Document, node_text
from worker.parse.metadata import Found
from worker.parse.profiles import SiteProfile


def select(doc: Document, selector: str | None) -> list[LexborNode]:
    """Nodes matching a profile selector; none for an invalid one (a profile must not kill the parse)."""
    if not selector:
        return []
    try:
        return doc.tree.css(selector)
    except Exception:  # noqa: BLE001
        return []


def profile_fields(
    doc: Document, profile: SiteProfile, url: str, tz: tzinfo, language: str | None
) -> dict[str, tuple[Found[Any], str | None]]:
    """Field name -> (value with provenance "profile", raw string for dates)."""
    sel = profile.selectors
    out: dict[str, tuple[Found[Any], str | None]] = {}

    def first(selector: str | None) -> LexborNode | None:
        return next(iter(select(doc, selector)), None)

    def rule(selector: str | None) -> str:
        return f"profile selector {selector!r}"

    if (node := first(sel.title)) and (text := node_text(node)):
        out["title"] = (Found(text, "profile", rule(sel.title)), None)
    if (node := first(sel.lead)) and (text := node_text(node)):
        out["lead"] = (Found(text, "profile", rule(sel.lead)), None)
    for name, selector in (("published_at", sel.published), ("modified_at", sel.modified)):
        if node := first(selector):
            raw = node_text(node)
            value = dates.parse_with_formats(raw, profile.date_formats, tz) or dates.find_date(
                raw, tz, language
            )
            if value is not None:
                out[name] = (Found(value, "profile", rule(selector)), raw)
    if nodes := select(doc, sel.authors):
        names = [n for node in nodes for n in clean_author(node_text(node))]
        if names:
            out["authors"] = (Found(names, "profile", rule(sel.authors)), None)
    if node := first(sel.site_id):
        raw = ascii_digits(node_text(node))
        pattern = profile.patterns.site_id
        match = re.search(pattern, raw) if pattern else None
        site_id = (match.group(1) if match.groups() else match.group(0)) if match else raw
        if site_id:
            out["site_id"] = (Found(site_id, "profile", rule(sel.site_id)), None)
    if node := first(sel.image):
        attrs = node.attributes
        src = attrs.get("src") or attrs.get("content") or attrs.get("href")
        if src:
            out["image_url"] = (Found(urljoin(url, src), "profile", rule(sel.image)), None)
    if nodes := select(doc, sel.tags):
        tags = [t for t in (node_text(n) for n in nodes) if t]
        if tags:
            out["tags"] = (Found(tags, "profile", rule(sel.tags)), None)
    return out
