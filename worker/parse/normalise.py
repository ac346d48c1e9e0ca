"""Whitespace normalisation for extracted text."""

from __future__ import annotations

import re
from collections.abc import Callable

_ZERO_WIDTH = re.compile(r"[\u200b\u2060]")  # soft hyphens stay: publishers set them
_WIDE = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# A line break in the source between two Chinese or Japanese characters renders as nothing
# (CSS Text segment-break rule): those scripts put no spaces between words.
_WIDE_CHAR = re.compile(f"[{_WIDE}]")
_WIDE_BREAK = re.compile(f"([{_WIDE}])[ \\t\\r\\f]*\\n\\s*(?=[{_WIDE}])")


def collapse(text: str) -> str:
    """One line, single spaces, no zero-width characters, stripped."""
    if not text.isascii():  # a flag on the string: ASCII text skips both scans
        if "\u200b" in text or "\u2060" in text:  # rare: skip the regex otherwise
            text = _ZERO_WIDTH.sub("", text)
        if "\n" in text and _WIDE_CHAR.search(text):
            text = _WIDE_BREAK.sub(r"\1", text)
    return " ".join(text.split())


_SPACE = re.compile(r"\s")  # what str.split() splits on


def collapse_head(text: str, enough: Callable[[str], bool], size: int = 4096) -> str:
    """collapse(text), or the first part of it, as soon as a part is `enough` (tried on longer
    and longer parts). Cut at a space, a text collapses to the start of what the whole text
    collapses to: no word is split, and the space at the cut would only have ended the part
    (or, between two wide characters, vanished). Spares collapsing a long text that is read
    near its start only."""
    while size < len(text):
        cut = _SPACE.search(text, size)
        if cut is None:
            break
        head = collapse(text[: cut.start()])
        if enough(head):
            return head
        size = 2 * cut.start()
    return collapse(text)
