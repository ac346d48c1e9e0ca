"""Whitespace normalisation for extracted text."""

from __future__ import annotations

import re

_ZERO_WIDTH = re.compile(r"[\u200b\u2060]")  # soft hyphens stay: publishers set them


def collapse(text: str) -> str:
    """One line, single spaces, no zero-width characters, stripped."""
    if "\u200b" in text or "\u2060" in text:  # rare: skip the regex otherwise
        text = _ZERO_WIDTH.sub("", text)
    return " ".join(text.split())
