"""Input guards applied before parsing: size cap, binary detection, a nesting-depth cut and
an attribute cap.

lexbor's tree builder is quadratic in nesting depth (100,000 nested <div>s take ~15 s), and so
are the text reads of nested blocks after it, so a page is cut where its element depth passes
MAX_DEPTH. The check only runs on pages with many tags (a numpy byte count first).
It is also quadratic in the distinct attributes of one start tag (each is checked against
those before it: 50,000 take ~14 s), so a tag is cut after MAX_ATTRIBUTES of them. A tag ends
only at a '>' outside quoted values: '<'s and quoted '>'s do not hide the rest of it.
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
_LONG_TAG_CHARS = 4_000  # bytes; a shorter tag has too few attributes to matter (~2 each)
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
_TAG_NAME = re.compile(rb"<[a-zA-Z][^\t\n\f\r />]*")
_TAG_START = re.compile(rb"<[a-zA-Z]")
_ASCII_LETTERS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_RAW_TEXT_NAMES = (b"script", b"style", b"textarea", b"title", b"xmp", b"iframe", b"noembed",
                   b"noframes")  # fmt: skip
# The names as a trie, behind a look at the first letter: the regex is tried at every '<' of
# the page, and most open no such stretch ('<div', '<a', '</').
_RAW_TEXT = re.compile(
    rb"<(?=[!intsx])(?:(%s)[\t\n\f\r />]|!--)"
    % trie_alternation(tuple(name.decode() for name in _RAW_TEXT_NAMES)).encode(),
    re.I,
)
_RAW_TEXT_END = {name: re.compile(b"</" + name, re.I) for name in _RAW_TEXT_NAMES}
# One attribute as lexbor reads it, atomic so that a failed match cannot try other splits; a
# value quoted on to the page's end (its quote never closes) is one.
_ATTRIBUTE = rb"""(?>[\t\n\f\r /]*[^\t\n\f\r />][^\t\n\f\r />=]*(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"[^"]*"?|'[^']*'?|[^\t\n\f\r >]*))?)"""
_ATTRIBUTES = re.compile(_ATTRIBUTE + b"{%d}" % MAX_ATTRIBUTES)
_MORE_ATTRIBUTES = re.compile(_ATTRIBUTE + rb"*[\t\n\f\r /]*")
_QUOTES = (0x22, 0x27)
_SPACES = b" \t\n\r\f"
_MAX_OPENER_CHECKS = 256  # raw-text openers checked for lying in a tag; real pages need few
_SPACE_LOOKBACK = 8  # spaces between '=' and a quote looked past; real pages use one at most
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


def cap_attributes(html: str, utf8: bytes | None = None) -> tuple[str, bool]:
    """(html, cut?) with each start tag of more than MAX_ATTRIBUTES attributes cut after them.
    `utf8`, the bytes `html` was decoded from (if so), is where the tags are looked for."""
    page = html.encode("utf-8", "surrogatepass") if utf8 is None else utf8
    cuts = list(_overfull_tags(page))
    if not cuts:
        return html, False
    parts: list[bytes] = []
    done = 0  # page[:done] is in parts
    for keep, end in cuts:
        parts.append(page[done:keep])
        done = end
    parts.append(page[done:])
    return b"".join(parts).decode("utf-8", "surrogatepass"), True


def _overfull_tags(page: bytes) -> Iterator[tuple[int, int]]:
    """(end of the last attribute kept, end of the attributes) of each start tag of more than
    MAX_ATTRIBUTES attributes outside script, style and comments, as byte offsets in order.

    Only a tag of _LONG_TAG_CHARS or more can hold that many, and such a tag holds a probe (a
    multiple of a step a little shorter) within that length of its start. A tag ends at its
    first '>' outside a quoted value, so at each probe: after the last such '>' before it,
    the first '<' and a letter starts the tag the probe may be in. Only where no such '>'
    follows for _LONG_TAG_CHARS are the tags read, one by one, with a regex. A few bytes.find
    calls a probe, where a regex over every tag would cost each page a pass (~0.5 ms)."""
    size = len(page)
    seen = 0  # every tag starting before this is read
    raw_text = _RawText(page)
    for probe in range(_LONG_TAG_CHARS - 1, size, _LONG_TAG_CHARS - 1):
        position = _after_last_tag_end(page, max(seen, probe - _LONG_TAG_CHARS), probe)
        while (tag := _tag_start(page, position, probe)) >= 0:
            end = _short_tag_end(page, tag)
            if end < 0:
                break
            position = end + 1
        if tag < 0:
            continue
        position = tag
        while position < probe:  # read the tags from there on as lexbor would
            start = page.find(b"<", position)
            name = _TAG_NAME.match(page, start) if start >= 0 else None
            if name is None:
                position = start + 1 if start >= 0 else size
                continue
            if (inside := raw_text.end_if_inside(start)) >= 0:
                seen = position = inside  # code or a comment: no tag to lexbor
                continue
            kept = _ATTRIBUTES.match(page, name.end())
            seen = position = _attributes_end(page, kept.end() if kept else name.end())
            if kept and page[kept.end() : position].strip(b" \t\n\r\f/"):
                yield kept.end(), position


def _tag_start(page: bytes, start: int, end: int) -> int:
    """Where the first '<' and a letter in page[start:end] start, or -1. bytes.find runs from
    '<' to '<' far faster than a regex scans the bytes between them (most probes land in text
    or code that holds few or none); past a first '<' that opens no tag, the regex takes over,
    which crosses a run of them in C."""
    at = page.find(b"<", start, end)
    if at < 0 or (at + 1 < min(end, len(page)) and page[at + 1] in _ASCII_LETTERS):
        return at
    found = _TAG_START.search(page, at + 1, end)
    return found.start() if found is not None else -1


def _attributes_end(page: bytes, at: int) -> int:
    """Where the attributes from `at` end: at the tag's '>' or the page's end."""
    found = _MORE_ATTRIBUTES.match(page, at)
    return found.end() if found else at


def _short_tag_end(page: bytes, start: int) -> int:
    """The '>' outside quoted values that ends the tag from `start`, if one does within
    _LONG_TAG_CHARS bytes, else -1."""
    limit = start + _LONG_TAG_CHARS
    end = page.find(b">", start, limit)
    while end >= 0 and (quote := _opening_quote(page, end, start)) >= 0:
        closing = page.find(page[quote : quote + 1], end, limit)
        end = page.find(b">", closing, limit) if closing >= 0 else -1
    return end


def _opening_quote(page: bytes, at: int, floor: int) -> int:
    """Where the quoted value that may hold offset `at` opens, or -1: the last quote of a kind
    before it (after `floor`) opens one if the last other byte before that is '='. Every
    quoted offset is caught, and a few others, which only sends more tags to be read."""
    opening = -1
    for quote in _QUOTES:
        found = page.rfind(quote, floor, at)
        if found >= 0 and (opening < 0 or found < opening) and _after_equals(page, found, floor):
            opening = found
    return opening


def _after_equals(page: bytes, at: int, floor: int) -> bool:
    """Whether the last byte before `at` (after `floor`) other than a space is '=', or there
    are only spaces to look at (more than _SPACE_LOOKBACK of them are taken as that)."""
    previous = page[at - 1] if at > floor else 0x20
    if previous not in _SPACES:
        return previous == 0x3D
    before = page[max(at - _SPACE_LOOKBACK, floor) : at].rstrip(_SPACES)
    return not before or before.endswith(b"=")


class _RawText:
    """The stretches of a page that lexbor reads as text whatever their '<'s (the insides of
    <script>, <style> and their kind, and comments), walked forward once. An opener inside a
    start tag (in a quoted value, say) opens nothing: that tag is passed over whole. Past
    _MAX_OPENER_CHECKS such checks a page is hostile, and no stretch hides a tag any more."""

    def __init__(self, page: bytes) -> None:
        self.page = page
        self.span = (0, 0)
        self.checks = _MAX_OPENER_CHECKS

    def end_if_inside(self, at: int) -> int:
        """Where the stretch holding offset `at` ends, or -1 if none holds it."""
        page = self.page
        while True:
            while self.span[1] <= at:
                self.span = _raw_text_after(page, self.span[1])
            if self.span[0] > at or self.checks <= 0:
                return -1
            self.checks -= 1
            tag = _enclosing_tag(page, self.span[0])
            name = _TAG_NAME.match(page, tag) if tag >= 0 else None
            if name is None:
                return self.span[1]
            after = max(_attributes_end(page, name.end()), self.span[0] + 1)
            self.span = _raw_text_after(page, after)


def _enclosing_tag(page: bytes, at: int) -> int:
    """The start of the start tag that offset `at` lies in (a '<' and a letter after the last
    '>' outside quotes before it, looked for _LONG_TAG_CHARS back), or -1."""
    return _tag_start(page, _after_last_tag_end(page, max(at - _LONG_TAG_CHARS, 0), at), at)


def _after_last_tag_end(page: bytes, floor: int, at: int) -> int:
    """Just past the last '>' outside quoted values in page[floor:at], else `floor`."""
    end = page.rfind(b">", floor, at)
    while end >= 0 and (quote := _opening_quote(page, end, floor)) >= 0:
        end = page.rfind(b">", floor, quote)
    return max(end + 1, floor)


def _raw_text_after(page: bytes, position: int) -> tuple[int, int]:
    """(start, end) of the first stretch from `position` on that lexbor reads as text whatever
    its '<'s: the inside of a <script>, a <style> or their kind, or a comment; else the page's
    end twice. (Whether its opener is itself in a tag is _RawText's to ask.)"""
    opening = _RAW_TEXT.search(page, position)
    if opening is None:
        return len(page), len(page)
    name = opening.group(1)
    if name:
        closing = _RAW_TEXT_END[name.lower()].search(page, opening.end())
        return opening.start(), closing.start() if closing else len(page)
    if page.startswith((b">", b"->"), opening.end()):
        return opening.start(), opening.end()  # "<!-->" and "<!--->" are whole (empty) comments
    found = page.find(b"-->", opening.end())
    return opening.start(), found if found >= 0 else len(page)
