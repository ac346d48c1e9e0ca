"""Input guards applied before parsing: size cap, binary detection, a nesting-depth cut and
an attribute cap.

lexbor's tree builder is quadratic in nesting depth (100,000 nested <div>s take ~15 s), and so
are the text reads of nested blocks after it, so a page is cut where its element depth passes
MAX_DEPTH. The check only runs on pages with many tags (a numpy byte count first).
It is also quadratic in the distinct attributes of one start tag (each is checked against
those before it: 50,000 take ~14 s), so a tag is cut after MAX_ATTRIBUTES of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

import numpy as np

from worker.parse.tries import trie_alternation

MAX_HTML_CHARS = 4_000_000  # beyond this a page is cut; real articles are far smaller
MAX_DEPTH = 1_500
MAX_ATTRIBUTES = 500  # real elements carry tens
_LONG_TAG_CHARS = 4_000  # a shorter tag has too few attributes to matter (~2 chars each)
_DEPTH_CHECK_FROM = 5_000  # fewer '<' cannot nest deep enough to cost more than ~0.7 s
# Elements that nest (neither void nor implicitly closed by a sibling).
_NESTING_NAMES = (
    "div", "span", "section", "article", "blockquote", "font", "b", "i", "u", "s", "em",
    "strong", "a", "center", "main", "header", "footer", "nav", "aside", "form", "ul", "ol",
    "dl", "menu", "dir", "table", "small", "big", "sub", "sup", "label", "button", "fieldset",
    "details", "summary", "dialog", "search", "hgroup", "figure", "address", "pre", "listing",
    "optgroup", "rt", "rp", "mark", "q", "cite", "abbr", "code", "del", "ins", "kbd", "var",
    "object", "svg", "g", "math", "template",
)  # fmt: skip
_NESTING_TAG = re.compile(rf"<(/?)({trie_alternation(_NESTING_NAMES)})[\s/>]", re.I)
_TAG_NAME = re.compile(r"<[a-zA-Z][^\s/<>]*")
_RAW_TEXT = re.compile(
    r"<(script|style|textarea|title|xmp|iframe|noembed|noframes)[\s/>]|<!--", re.I
)
# MAX_ATTRIBUTES attributes as lexbor splits them; each atomic, so that a failed match cannot
# try other splits. A value quoted on to the run's end (it holds a '<' or '>') is one.
_ATTRIBUTES = re.compile(
    rf"""(?>[\s/]*[^\s/>][^\s/>=]*(?:\s*=\s*(?:"[^"]*"?|'[^']*'?|[^\s>]*))?){{{MAX_ATTRIBUTES}}}"""
)
_BINARY_BYTES = bytes((*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)))
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\ufffd]")


def _count_lt(page: str | bytes) -> int:
    """How many '<' the page has. In UTF-8 the byte 0x3C is always '<', and a vectorised
    count over the bytes runs about four times faster than str.count, a cost every page pays."""
    if isinstance(page, bytes):
        return int(np.count_nonzero(np.frombuffer(page, dtype=np.uint8) == 0x3C))
    return page.count("<")


def looks_binary(sample: bytes | str) -> bool:
    """More than 5% control characters (or U+FFFD) in the first 4 KB: not a web page."""
    head = sample[:4096]
    if isinstance(head, bytes):  # deleting them and comparing lengths beats a regex scan
        controls = len(head) - len(head.translate(None, _BINARY_BYTES))
    else:
        controls = len(_BINARY_CHARS.findall(head))
    return controls > max(len(head), 1) * 0.05


def cut_deep_nesting(html: str, utf8: bytes | None = None) -> tuple[str, bool]:
    """(html, cut?) with the page cut where element nesting first passes MAX_DEPTH. `utf8`,
    the bytes `html` was decoded from (if so), is where the tags are counted: faster."""
    if _count_lt(html if utf8 is None else utf8) < _DEPTH_CHECK_FROM:
        return html, False
    index = _too_deep(_NESTING_TAG.findall(html))
    if index is None:
        return html, False
    match = next(islice(_NESTING_TAG.finditer(html), index, None))
    return html[: match.start()], True


def _too_deep(marks: list[tuple[str, str]]) -> int | None:
    """The index of the ('/' or '', name) tag mark that takes nesting past MAX_DEPTH, if one
    does. An end tag only counts against an open element of its name: a stray one (</span>
    after <div>) closes nothing."""
    open_by_name: dict[str, int] = {}
    depth = 0
    for index, (slash, name) in enumerate(marks):
        name = name.lower()
        if not slash:
            open_by_name[name] = open_by_name.get(name, 0) + 1
            depth += 1
            if depth > MAX_DEPTH:
                return index
        elif open_by_name.get(name):
            open_by_name[name] -= 1
            depth -= 1
    return None


def cap_attributes(html: str) -> tuple[str, bool]:
    """(html, cut?) with each start tag of more than MAX_ATTRIBUTES attributes cut after them."""
    parts: list[str] = []
    done = 0  # html[:done] is in parts
    raw_text = _raw_text_spans(html)
    span = (-1, -1)
    for start, keep, end in _overfull_tags(html):
        while span[1] < start:
            span = next(raw_text, (len(html), len(html)))
        if span[0] <= start:
            continue  # script or style code, or a comment: no tag to lexbor
        parts.append(html[done:keep])
        done = end
    if not parts:
        return html, False
    parts.append(html[done:])
    return "".join(parts), True


def _overfull_tags(html: str) -> Iterator[tuple[int, int, int]]:
    """(start, end of the last attribute kept, end) of each tag-like run of more than
    MAX_ATTRIBUTES attributes: a '<' and a letter, then neither '<' nor '>'.

    Only a run of _LONG_TAG_CHARS or more can hold that many, and any such run holds a
    multiple of a step a little shorter. Probing there (the last '<' before the probe, then
    no '<' or '>' for a full length) finds each one in a few bounded str.find calls per
    probe, where a scan of every tag would cost each page a regex pass."""
    seen = 0  # no run starts before this
    step = _LONG_TAG_CHARS - 1
    for probe in range(step, len(html), step):
        start = html.rfind("<", max(seen, probe - _LONG_TAG_CHARS), probe)
        end = start + _LONG_TAG_CHARS
        if start < 0 or html.find(">", start, end) >= 0 or html.find("<", start + 1, end) >= 0:
            continue
        name = _TAG_NAME.match(html, start)
        if name is None:
            seen = start + 1
            continue  # a '<' in text
        seen = run_end = _run_end(html, name.end())
        kept = _ATTRIBUTES.match(html, name.end(), run_end)
        if kept and html[kept.end() : run_end].strip(" \t\n\r\f/"):
            yield start, kept.end(), run_end


def _run_end(html: str, position: int) -> int:
    """Where the run from `position` ends: at the next '<' or '>', else at the page's end.
    (Runs this long are mostly script code: str.find crosses them far faster than a regex.)"""
    lt = html.find("<", position)
    if lt < 0:
        lt = len(html)
    gt = html.find(">", position, lt)
    return lt if gt < 0 else gt


def _raw_text_spans(html: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each stretch lexbor reads as text whatever its '<'s: the insides of
    <script>, <style> and their kind, and comments. In one forward pass."""
    position = 0
    while (opening := _RAW_TEXT.search(html, position)) is not None:
        name = opening.group(1)
        if name:
            closing = re.compile(f"</{name}", re.I).search(html, opening.end())
            position = closing.start() if closing else len(html)
        else:
            found = html.find("-->", opening.end())
            position = found if found >= 0 else len(html)
            if html.startswith((">", "->"), opening.end()):
                position = opening.end()  # "<!-->" and "<!--->" are whole (empty) comments
        yield opening.start(), position
