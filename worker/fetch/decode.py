"""Bounded content decoding: gzip, deflate and brotli in small output steps, with a cap on
every stage.

Decompressing in at most STEP-byte outputs means a bomb (1 GiB of zeros in 1 MB) is stopped
when the cap is crossed, with at most cap + STEP bytes ever held, instead of after it has
been inflated in memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

import brotli

from worker.errors import InvalidContent, TooLarge

STEP = 64 * 1024
SUPPORTED_CODINGS = frozenset({"gzip", "x-gzip", "deflate", "br"})
_MAX_CODINGS = 2  # "gzip, gzip" is legal; deeper stacks are only ever attacks


def parse_content_encoding(header: str | None) -> list[str]:
    """The codings applied, in order, without identity; raises InvalidContent for unknown ones."""
    codings = [c.strip().lower() for c in (header or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    unknown = [c for c in codings if c not in SUPPORTED_CODINGS]
    if unknown:
        raise InvalidContent(
            f"Content-Encoding {header!r} was not advertised (we accept gzip, deflate, br)"
        )
    if len(codings) > _MAX_CODINGS:
        raise InvalidContent(f"Content-Encoding {header!r} stacks too many codings")
    return codings


def _inflate(chunks: Iterable[bytes], coding: str) -> Iterator[bytes]:
    """Decode one coding lazily, yielding at most STEP bytes at a time."""
    if coding == "br":
        yield from _unbrotli(chunks)
        return
    # gzip: wbits 31; deflate: zlib-wrapped (15) per RFC, raw (-15) in practice too.
    wbits = 31 if coding in ("gzip", "x-gzip") else 15
    decoder = zlib.decompressobj(wbits)
    started = False
    for chunk in chunks:
        data = chunk
        while data:
            try:
                out = decoder.decompress(data, STEP)
            except zlib.error as exc:
                if coding == "deflate" and not started:
                    decoder, wbits = zlib.decompressobj(-15), -15
                    started = True
                    continue
                raise InvalidContent(f"corrupt {coding} body: {exc}") from None
            started = True
            if out:
                yield out
            data = decoder.unconsumed_tail
            if decoder.eof:
                # A gzip body may hold several members; anything else after the end is ignored.
                rest = decoder.unused_data
                if wbits == 31 and rest[:2] == b"\x1f\x8b":
                    decoder = zlib.decompressobj(wbits)
                    data = rest
                else:
                    data = b""
        while not decoder.eof:  # drain output buffered inside zlib, still in bounded steps
            out = decoder.decompress(b"", STEP)
            if not out:
                break
            yield out
    tail = decoder.flush()
    if tail:
        yield tail


def _unbrotli(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Brotli, lazily: the decoder's output buffer stops growing near STEP bytes, and what it
    still holds is drained with empty input before the next chunk goes in."""
    decoder = brotli.Decompressor()
    try:
        for chunk in chunks:
            if decoder.is_finished():
                break  # bytes after the end of the stream are ignored, as for gzip and deflate
            out = decoder.process(chunk, output_buffer_limit=STEP)
            while out:
                for i in range(0, len(out), STEP):
                    yield out[i : i + STEP]
                if decoder.is_finished():
                    break
                out = decoder.process(b"", output_buffer_limit=STEP)
    except brotli.error as exc:
        raise InvalidContent(f"corrupt br body: {exc}") from None
    # A stream cut short (a body truncated at the cap) ends with what it gave, as zlib's does.


def _capped(
    chunks: Iterable[bytes], max_bytes: int, what: str, truncate: bool = False
) -> Iterator[bytes]:
    total = 0
    for chunk in chunks:
        if total + len(chunk) > max_bytes:
            if not truncate:
                raise TooLarge(f"body over {max_bytes} bytes {what}")
            yield chunk[: max_bytes - total]
            return
        total += len(chunk)
        yield chunk


def decode_stream(
    raw: Iterable[bytes], codings: list[str], max_bytes: int, *, truncate: bool = False
) -> Iterator[bytes]:
    """Decode `raw` (as received) through `codings`, capping the wire and every decoded stage.

    Over the cap raises TooLarge, or with truncate=True silently ends the stream at the cap.
    """
    stream: Iterable[bytes] = _capped(raw, max_bytes, "on the wire", truncate)
    for coding in reversed(codings):
        stream = _capped(_inflate(stream, coding), max_bytes, "after decompression", truncate)
    return iter(stream)


def gunzip_bounded(data: bytes, max_bytes: int) -> bytes:
    """Decompress a whole gzip file (e.g. sitemap.xml.gz) with the same cap; raises TooLarge."""
    return b"".join(
        _capped(
            _inflate([data[i : i + STEP] for i in range(0, len(data), STEP)], "gzip"),
            max_bytes,
            "after decompression",
        )
    )
