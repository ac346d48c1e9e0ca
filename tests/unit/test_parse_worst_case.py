"""Pathological but plausible pages: the work extract_article does stays about linear in the page.

Each test builds a page of up to a few MB that once triggered a super-linear path and bounds
the work (what lexbor is handed, or how often a helper runs), with a timeout as a hang guard.
"""

from __future__ import annotations

import pytest
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
