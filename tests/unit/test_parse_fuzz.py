"""extract_article never raises and stays bounded, on random and on deliberately hostile input."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worker.models import Article
from worker.parse import extract_article

URL = "https://example.com/news/2024/05/15/story"
TAGS = ["div", "p", "span", "a", "h1", "h2", "article", "script", "style", "svg", "template",
        "table", "td", "li", "ul", "br", "time", "meta", "form", "nav", "footer", "iframe"]  # fmt: skip
ATTRS = ['class="share"', 'class="article-body"', 'id="comments"', 'datetime="2024-05-15"',
         'property="og:title" content="x"', 'type="application/ld+json"', 'class="byline"']  # fmt: skip


@st.composite
def html_soup(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(TAGS).map(lambda t: f"<{t}>"),
                st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
                st.tuples(st.sampled_from(TAGS), st.sampled_from(ATTRS)).map(
                    lambda x: f"<{x[0]} {x[1]}>"
                ),
                st.text(max_size=80),
                st.sampled_from(
                    [
                        "{",
                        '{"@type":"NewsArticle","datePublished":"',
                        "۱۴۰۳/۰۲/۲۶",
                        "&amp;",
                        "<!--",
                        "]]>",
                    ]
                ),
            ),
            max_size=60,
        )
    )
    return "".join(parts)


def _check(article: Article) -> None:
    assert isinstance(article, Article)
    assert article.word_count == len(article.body.split())
    if not article.body:
        assert article.problems


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(html_soup())
def test_random_markup_never_raises(html: str) -> None:
    _check(extract_article(html, URL))


@settings(max_examples=200, deadline=2000)
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(data: bytes) -> None:
    _check(extract_article(data, URL))


@settings(max_examples=200, deadline=2000)
@given(st.text(max_size=2000))
def test_random_text_never_raises(text: str) -> None:
    _check(extract_article(text, URL))


HOSTILE = {
    "empty": "",
    "empty bytes": b"",
    "whitespace": " \n\t ",
    "binary": bytes(range(256)) * 200,
    "100k nested divs": "<div>" * 100_000 + "x" + "</div>" * 100_000,
    "100k unclosed spans": "<p>" + "<span>" * 100_000 + "text",
    "50k open divs between closed paragraphs": "<div><p>some text</p>" * 50_000,
    "9 MB text node": "<html><body><p>" + "word " * 1_800_000 + "</p></body></html>",
    "invalid utf-8": b"<html><body><p>caf\xe9 \xff\xfe "
    + b"\xc3\x28" * 2000
    + b"</p></body></html>",
    "nul bytes": "<html>\x00<body><p>\x00 some text \x00 that goes on for a while here</p></body></html>",
    "svg template": "<svg><template><p>x</p></template></svg><template><p>t</p></template><p>"
    + "real text " * 10,
    "truncated json-ld": '<script type="application/ld+json">{"@type":"NewsArticle","headline":"x',
    "deep json-ld": '<script type="application/ld+json">'
    + "[" * 100_000
    + "]" * 100_000
    + "</script>",
    "200k line breaks": "<div>" + "a<br>" * 200_000 + "</div>",
    "future and ancient dates": '<meta property="article:published_time" content="2999-01-01"><time datetime="1066-10-14">x</time>',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_bounded(name: str) -> None:
    started = time.perf_counter()
    article = extract_article(HOSTILE[name], URL)
    elapsed = time.perf_counter() - started
    _check(article)
    assert elapsed < 5.0, f"{name} took {elapsed:.1f}s"
    assert len(article.body) <= 2_000_000


def test_implausible_dates_are_refused() -> None:
    article = extract_article(HOSTILE["future and ancient dates"], "https://example.com/story")
    assert article.published_at is None
    assert "no publication date found" in article.problems


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "", "xhttps://example.com/a", "http://", "a" * 3000]
)
def test_bad_urls_do_not_raise(url: str) -> None:
    article = extract_article("<p>x</p>", url)
    assert article.url.startswith(("http://", "https://"))
    assert any("URL" in problem for problem in article.problems)
