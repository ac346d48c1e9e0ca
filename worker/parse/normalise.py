"""Whitespace and paragraph normalisation for extracted text."""

from __future__ import annotations

import re

_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000\ufeff]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u2060]")  # soft hyphens stay: publishers set them
_BLANK_LINES = re.compile(r"\n\s*\n+")


def collapse(text: str) -> str:
    """One line, single spaces, no zero-width characters, stripped."""
    if "\u200b" in text or "\u2060" in text:  # rare: skip the regex otherwise
        text = _ZERO_WIDTH.sub("", text)
    return " ".join(text.split())


def paragraphs_to_text(paragraphs: list[str]) -> str:
    """Join paragraphs with a blank line, dropping empty ones."""
    return "\n\n".join(p for p in paragraphs if p)


def clean_body(text: str) -> str:
    """Normalise a multi-paragraph text: spaces collapsed inside lines, one blank line between."""
    text = _ZERO_WIDTH.sub("", text.replace("\x00", ""))
    parts = [" ".join(_SPACE.sub(" ", chunk).split()) for chunk in _BLANK_LINES.split(text)]
    return "\n\n".join(p for p in parts if p)
