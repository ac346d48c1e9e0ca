"""Generic main-content extraction: find the node holding the article's paragraphs and turn it
into clean paragraphs, leaving navigation, share bars, related links, comments and footers out.

The heavy lifting stays in lexbor's C code: tag stripping and CSS selection in bulk; Python only
visits paragraph-level nodes, never every node of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from worker.parse.normalise import collapse

# Never article text, wherever they are.
HARD_JUNK_TAGS = [
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "button", "select", "option", "input", "textarea", "nav",
    "figcaption", "dialog", "menu",
]  # fmt: skip
# Boilerplate recognised by class or id. Dropped unless the node holds most of the page text.
_JUNK_WORDS = (
    "share", "sharing", "social", "related", "recommend", "newsletter", "comment", "breadcrumb",
    "sidebar", "cookie", "advert", "subscribe", "popup", "modal", "outbrain", "taboola",
    "byline", "author-bio", "tag-list", "taglist", "article-tags", "footer", "pagination",
    "read-more", "readmore", "more-stories", "most-popular", "mostpopular", "trending", "signup",
    "promo", "banner", "caption", "disclaimer", "rating", "print-only", "skip-link",
    "jump-link", "toolbar", "widget", "masthead",
)  # fmt: skip
_JUNK_TOKENS = (
    "ad",
    "ads",
    "nav",
    "menu",
    "tags",
    "meta",
    "credit",
    "hidden",
    "sr-only",
    "visually-hidden",
)
JUNK_SELECTOR = ", ".join(
    [f'[class*="{w}"], [id*="{w}"]' for w in _JUNK_WORDS]
    + [f'[class~="{w}"], [id="{w}"]' for w in _JUNK_TOKENS]
    + ["footer", "aside", "form", '[role="navigation"]', '[role="complementary"]',
       '[aria-hidden="true"]', "[hidden]", '[role="dialog"]', '[itemprop="comment"]']
)  # fmt: skip
BLOCK_SELECTOR = "p, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt, td, th"
_INNER_BLOCK_SELECTOR = "p, h2, h3, h4, h5, h6, li, blockquote, pre, div, table, ul, ol, dd"
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_BOILERPLATE = re.compile(
    r"^(advertisement|anzeige|werbung|publicité|publicidad|share( this)?( article)?|teilen|"
    r"read (more|also|next)|lesen sie (auch|mehr)|mehr zum thema|related( articles)?|"
    r"follow us.*|sign up.*|subscribe.*|click here.*|weiterlesen|tags?:?.*|schlagwörter.*|"
    r"(all )?rights reserved.*|©.*|copyright.*|\(c\) .*|loading\.*|more on this.*|"
    r"also read:?.*|see also:?.*|auch interessant:?.*|zum thema:?.*|top stories|"
    r"abonnez-vous.*|subscribe (now )?to (read|continue).*|jetzt (abonnieren|weiterlesen).*|"
    r"post a comment|leave a (comment|reply)|your (name|email( address)?)|comments?( \(\d+\))?)$",
    re.I,
)
_MIN_PARAGRAPH_CHARS = 25


@dataclass
class BodyResult:
    paragraphs: list[str]
    rule: str  # which rule found the container, for explain()


def strip_junk(tree: LexborHTMLParser, extra_drop: tuple[str, ...] = ()) -> None:
    """Remove hard junk tags in bulk, then class/id-matched boilerplate unless it holds the article."""
    tree.strip_tags(HARD_JUNK_TAGS)
    body = tree.body
    if body is None:
        return
    for selector in extra_drop:
        try:
            for node in tree.css(selector):
                node.remove()
        except Exception:  # noqa: BLE001 - a bad profile selector must not kill the parse
            continue
    total = len(body.text(deep=True))
    if total == 0:
        return
    keep_limit = max(total * 0.35, 2000)
    for node in tree.css(JUNK_SELECTOR):
        if node.tag in ("html", "body", "article", "main"):
            continue
        text = node.text(deep=True)
        if len(text) > keep_limit and node.css_first("h1, article, main") is None:
            # A big node with junk-sounding class names may be a wrapper around everything.
            if node.tag != "form" or len(node.css("p")) > 3:
                continue
        elif len(text) > keep_limit:
            continue
        node.remove()


def find_container(tree: LexborHTMLParser) -> tuple[LexborNode | None, str]:
    """The node whose paragraphs are the article: readability-style scoring of <p> text, with
    <br>-separated text blocks as the fallback for pages written without paragraphs."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for p in tree.css("p, pre, blockquote"):
        length = len(p.text(deep=True).strip())
        if length < _MIN_PARAGRAPH_CHARS:
            continue
        weight = float(min(length, 1000)) + 50.0  # many paragraphs beat one long blurb
        node = p.parent
        for factor in (1.0, 0.5, 0.25):
            if node is None or node.tag in ("html", "#document"):
                break
            key = node.mem_id
            nodes[key] = node
            scores[key] = scores.get(key, 0.0) + weight * factor
            node = node.parent
    best_key = max(scores, key=lambda k: scores[k]) if scores else None
    best_score = scores[best_key] if best_key is not None else 0.0
    if best_score < 800:
        brs = tree.css("br")
        if brs:
            parents = {br.parent.mem_id: br.parent for br in brs[:2000] if br.parent is not None}
            for key, node in parents.items():
                text = collapse(node.text(deep=True))
                score = len(text) * (1.0 - _link_density(node, len(text)))
                if score > best_score:
                    best_key, best_score = key, score
                    nodes[key] = node
            if best_key is not None and best_key in parents:
                return nodes[best_key], "text with line breaks"
    if best_key is None:
        return None, "none"
    return nodes[best_key], "scored paragraphs"


def _has_inner_block(node: LexborNode) -> bool:
    """Whether a block element holds further blocks (lexbor's css() also matches the node itself)."""
    first = node.css_first(_INNER_BLOCK_SELECTOR)
    if first is None:
        return False
    if first.mem_id != node.mem_id:
        return True
    return len(node.css(_INNER_BLOCK_SELECTOR)) > 1


def _link_density(node: LexborNode, text_length: int) -> float:
    if text_length == 0 or node.css_first("a") is None:
        return 0.0
    link_chars = sum(len(collapse(a.text(deep=True))) for a in node.css("a"))
    return link_chars / text_length


def collect_paragraphs(container: LexborNode) -> list[str]:
    """Paragraph-level text of `container`, in order, innermost blocks only, junk lines dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for node in container.css(BLOCK_SELECTOR):
        if _has_inner_block(node):
            continue  # its inner blocks are visited on their own
        text = collapse(node.text(deep=True))
        if not text or _BOILERPLATE.match(text):
            continue
        density = _link_density(node, len(text))
        if density > (0.5 if node.tag in ("li", "dd", "dt", "td", "th") else 0.8):
            continue
        if node.tag in ("li", "td", "th") and len(text) < 3:
            continue
        if text in seen and len(text) < 200:
            continue
        seen.add(text)
        out.append(text)
    bare = _bare_text_paragraphs(container, sum(len(p) for p in out))
    return bare if bare is not None else out


def _bare_text_paragraphs(container: LexborNode, collected: int) -> list[str] | None:
    """For text written straight into divs with <br>s: split on line breaks instead."""
    full = collapse(container.text(deep=True))
    if len(full) < 200 or collected >= 0.6 * len(full):
        return None
    for br in container.css("br")[:5000]:
        br.replace_with("\n")
    for block in container.css("div, p, h2, h3, h4, h5, h6, li, blockquote, section, tr")[:5000]:
        block.insert_after("\n")
    lines = [collapse(line) for line in container.text(deep=True).split("\n")]
    return [line for line in lines if line and not _BOILERPLATE.match(line)]


def extract_body(tree: LexborHTMLParser, extra_drop: tuple[str, ...] = ()) -> BodyResult:
    """Strip junk from `tree` (in place) and return the article's paragraphs."""
    strip_junk(tree, extra_drop)
    container, rule = find_container(tree)
    if container is None:
        return BodyResult([], rule)
    return BodyResult(collect_paragraphs(container), rule)


def paragraphs_of(nodes: list[LexborNode]) -> list[str]:
    """Paragraphs of profile-selected body nodes (in order)."""
    out: list[str] = []
    for node in nodes:
        paragraphs = collect_paragraphs(node)
        if not paragraphs:
            text = collapse(node.text(deep=True))
            paragraphs = [text] if text else []
        out.extend(paragraphs)
    return out


def is_heading(tag: str) -> bool:
    return tag in _HEADING_TAGS
