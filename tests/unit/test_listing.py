"""extract_links: a listing page's article links, absolute, on-site, filtered, one per article."""

from __future__ import annotations

import re

from tests.unit.discover_helpers import fixture
from worker.discover.listing import extract_links, same_site

BASE = "https://news.example.com/en/world/"


def test_listing_fixture() -> None:
    result = extract_links(
        fixture("listing.html"),
        BASE,
        include=[re.compile(r"/en/news/\d+")],
        source_id="demo",
        language="en",
    )
    assert [(c.canonical_url, c.title_hint) for c in result.candidates] == [
        (
            "https://news.example.com/en/news/290404/putin-china",
            "Putin: China-Russia relations are getting stronger",  # from the later headline link
        ),
        ("https://www.news.example.com/en/news/290405/second", "Second story"),
        ("https://news.example.com/en/news/290406/third", "Third story"),
        ("https://news.example.com/en/news/290407/fourth", "Fourth"),
    ]
    assert all(
        c.via == "listing" and c.source_id == "demo" and c.language_hint == "en"
        for c in result.candidates
    )
    assert result.duplicates == 1
    reasons = sorted(r.reason for r in result.rejected)
    assert reasons.count("in navigation or footer") == 3  # home, world, about in <nav>
    assert reasons.count("the home page") == 1  # the logo link
    assert reasons.count("matches no include pattern") == 1  # "more world news": ?page=1
    assert "off-site link" in reasons
    assert any(r.startswith("invalid URL") for r in reasons)  # http://[broken
    # #top, mailto: and javascript: are not links to pages: not counted at all.
    assert result.found == 4 + 1 + 3 + 1 + 1 + 1 + 1


def test_exclude_and_any_site() -> None:
    result = extract_links(
        fixture("listing.html"), BASE, exclude=[re.compile(r"/about$")], any_site=True
    )
    urls = {c.canonical_url for c in result.candidates}
    assert "https://other.example.org/en/news/1" in urls
    assert "https://news.example.com/en/about" not in urls


def test_listing_page_itself_and_chrome_switch() -> None:
    html = (
        '<nav><a href="/news/1">Menu story</a></nav><main><a href="/world/#x">World</a>'
        '<a href="/news/2">Story</a></main><footer><div role="contentinfo"></div></footer>'
    )
    result = extract_links(html, "https://x.com/world/")
    assert [c.canonical_url for c in result.candidates] == ["https://x.com/news/2"]
    assert sorted(r.reason for r in result.rejected) == [
        "in navigation or footer",
        "the listing page itself",
    ]
    with_chrome = extract_links(html, "https://x.com/world/", skip_chrome=False)
    assert len(with_chrome.candidates) == 2


def test_base_href_and_str_input() -> None:
    html = '<html><head><base href="https://news.example.com/a/b/"></head><body><a href="c">C</a></body></html>'
    (only,) = extract_links(html, "https://news.example.com/").candidates
    assert only.canonical_url == "https://news.example.com/a/b/c"


def test_url_variants_collapse() -> None:
    variants = [
        "https://news.example.com/story?id=1&page=2",
        "https://news.example.com/story?page=2&id=1&utm_campaign=x",
        "https://NEWS.example.com/story?id=1&page=2#top",
        "https://news.example.com:443/story?id=1&page=2&fbclid=1",
    ]
    html = "".join(f'<a href="{v}">Story</a>' for v in variants)
    result = extract_links(html, "https://news.example.com/")
    assert [c.canonical_url for c in result.candidates] == [
        "https://news.example.com/story?id=1&page=2"
    ]
    assert result.duplicates == 3


def test_same_site() -> None:
    assert same_site("https://www.example.com/a", "https://example.com/")
    assert same_site("https://example.com/a", "https://www.example.com/")
    assert same_site("https://en.example.com/a", "https://www.example.com/")
    assert not same_site("https://example.com.evil.org/a", "https://example.com/")
    assert not same_site("https://notexample.com/a", "https://example.com/")


def test_cap_counts_the_rest() -> None:
    html = "".join(f'<a href="/a/{i}">{i}</a>' for i in range(30))
    result = extract_links(html, "https://x.com/", max_entries=10)
    assert len(result.candidates) == 10 and result.over_cap == 20


def test_bytes_in_a_legacy_charset() -> None:
    html = '<meta charset="windows-1256"><a href="/a/1">خبر</a>'.encode("cp1256")
    (only,) = extract_links(html, "https://x.com/").candidates
    assert only.title_hint == "خبر"


def test_broken_base_href_falls_back_to_the_page_url() -> None:
    html = '<base href="http://[broken/"><a href="/a/1">One</a>'
    (only,) = extract_links(html, "https://x.com/list").candidates
    assert only.canonical_url == "https://x.com/a/1"
