"""parse_sitemap: urlset, index, gzip, news and text sitemaps; caps; the index-walk helper."""

from __future__ import annotations

import gzip
import re
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.unit.discover_helpers import fixture
from worker.discover.sitemaps import next_sitemaps, parse_sitemap
from worker.errors import InvalidContent, TooLarge

BASE = "https://news.example.com/sitemap.xml"


def urlset(n: int, host: str = "https://news.example.com") -> bytes:
    items = "".join(f"<url><loc>{host}/a/{i}</loc></url>" for i in range(n))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'
    ).encode()


def test_urlset() -> None:
    result = parse_sitemap(
        fixture("sitemap.xml"), BASE, source_id="demo", include=[re.compile("/news/")]
    )
    assert [c.canonical_url for c in result.candidates] == [
        "https://news.example.com/en/news/290404",
        "https://news.example.com/en/news/290405",
        "https://news.example.com/en/news/290406",
    ]
    first, second, third = result.candidates
    assert first.modified_hint == datetime(2024, 5, 15, 7, 15, tzinfo=UTC)
    assert second.modified_hint == datetime(2024, 5, 16, tzinfo=UTC)
    assert third.modified_hint is None and third.via == "sitemap" and third.source_id == "demo"
    assert result.duplicates == 1
    assert sorted(r.reason for r in result.rejected) == [
        "invalid URL: scheme 'ftp' is not http or https",
        "matches no include pattern",
        "no <loc>",
    ]
    assert result.children == ()
    assert result.found == 7  # the image:loc inside a <url> is not an article


def test_offsetless_lastmod_takes_the_source_zone() -> None:
    body = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.com/a</loc><lastmod>2024-05-16T09:00:00</lastmod></url></urlset>'
    (only,) = parse_sitemap(
        body, "https://x.com/s.xml", default_tz=ZoneInfo("Asia/Kabul")
    ).candidates
    assert only.modified_hint == datetime(2024, 5, 16, 4, 30, tzinfo=UTC)


def test_gzip_sitemap_matches_plain() -> None:
    plain = parse_sitemap(fixture("sitemap.xml"), BASE)
    packed = parse_sitemap(fixture("sitemap.xml.gz"), BASE + ".gz")
    assert [c.canonical_url for c in packed.candidates] == [
        c.canonical_url for c in plain.candidates
    ]


def test_gz_name_but_already_inflated_body() -> None:
    result = parse_sitemap(fixture("sitemap.xml"), BASE + ".gz")
    assert len(result.candidates) == 4


def test_corrupt_gzip() -> None:
    with pytest.raises(InvalidContent, match="corrupt gzip"):
        parse_sitemap(b"\x1f\x8b\x08\x00garbage-garbage-garbage", BASE)


def test_news_sitemap_hints() -> None:
    fa, en = parse_sitemap(fixture("news_sitemap.xml"), BASE).candidates
    assert fa.title_hint == "خبر نمونه"
    assert fa.published_hint == datetime(2024, 5, 15, 7, 10, tzinfo=UTC)
    assert fa.language_hint == "fa"
    assert en.published_hint == datetime(2024, 5, 15, tzinfo=UTC)
    assert en.language_hint == "en"


def test_sitemap_index_gives_children_and_the_walk_helper_stops_cycles() -> None:
    url = "https://news.example.com/sitemap_index.xml"
    result = parse_sitemap(fixture("sitemap_index.xml"), url)
    assert result.candidates == ()
    assert [c.url for c in result.children] == [
        "https://news.example.com/sitemap-news.xml",
        "https://news.example.com/sitemap-2024-05.xml.gz",
        "https://news.example.com/sitemap_index.xml",
    ]
    assert result.children[0].modified_hint == datetime(2024, 5, 16, 10, tzinfo=UTC)

    seen: set[str] = set()
    take, skipped = next_sitemaps(result, seen=seen, depth=0)
    assert take == [
        "https://news.example.com/sitemap-news.xml",
        "https://news.example.com/sitemap-2024-05.xml.gz",
    ]
    assert [(s.url, s.reason) for s in skipped] == [(url, "sitemap cycle: already visited")]

    # A child that is itself an index (depth 1) is not followed: depth stays <= 1.
    take, skipped = next_sitemaps(result, seen=set(), depth=1)
    assert take == [] and {s.reason for s in skipped} == {"sitemap index nested deeper than 1"}


def test_cycle_a_b_a() -> None:
    def index(child: str) -> bytes:
        return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{child}</loc></sitemap></sitemapindex>'.encode()

    a, b = "https://x.com/a.xml", "https://x.com/b.xml"
    seen: set[str] = set()
    take, _ = next_sitemaps(parse_sitemap(index(b), a), seen=seen, depth=0)
    assert take == [b]
    # Were B fetched as an index anyway (max_depth raised), A is recognised.
    take, skipped = next_sitemaps(parse_sitemap(index(a), b), seen=seen, depth=0)
    assert take == [] and skipped[0].reason == "sitemap cycle: already visited"


def test_text_sitemap() -> None:
    body = b"\xef\xbb\xbfhttps://x.com/a\n\nhttps://x.com/b?utm_source=x\nnot a url\n"
    result = parse_sitemap(body, "https://x.com/sitemap.txt")
    assert [c.canonical_url for c in result.candidates] == ["https://x.com/a", "https://x.com/b"]
    assert len(result.rejected) == 1


def test_60000_urls_capped_at_50000() -> None:
    body = urlset(60_000)
    started = time.perf_counter()
    result = parse_sitemap(body, BASE)
    elapsed = time.perf_counter() - started
    assert len(result.candidates) == 50_000
    assert result.over_cap == 10_000
    assert result.candidates[-1].canonical_url == "https://news.example.com/a/49999"
    assert "10000 entries past the cap of 50000 not taken" in result.notes[0]
    assert elapsed < 10  # scenario 20 asks < 2 s on the target machine; generous here


def test_60000_urls_capped_in_gzip_too() -> None:
    result = parse_sitemap(gzip.compress(urlset(60_000)), BASE)
    assert len(result.candidates) == 50_000 and result.over_cap == 10_000


def test_60_mb_sitemap_is_rejected() -> None:
    big = urlset(0).replace(b"</urlset>", b"<!--" + b"x" * (60 * 1024 * 1024) + b"--></urlset>")
    with pytest.raises(TooLarge):
        parse_sitemap(big, BASE)


def test_gzip_bomb_is_stopped_at_the_inflate_cap() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024) + b"</urlset>")
    assert len(bomb) < 10 * 1024 * 1024
    with pytest.raises(TooLarge, match="inflates past"):
        parse_sitemap(bomb, BASE)


def test_compressed_input_cap() -> None:
    with pytest.raises(TooLarge):
        parse_sitemap(gzip.compress(urlset(100)), BASE, max_bytes=100)


def test_not_a_sitemap() -> None:
    with pytest.raises(InvalidContent, match=r"not a sitemap: root element <html>"):
        parse_sitemap(b"<html><body>404</body></html>", BASE)
    with pytest.raises(InvalidContent, match="not well-formed"):
        parse_sitemap(b"<urlset><url><loc>x</loc", BASE)
    with pytest.raises(InvalidContent):
        parse_sitemap(b"", BASE)


def test_truncated_sitemap_keeps_its_prefix() -> None:
    body = urlset(10)[:-40]
    result = parse_sitemap(body, BASE)
    assert 0 < len(result.candidates) < 10
    assert "breaks off" in result.notes[0]


def test_other_namespace_and_no_namespace_are_read() -> None:
    for xmlns in ('xmlns="http://www.google.com/schemas/sitemap/0.84"', ""):
        body = f"<urlset {xmlns}><url><loc>https://x.com/a</loc></url></urlset>".encode()
        assert len(parse_sitemap(body, BASE).candidates) == 1


def test_configured_kind_follows_the_served_document() -> None:
    from worker.discover import discover_document
    from worker.discover.entry import sniff_xml_root

    assert sniff_xml_root(b'<?xml version="1.0"?><!-- <x> --><rss version="2.0">') == "rss"
    assert sniff_xml_root(fixture("atom.xml")) == "feed"
    assert sniff_xml_root(b"<ns0:urlset xmlns:ns0='x'>") == "urlset"

    as_sitemap = discover_document("sitemap", fixture("rss.xml"), "https://news.example.com/rss")
    assert as_sitemap.via == "feed" and len(as_sitemap.candidates) == 3
    assert as_sitemap.notes[-1] == "configured as a sitemap but served a feed; read as a feed"
    as_feed = discover_document("feed", fixture("sitemap.xml"), BASE)
    assert as_feed.via == "sitemap" and len(as_feed.candidates) == 4
