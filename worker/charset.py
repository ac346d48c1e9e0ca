"""Bytes to text for HTML, in the WHATWG order: BOM, Content-Type charset, <meta> prescan, detector.

UTF-7 is never honoured (it smuggles markup past filters); labels are resolved through
Python's codec registry with the WHATWG aliases that matter in practice.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG maps these labels to a superset; decoding with the label itself loses characters.
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
}
_REFUSED = {"utf-7", "utf7", "x-user-defined"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.I)
_PRESCAN_BYTES = 1024


def resolve_label(label: str | None) -> str | None:
    """A codec name Python knows for a charset label, or None if unknown or refused."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _REFUSED:
        return None
    label = _WHATWG_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _REFUSED or name.startswith("utf-16") or name.startswith("utf-32"):
        # A page without a BOM that claims UTF-16 is almost always really ASCII-compatible.
        return "utf-8" if name.startswith("utf-") else None
    return name


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip()
    return None


def sniff_encoding(body: bytes, content_type: str | None = None) -> str:
    """The encoding to decode `body` with, following the WHATWG order."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    from_header = resolve_label(charset_from_content_type(content_type))
    if from_header and not (from_header.startswith("cp125") and _is_utf8_text(body)):
        # A legacy single-byte label on a body that is valid multi-byte UTF-8 is a
        # mislabelled server default; trusting it would turn every accent into mojibake.
        return from_header
    match = _META_CHARSET.search(body[:_PRESCAN_BYTES])
    if match:
        from_meta = resolve_label(match.group(1).decode("ascii", "ignore"))
        if from_meta:
            return from_meta
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    guess = from_bytes(body[:200_000]).best()
    if guess is not None:
        detected = resolve_label(guess.encoding)
        if detected:
            return detected
    return "cp1252"


def _is_utf8_text(body: bytes) -> bool:
    sample = body[:200_000]
    if sample.isascii():
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(sample) - 4  # only the cut at the sample's end failed
    return True


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML body; returns (text, encoding). Never raises: bad bytes become U+FFFD."""
    encoding = sniff_encoding(body, content_type)
    bom = next((b for b, name in _BOMS if name == encoding and body.startswith(b)), b"")
    return body[len(bom) :].decode(encoding, errors="replace"), encoding
