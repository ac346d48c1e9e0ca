"""Bounded gzip/deflate/brotli decoding: correct output, bombs stopped within cap + one step."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from tests.support.httpserver import gzip_bomb
from worker.errors import InvalidContent, TooLarge
from worker.fetch.decode import STEP, decode_stream, gunzip_bounded, parse_content_encoding

DATA = b"<p>news of the day</p>\n" * 50_000


def pieces(data: bytes, size: int = 4096) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize(
    ("codings", "encoded"),
    [
        ([], DATA),
        (["gzip"], gzip.compress(DATA)),
        (["x-gzip"], gzip.compress(DATA)),
        (["deflate"], zlib.compress(DATA)),
        (["deflate"], zlib.compress(DATA)[2:-4]),  # raw deflate, as many servers send
        (["gzip", "gzip"], gzip.compress(gzip.compress(DATA))),
        (["gzip"], gzip.compress(DATA[:1000]) + gzip.compress(DATA[1000:])),  # two members
        (["br"], brotli.compress(DATA)),
        (["br", "gzip"], gzip.compress(brotli.compress(DATA))),
    ],
)
def test_decodes(codings: list[str], encoded: bytes) -> None:
    assert b"".join(decode_stream(pieces(encoded), codings, 10_000_000)) == DATA


def bomb(kind: str, size: int = 30_000_000) -> bytes:
    if kind == "gzip-in-gzip":
        return gzip.compress(gzip_bomb(size))
    if kind == "br":
        return brotli.compress(b"\0" * size, quality=5)
    return gzip_bomb(size, kind)


@pytest.mark.parametrize(
    ("codings", "kind", "size"),
    [
        (["gzip"], "gzip", 30_000_000),
        (["deflate"], "deflate", 30_000_000),
        (["deflate"], "raw-deflate", 30_000_000),
        (["gzip", "gzip"], "gzip-in-gzip", 30_000_000),
        (["gzip"], "gzip", 11_511_612),  # the size of Scrapy's bomb fixtures
        (["br"], "br", 30_000_000),
    ],
)
def test_bombs_stop_at_the_cap(codings: list[str], kind: str, size: int) -> None:
    cap = 1_000_000
    body = bomb(kind, size)
    decoded = 0
    with pytest.raises(TooLarge, match="body over 1000000 bytes after decompression"):
        for chunk in decode_stream(pieces(body, 65536), codings, cap):
            assert len(chunk) <= STEP
            decoded += len(chunk)
    assert decoded <= cap + STEP


def test_wire_cap() -> None:
    with pytest.raises(TooLarge, match="on the wire"):
        list(decode_stream(pieces(b"x" * 100_000), [], 50_000))


def test_unknown_and_stacked_codings_are_refused() -> None:
    assert parse_content_encoding("identity") == []
    assert parse_content_encoding(" GZIP ") == ["gzip"]
    assert parse_content_encoding("gzip, br") == ["gzip", "br"]
    for header in ("zstd", "gzip, zstd", "compress", "gzip, gzip, gzip"):
        with pytest.raises(InvalidContent, match="Content-Encoding"):
            parse_content_encoding(header)


def test_corrupt_body() -> None:
    with pytest.raises(InvalidContent, match="corrupt gzip"):
        list(decode_stream([b"\x1f\x8b\x08\x00garbage-garbage"], ["gzip"], 1000))


def test_corrupt_brotli_body() -> None:
    with pytest.raises(InvalidContent, match="corrupt br"):
        list(decode_stream([b"\xff\xff garbage, not brotli"], ["br"], 1000))


def test_brotli_cut_short_keeps_what_it_decoded() -> None:
    """A body truncated at the cap on the wire decodes as far as it goes, without an error."""
    varied = b"".join(b"<p>item %d of the day</p>\n" % i for i in range(50_000))
    encoded = brotli.compress(varied)
    decoded = b"".join(decode_stream([encoded[: len(encoded) // 2]], ["br"], 10_000_000))
    assert len(decoded) > len(varied) // 4 and varied.startswith(decoded)


def test_gunzip_bounded() -> None:
    assert gunzip_bounded(gzip.compress(DATA), 10_000_000) == DATA
    with pytest.raises(TooLarge):
        gunzip_bounded(gzip_bomb(50_000_000), 1_000_000)
