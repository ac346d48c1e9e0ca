"""Whatever bytes arrive, the extractors return a DiscoveryResult or raise a PermanentError
(InvalidContent, TooLarge): the crawl code can rely on that to classify failures."""

from __future__ import annotations

import gzip

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.discover_helpers import fixture
from worker.discover import discover_document
from worker.discover.candidates import DiscoveryResult
from worker.errors import PermanentError

SEEDS = [
    fixture(name)
    for name in (
        "rss.xml",
        "atom.xml",
        "rss091.xml",
        "sitemap.xml",
        "sitemap_index.xml",
        "news_sitemap.xml",
        "listing.html",
    )
]


def mutate(data: st.DataObject, seed: bytes) -> bytes:
    body = bytearray(seed)
    for _ in range(data.draw(st.integers(0, 8))):
        if not body:
            break
        at = data.draw(st.integers(0, len(body) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if action == "flip":
            body[at] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del body[at : at + data.draw(st.integers(1, 40))]
        elif action == "insert":
            body[at:at] = data.draw(
                st.sampled_from(
                    [
                        b"<",
                        b"&",
                        b"]]>",
                        b"<!ENTITY x 'y'>",
                        b"&x;",
                        b"\x00",
                        b"\xff\xfe",
                        b"<![CDATA[",
                        b"<!DOCTYPE a>",
                    ]
                )
            )
        else:
            del body[at:]
    return bytes(body)


def run_all(body: bytes) -> None:
    for kind in ("feed", "sitemap", "listing"):
        try:
            result = discover_document(kind, body, "https://news.example.com/x")
        except PermanentError:
            continue
        assert isinstance(result, DiscoveryResult)
        for candidate in result.candidates:
            assert candidate.canonical_url.startswith(("http://", "https://"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), seed=st.sampled_from(SEEDS), packed=st.booleans())
def test_mutated_documents(data: st.DataObject, seed: bytes, packed: bool) -> None:
    body = mutate(data, seed)
    run_all(gzip.compress(body) if packed else body)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes(body: bytes) -> None:
    run_all(body)
