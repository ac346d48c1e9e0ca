"""Pathological but plausible pages: the work extract_article does stays about linear in the page.

Each test builds a page of up to a few MB that once triggered a super-linear path and bounds
the work (what lexbor is handed, or how often a helper runs), with a timeout as a hang guard.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from worker.parse import extract_article
from worker.parse.body import _unlinked_lists, find_container
from worker.parse.guard import MAX_ATTRIBUTES, MAX_DEPTH, cap_attributes, cut_deep_nesting

URL = "https://news.example/2024/05/01/story"
PROSE = (
    "The council met on Tuesday evening to discuss the new budget for the coming year, "
    "and members spoke at length about the cost of repairing the old bridge."
)


def _page(inner: str) -> str:
    return f"<html><head><title>T</title></head><body><article>{inner}</article></body></html>"


@pytest.mark.timeout(20)
@pytest.mark.parametrize("separator", [" ", "\n", "/", ""])
def test_a_start_tag_with_50k_attributes_is_cut_to_the_cap(separator: str) -> None:
    # lexbor checks each attribute against the tag's earlier ones: 50,000 took ~14 s, twice.
    attributes = separator.join(f'data-a{i}="v"' for i in range(50_000))
    html = _page(f"<p {attributes}>{PROSE}</p><p>Second. {PROSE}</p>")
    capped, cut = cap_attributes(html)
    assert cut
    assert len(LexborHTMLParser(capped).css_first("p").attributes) == MAX_ATTRIBUTES
    article = extract_article(html, URL)
    assert article.body == f"{PROSE}\n\nSecond. {PROSE}"
    assert f"start tags cut after {MAX_ATTRIBUTES} attributes" in article.problems


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "attribute",
    ['a{}=">"', "a{}='<'", "a<{}", 'a{}="<z>"', "a{}=<z", 'a{} =          ">"'],
    ids=["quoted-gt", "quoted-lt", "lt-in-name", "quoted-tag", "unquoted-lt", "spaced-quote"],
)
def test_brackets_inside_a_tag_do_not_hide_its_attributes(attribute: str) -> None:
    # Only a '>' outside quotes ends a tag; lexbor read 40,000 of these in ~2.6 s, uncut.
    attributes = " ".join(attribute.format(i) for i in range(40_000))
    html = _page(f"<p {attributes}>{PROSE}</p><p>Second. {PROSE}</p>")
    capped, cut = cap_attributes(html)
    assert cut
    assert len(LexborHTMLParser(capped).css_first("p").attributes) == MAX_ATTRIBUTES
    assert extract_article(html, URL).body == f"{PROSE}\n\nSecond. {PROSE}"


@pytest.mark.parametrize("opener", ["<!--", "<script>", "<style>"])
def test_a_comment_or_script_opener_in_a_quoted_value_opens_nothing(opener: str) -> None:
    attributes = " ".join(f'a{i}=">"' for i in range(5_000))
    html = _page(f'<p title="{opener}">{PROSE}</p><p {attributes}>{PROSE}</p>')
    capped, cut = cap_attributes(html)
    assert cut
    assert len(LexborHTMLParser(capped).css("p")[1].attributes) == MAX_ATTRIBUTES


def test_offsets_are_kept_on_pages_of_several_bytes_a_character() -> None:
    # The tags are looked for in the page's UTF-8 bytes; the cut must land on the same tag.
    attributes = " ".join(f"at{i}" for i in range(1_000))
    persian = "خبرگزاری صدای افغان " * 300
    html = _page(f"<p>{persian}</p><p {attributes}>{persian}</p>")
    capped, cut = cap_attributes(html, html.encode())
    assert cut
    paragraphs = LexborHTMLParser(capped).css("p")
    assert [len(p.attributes) for p in paragraphs] == [0, MAX_ATTRIBUTES]
    assert paragraphs[1].text() == persian


@pytest.mark.parametrize("offset", [0, 1, 1_999, 2_000, 3_998, 3_999, 4_000, 5_321, 7_997])
def test_an_overfull_tag_is_found_wherever_it_starts(offset: int) -> None:
    # A tag of 1,000 short attributes is under 6,000 characters long: the probes
    # must land in it whatever its distance from the page's start.
    attributes = " ".join(f"at{i}" for i in range(1_000))
    html = "x" * offset + f"<p {attributes}>{PROSE}</p>"
    capped, cut = cap_attributes(html)
    assert cut
    assert len(LexborHTMLParser(capped).css_first("p").attributes) <= MAX_ATTRIBUTES


@pytest.mark.parametrize("empty_comment", ["<!-->", "<!--->"])
def test_an_empty_comment_does_not_hide_the_rest_of_the_page(empty_comment: str) -> None:
    # Browsers and lexbor end these comments at once; read as open, they would cover the tag.
    attributes = " ".join(f"at{i}" for i in range(1_000))
    html = _page(f"{empty_comment}<p {attributes}>{PROSE}</p>")
    capped, cut = cap_attributes(html)
    assert cut
    assert len(LexborHTMLParser(capped).css_first("p").attributes) <= MAX_ATTRIBUTES


def test_long_tags_with_few_attributes_and_code_and_comments_are_left_alone() -> None:
    blob = '{"body": "' + "word " * 20_000 + '<b>"}'  # one value, on past a '>'
    code = "for(i=0;i<n;i++){" + "".join(f"a{i} = b.c(d); " for i in range(2_000)) + "}"
    html = _page(
        f"<div data-props='{blob}' class=\"x\"><p>{PROSE}</p></div>"
        + "<p>" + "a < b " * 5_000 + "</p>"
        + "<p " + " ".join(f"a{i}" for i in range(MAX_ATTRIBUTES)) + f">{PROSE}</p>"
        + f"<script>{code}</script><STYLE>x<y {code}</STYLE><!-- <b {code} -->"
    )  # fmt: skip
    assert cap_attributes(html) == (html, False)


@pytest.mark.timeout(10)
def test_nested_lists_read_each_item_once() -> None:
    # Each of 1,400 nested lists read every item below it, and each item all the items below
    # that: 19 s. Read once each, the items cost ~0.3 s.
    items = "".join(f"<ul><li>Item {i} of a list nested as deep as it goes" for i in range(1400))
    article = extract_article(_page(f"<p>{PROSE}</p>{items}"), URL)
    assert article.body.startswith(PROSE)


DEEP = {
    # (each took 10 to 50 s: lexbor's tree builder and the text reads after it are quadratic)
    "nested definition lists": "<dl><dd>" * 30_000 + "t",
    "end tags first, then the nesting": "<i></i>" * 150_000 + "<div>" * 100_000 + "t",
    "stray end tags between": "<div></span>" * 100_000 + "t",
    "nested lists of text, under 15,000 tags": _page(f"<ul><li>{PROSE}" * 7_000),
}


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_nesting_is_cut_however_it_is_written(name: str) -> None:
    html, cut = cut_deep_nesting(DEEP[name])
    assert cut
    assert len(html) < len(DEEP[name])
    problems = extract_article(DEEP[name], URL).problems
    assert f"page cut where nesting passes {MAX_DEPTH} levels" in problems


@pytest.mark.timeout(10)
def test_deeply_nested_lists_are_weighed_in_linear_work() -> None:
    # Each of 8,000 nested lists read all the items below it (and a :has(a) query searched
    # them for links): ~13 s. Summed bottom-up: ~2 s, most of it lexbor's text reads.
    items = "".join(f"<ul><li>{i}" for i in range(8_000))
    tree = LexborHTMLParser(f"<html><body><article><p>{PROSE}</p>{items}</article></body></html>")
    node, _ = find_container(tree)
    assert node is not None and node.tag == "article"


def test_lists_count_the_items_nested_in_them_unless_a_link_is_inside() -> None:
    item = f"<li>{PROSE}</li>"
    tree = LexborHTMLParser(
        f"<ul id='outer'>{item * 2}<li><ol id='inner'>{item * 4}</ol></li></ul>"
        f"<ul id='linked'>{item * 4}<li><ul id='short'>{item}<li><a href='/x'>x</a></li></ul>"
    )
    found = {listing.id: chars for listing, chars in _unlinked_lists(tree)}
    assert found == {"outer": 10 * len(PROSE), "inner": 4 * len(PROSE)}  # (its third item holds 4)


_JUNK = ['<b x="', "<i y='", "<!--", "-->", "<script>", "</script>", '"', "'", ">", "<", "=",
         "text ", "<p>", '<a href="x">', "<style>", "</style>", "<q z=>"]  # fmt: skip
_FORMS = ["a{}", 'a{}=">"', "a{}='<'", 'a{}="x y"', "a{}=<z", "a<{}", 'a"{}', 'a{} = ">"',
          "a{}='\"'", 'a{}="\'>"']  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.lists(st.sampled_from(_JUNK), max_size=6),
    forms=st.lists(st.sampled_from(_FORMS), min_size=1, max_size=4),
    count=st.integers(1_000, 2_500),
    after=st.lists(st.sampled_from(_JUNK), max_size=6),
)
def test_no_element_keeps_more_attributes_than_a_short_tag_can_hold(
    before: list[str], forms: list[str], count: int, after: list[str]
) -> None:
    # Names of five bytes or more, each after a separator: a tag under _LONG_TAG_CHARS bytes
    # (left alone) holds fewer than 800, and a longer one with more than MAX_ATTRIBUTES is cut,
    # whatever quotes and brackets come before it, in it or after it.
    attributes = " ".join(forms[i % len(forms)].format(1000 + i) for i in range(count))
    html = "".join(before) + f"<div {attributes}>{PROSE}" + "".join(after)
    capped, _ = cap_attributes(html)
    tree = LexborHTMLParser(capped)
    assert max(len(node.attributes) for node in tree.root.traverse()) < 800
