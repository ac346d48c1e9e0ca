"""Article text that only a script payload carries.

Pages rendered in the browser ship the article as an HTML string inside a JSON state blob
(Next.js and React Query hydration, Nuxt, React-on-Rails `data-react-props`), or as an HTML
template for a script to insert, and may leave the served DOM without it. When the page text
comes out short, the payload HTML with the most prose is read instead, if it is about what
the title says.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser

from worker.parse.body import MAX_ARTICLE_BODY, article_body_paragraphs, extract_body, word_key

# Where hydration state lives: inline scripts, and the props attributes of mount points.
_HOLDERS = "script:not([src]), [data-react-props], [data-props], [data-page], [data-state]"
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_TEMPLATE = re.compile(r"template|text/html", re.I)
_MARKUP = re.compile(r"<p[\s>]|\\u003c[pP][\s>\\]")
MIN_PAYLOAD_CHARS = 500  # prose a payload needs to count
_PROSE_PARAGRAPH_CHARS = 60
_MAX_CANDIDATES = 8
_TITLE_OVERLAP = 0.3  # share of the title's words the payload text must have


def payload_paragraphs(page: str | bytes, title: str) -> list[str]:
    """The paragraphs of the payload HTML with the most prose, or [] when none has
    `MIN_PAYLOAD_CHARS` of it or none shares enough words with `title`."""
    # Short Latin-script words are mostly function words, shared by any two texts.
    title_words = {w for w in word_key(title).split() if len(w) >= 4 or not w.isascii()}
    best: list[str] = []
    best_size = 0
    # The longest few only: a hostile page may carry thousands of markup strings.
    candidates = sorted(_html_strings(LexborHTMLParser(page)), key=len, reverse=True)
    for value in candidates[:_MAX_CANDIDATES]:
        paragraphs = _read_html(value)
        size = sum(len(p) for p in paragraphs if len(p) >= _PROSE_PARAGRAPH_CHARS)
        if size > best_size and _about(paragraphs, title_words):
            best, best_size = paragraphs, size
    return best if best_size >= MIN_PAYLOAD_CHARS else []


def _html_strings(tree: LexborHTMLParser) -> Iterator[str]:
    """Article-sized HTML the page carries for scripts: HTML templates (Blogger's
    `<script type="text/template">`), and the JSON strings of state blobs that hold markup."""
    for node in tree.css(_HOLDERS):
        if node.tag == "script":
            text = node.text(deep=False)
            if _TEMPLATE.search(node.attributes.get("type") or ""):
                if len(text) >= MIN_PAYLOAD_CHARS and "<p" in text:
                    yield text
                continue
        else:
            text = next(
                (v for k, v in node.attributes.items() if k.startswith("data-") and v and "{" in v),
                "",
            )
        # (Each _MARKUP match holds a "<p" or a "\\u003c": plain searches rule most scripts out
        # faster than the pattern's scan.)
        if not text or ("<p" not in text and "\\u003c" not in text) or not _MARKUP.search(text):
            continue
        for literal in _JSON_STRING.findall(text):
            if len(literal) >= MIN_PAYLOAD_CHARS and _MARKUP.search(literal):
                try:
                    yield json.loads(literal)
                except ValueError:  # a JavaScript string that is not JSON
                    continue


def _read_html(value: str) -> list[str]:
    """The fragment's article text, its furniture (captions, embeds, ad slots) dropped as on
    a page; as written when that leaves nothing."""
    if len(value) <= MAX_ARTICLE_BODY:
        paragraphs = extract_body(LexborHTMLParser(value)).paragraphs
        if paragraphs:
            return paragraphs
    return article_body_paragraphs(value)


def _about(paragraphs: list[str], title_words: set[str]) -> bool:
    if not title_words:
        return True
    words = set(word_key(" ".join(paragraphs)).split())
    return len(title_words & words) >= _TITLE_OVERLAP * len(title_words)
