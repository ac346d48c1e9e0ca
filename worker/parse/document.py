"""The parsed page, built once: lexbor tree, <meta> map, JSON-LD objects, canonical link, lang.

Everything later steps read from the page's structured metadata is collected here in one pass,
before the body extractor starts cutting the tree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from selectolax.lexbor import LexborDocumentOptions, LexborHTMLParser, LexborNode

from worker.parse.normalise import collapse

ARTICLE_TYPES = frozenset(
    {
        "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "socialmediaposting",
        "scholarlyarticle", "techarticle", "report", "liveblogposting", "posting", "webpage",
        "askpublicnewsarticle", "satiricalarticle", "advertisercontentarticle", "medicalwebpage",
        "itempage", "recipe", "creativework", "videoobject",
    }
)  # fmt: skip
# Most specific first: a NewsArticle beats the WebPage that wraps it.
_TYPE_RANK = {"webpage": 5, "itempage": 4, "creativework": 4, "videoobject": 4, "medicalwebpage": 4}
_MAX_JSONLD_BYTES = 2_000_000
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


@dataclass
class Document:
    """One page, parsed once. `meta` maps lower-cased name/property/itemprop to contents."""

    url: str
    tree: LexborHTMLParser
    meta: dict[str, list[str]] = field(default_factory=dict)
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    article_ld: dict[str, Any] = field(default_factory=dict)
    canonical: str | None = None
    html_lang: str | None = None
    title_tag: str = ""

    @cached_property
    def headline(self) -> LexborNode | None:
        """The first <h1>, looked up once (several field finders start from it)."""
        return self.tree.css_first("h1")

    def around_headline(self, levels: int = 3) -> LexborNode | None:
        """The headline's ancestor `levels` up, stopping below <body>: where bylines,
        date lines and standfirsts sit."""
        scope = self.headline
        for _ in range(levels):
            parent = scope.parent if scope is not None else None
            if parent is None or parent.tag in ("body", "html"):
                break
            scope = parent
        return scope

    def resolve_ld(self, item: Any) -> Any:
        """The JSON-LD node a bare reference ({"@id": ...}) points at, else `item` itself: a
        @graph (Yoast's) gives the article's author once, as a Person node, and only refers to
        it from the article."""
        if isinstance(item, dict) and item.keys() == {"@id"}:
            return next((node for node in self.jsonld if node.get("@id") == item["@id"]), item)
        return item

    def meta_first(self, *keys: str) -> str | None:
        """The first non-empty content among `keys`, in the order given."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return value.strip()
        return None


def build_document(html: str | bytes, url: str) -> Document:
    """Parse `html` (text, or UTF-8 bytes) and read its metadata."""
    # Without mutation events lexbor skips its per-node callbacks while building and cutting
    # the tree; they only mirror form state (<selectedcontent>), never article text.
    tree = LexborHTMLParser(html, options=LexborDocumentOptions.WO_EVENTS)
    doc = Document(url=url, tree=tree)
    root = tree.root
    if root is not None:
        attrs = root.attributes
        doc.html_lang = (attrs.get("lang") or attrs.get("xml:lang") or "").strip() or None
    _read_metadata(doc)
    # The first canonical link, usually in <head>: css_first stops there.
    link = tree.css_first('link[rel~="canonical" i][href]')
    if link is not None:
        doc.canonical = (link.attributes.get("href") or "").strip() or None
    # Script, style and template text is never read after this point; dropping it keeps every
    # later text() call (dates, bylines, body) from reading code.
    tree.strip_tags(["script", "style", "template"])
    _drop_noscript(tree)
    title = tree.css_first("title")
    doc.title_tag = collapse(title.text()) if title is not None else ""
    return doc


def _drop_noscript(tree: LexborHTMLParser) -> None:
    """Remove the <noscript> fallbacks ("enable JavaScript", a tracking pixel), but unwrap one
    that holds a page's worth of text: an element left open inside it ("<noscript><div>
    </noscript>") swallows the rest of the page in a parser that runs no scripts, where a
    browser would show that text."""
    for node in tree.tags("noscript"):
        if (
            node.css_first("h1, article, main") is not None  # the page, not a fallback
            or len(node.text(deep=True)) > _SWALLOWED_NOSCRIPT_CHARS
        ):
            node.unwrap()
        else:
            node.decompose()


_SWALLOWED_NOSCRIPT_CHARS = 2000


# The elements that carry a value (see _read_meta) and the JSON-LD scripts: one selector walk
# finds both. (It asks for the attributes that carry a value, which lexbor finds by a fixed id:
# an `[itemprop=...]` part would cost a name lookup on every element.)
_METADATA_HOLDERS = '[content], [datetime], script[type="application/ld+json"]'


def _read_metadata(doc: Document) -> None:
    """The page's metadata values (into doc.meta) and JSON-LD objects (doc.jsonld)."""
    scripts: list[LexborNode] = []
    previous = None
    for node in doc.tree.css(_METADATA_HOLDERS):
        if node.mem_id == previous:
            continue  # listed once per selector part it matches, in a row
        previous = node.mem_id
        attrs = node.attributes
        # (The type compared as the selector compares it, ASCII case-insensitively.)
        type_ = attrs.get("type")
        if type_ and type_.lower() == _JSONLD_TYPE and node.tag == "script":
            scripts.append(node)
        _read_meta(doc, attrs)
    _read_jsonld(doc, scripts)


_JSONLD_TYPE = "application/ld+json"


def _read_meta(doc: Document, attrs: dict[str, str | None]) -> None:
    """The value an element's attributes carry: a <meta> content, an RDFa/microdata `content`
    on any element (<span property=...>), an itemprop date on a <time datetime>."""
    content = attrs.get("content")
    if content is None and attrs.get("itemprop") in ("datePublished", "dateModified"):
        content = attrs.get("datetime")  # <time itemprop="datePublished" datetime=...>
    if not content:
        return
    for attr in ("property", "name", "itemprop", "http-equiv"):
        key = attrs.get(attr)
        if key:
            key = key.strip().lower().removeprefix("schema:")
            doc.meta.setdefault(key, []).append(content)


def _read_jsonld(doc: Document, scripts: list[LexborNode]) -> None:
    for script in scripts:
        raw = script.text(deep=True) or ""
        if len(raw) > _MAX_JSONLD_BYTES:
            continue
        data = _loads(raw)
        if data is not None:
            _flatten(data, doc.jsonld, depth=0)
    best: tuple[int, int] | None = None
    for index, obj in enumerate(doc.jsonld):
        types = _types(obj)
        matched = [t for t in types if t in ARTICLE_TYPES]
        if not matched:
            continue
        rank = min(_TYPE_RANK.get(t, 0) for t in matched)
        # A WebPage only counts if it says something article-like.
        if rank >= 4 and not any(k in obj for k in ("headline", "articleBody", "datePublished")):
            continue
        if best is None or rank < best[0]:
            best = (rank, index)
    if best is not None:
        doc.article_ld = doc.jsonld[best[1]]


def _loads(raw: str) -> Any:
    text = raw.strip()
    if text.startswith("<!--"):
        text = text[4:]
    if text.endswith("-->"):
        text = text[:-3]
    text = text.strip().removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _types(obj: dict[str, Any]) -> list[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return [str(v).lower().rsplit("/", 1)[-1] for v in values if isinstance(v, str)]


def _flatten(data: Any, out: list[dict[str, Any]], depth: int) -> None:
    if depth > 4 or len(out) > 200:
        return
    if isinstance(data, list):
        for item in data:
            _flatten(item, out, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            _flatten(data["@graph"], out, depth + 1)
        if "@type" in data:
            out.append(data)
            main = data.get("mainEntity") or data.get("mainEntityOfPage")
            if isinstance(main, dict) and "@type" in main:
                _flatten(main, out, depth + 1)


def contains(attribute: str, text: str) -> str:
    """A selector part for an element whose `attribute` holds `text` (case-sensitively), as
    `[attribute*="text"]` but cheaper: lexbor tests that with a memcmp call at every offset
    of the value, and an ASCII case-insensitive test byte by byte, failing fast. Asked first,
    the case-insensitive test (true wherever the exact one is) lets few values through to the
    exact one."""
    return f'[{attribute}*="{text}" i][{attribute}*="{text}"]'


def node_text(node: LexborNode | None) -> str:
    return collapse(node.text(deep=True, separator=" ")) if node is not None else ""
