"""Input guards applied before parsing: size cap, binary detection, and a nesting-depth cut.

lexbor's tree builder is quadratic in nesting depth (100,000 nested <div>s take ~15 s), so a
page is cut where its element depth passes MAX_DEPTH. The check only runs on pages with many
tags, and then in C-speed passes (a numpy byte count, re.findall, itertools.accumulate).
"""

from __future__ import annotations

import re
from itertools import accumulate, islice

import numpy as np

MAX_HTML_CHARS = 4_000_000  # beyond this a page is cut; real articles are far smaller
MAX_DEPTH = 1_500
_DEPTH_CHECK_FROM = 15_000  # fewer '<' cannot nest deep enough to cost more than ~0.4 s
# Elements that nest (neither void nor implicitly closed by a sibling).
_NESTING_TAG = re.compile(
    r"<(/?)(?:div|span|section|article|blockquote|font|b|i|u|s|em|strong|a|center|main|header|"
    r"footer|nav|aside|form|ul|ol|table|small|big|sub|sup|label|button|fieldset|details|figure|"
    r"address|mark|q|cite|abbr|code|del|ins|kbd|var|object|svg|g|math|template)[\s/>]",
    re.I,
)
_STEP = {"": 1, "/": -1}
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
    half = len(html) // 2
    if html.count("</", 0, half) > 0.4 * html.count("<", 0, half):
        # Tags close about as often as they open: the nesting stays shallow. Deep nesting
        # means a long run of openings with the closings far behind.
        return html, False
    marks = _NESTING_TAG.findall(html)
    depths = list(accumulate(map(_STEP.__getitem__, marks)))
    if not depths or max(depths) <= MAX_DEPTH:
        return html, False
    index = next(i for i, d in enumerate(depths) if d > MAX_DEPTH)
    match = next(islice(_NESTING_TAG.finditer(html), index, None))
    return html[: match.start()], True
