"""The shared parse plumbing keeps its results when it takes a faster path."""

from __future__ import annotations

import unicodedata

import pytest

from worker.models import content_hash, word_count, word_count_and_hash
from worker.parse import extract_article
from worker.parse.language import _script_fits
from worker.parse.normalise import collapse

TEXTS = ["", "  one ", "Two  words\n\nand\tmore", "Ünïcode\u00a0spaces\u3000here", "a\x1cb\x85c"]


@pytest.mark.parametrize("body", TEXTS)
def test_word_count_and_hash_agree_with_the_separate_functions(body: str) -> None:
    title = " A  title\n"
    assert word_count_and_hash(title, body) == (word_count(body), content_hash(title, body))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  plain\n ascii\ttext ", "plain ascii text"),
        ("zero\u200bwidth\u2060 gone", "zerowidth gone"),
        ("中文\n字符", "中文字符"),
        ("Zürich\nheute", "Zürich heute"),
    ],
)
def test_collapse(text: str, expected: str) -> None:
    assert collapse(text) == expected


def test_script_fits_counts_latin_letters_only() -> None:
    latin, cyrillic = "Ein ganz normaler Satz mit Umlauten äöü. " * 3, "Обычный русский текст. " * 3
    assert _script_fits("de", latin) and not _script_fits("de", cyrillic)
    assert _script_fits("ru", cyrillic) and not _script_fits("ru", latin)
    assert _script_fits("ru", "12345 !!! ab")  # too few letters to judge


def test_nul_bytes_in_utf8_input_are_replaced() -> None:
    html = "<html><body><h1>Title</h1><p>Before\x00after, a sentence long enough.</p></body></html>"
    article = extract_article(html.encode(), "https://example.com/a")
    assert "\x00" not in article.body and "Before" in article.body


def test_deep_nesting_is_cut_alike_from_text_and_from_utf8_bytes() -> None:
    """The tag count runs on the page's bytes when it came as clean UTF-8: same cut."""
    page = "<p>caf\u00e9 \u201cquoted\u201d</p>" + "<div>" * 20_000 + "x" + "</div>" * 20_000
    from_text = extract_article(page, "https://example.com/a")
    from_bytes = extract_article(page.encode("utf-8"), "https://example.com/a")
    assert any("nesting passes" in problem for problem in from_bytes.problems)
    assert from_text.problems == from_bytes.problems
    assert from_text.body == from_bytes.body


def test_lexbor_lists_a_node_once_per_selector_part_it_matches_in_a_row() -> None:
    """The date-line, lead and junk walks skip a node repeated right after itself: that
    relies on lexbor's order (document order, a node once per part it matches)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(
        '<div class="date-time" id="a">1</div><p class="time">2</p><span class="date">3</span>'
    )
    found = tree.css('[class*="date"], [class*="time"], [id]')
    assert [node.text() for node in found] == ["1", "1", "1", "2", "3"]


def test_the_cheaper_substring_selector_matches_what_the_plain_one_does() -> None:
    """contains() puts a case-insensitive test before the exact one: the same elements, as
    often each, in the same order."""
    from selectolax.lexbor import LexborHTMLParser

    from worker.parse.document import contains

    tree = LexborHTMLParser(
        '<a href="/author/x">1</a><a href="/AUTHOR/y">2</a><a href="/Author/aut">3</a>'
        '<div class="Ingredients ingredient">4</div><div class="INGREDIENT">5</div>'
        '<p class="recipe-ingredient-ümlaut">6</p><a>7</a><a href>8</a>'
    )
    for plain, cheaper in (
        ('a[href*="/aut"], a[href*="/aut"]', f"a{contains('href', '/aut')}, a[href*=\"/aut\"]"),
        ('[class*="ngredient"], [class*="ngredient-ü"]', contains("class", "ngredient") + ", "
         + contains("class", "ngredient-ü")),
    ):  # fmt: skip
        expected = [node.text() for node in tree.css(plain)]
        assert [node.text() for node in tree.css(cheaper)] == expected
        assert expected  # (the page has such elements)


def test_the_meta_map_reads_contents_and_itemprop_dates_only() -> None:
    """<meta> and RDFa contents, and a <time>'s datetime only where an itemprop names it a
    date; each node once."""
    from worker.parse.document import build_document

    doc = build_document(
        '<html><head><meta property="og:title" content="Headline">'
        '<meta itemprop="datePublished" content="2024-05-01"></head><body>'
        '<time itemprop="dateModified" datetime="2024-05-02">May 2</time>'
        '<time datetime="2024-05-03">May 3</time><ins datetime="2024-05-04">x</ins>'
        '<span property="author" content="Jo Doe">Jo</span>'
        '<time itemprop="datepublished" datetime="2024-05-05">May 5</time></body></html>',
        "https://example.com/a",
    )
    assert doc.meta == {
        "og:title": ["Headline"],
        "datepublished": ["2024-05-01"],
        "datemodified": ["2024-05-02"],
        "author": ["Jo Doe"],
    }


def test_the_tree_is_built_without_mutation_events() -> None:
    """No copy of a selected option's text is cloned into the page (a browser-side mirror)."""
    from worker.parse.document import build_document

    doc = build_document(
        "<select><selectedcontent></selectedcontent><option>Pick me</option></select>",
        "https://example.com/a",
    )
    assert doc.tree.css_first("selectedcontent").text() == ""


def test_composed_and_decomposed_spellings_give_one_article_and_one_hash() -> None:
    text = "Die Südtiroler Ärztinnen und Ärzte feierten in Klausen das Jubiläum ihres Vereins. " * 3
    pages = [
        "<html><body><article><h1>Jubiläum in Klausen</h1><p>"
        + unicodedata.normalize(form, text)
        + "</p></article></body></html>"
        for form in ("NFC", "NFD")
    ]
    composed, decomposed = (extract_article(page, "https://news.example/a") for page in pages)
    assert decomposed.body == composed.body and decomposed.title == composed.title
    assert (
        decomposed.content_hash
        == composed.content_hash
        == content_hash(composed.title, composed.body)
    )
