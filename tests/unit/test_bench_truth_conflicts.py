"""The checks behind bench/truth_conflicts.py: which title a truth takes, outlet names, and the
best authors score reachable without them."""

from __future__ import annotations

import json

import pytest

from bench.truth_conflicts import Page, best_authors_f1, og_or_h1, outlet_names
from worker.parse.document import build_document

HEADLINE = "Council approves the new river bridge after a long debate"
SEO = "River bridge approved"


def page(truth: str, headline: str | None = HEADLINE) -> Page:
    ld = {"@type": "NewsArticle", **({"headline": headline} if headline else {})}
    html = (
        f'<html><head><meta property="og:title" content="{SEO} | Daily Example">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
        f"<body><h1>{HEADLINE}</h1><p>Text.</p></body></html>"
    )
    url = "https://www.daily-example.com/a/1"
    record = {"expected": {"title": truth}}
    return Page(record, build_document(html, url), "www.daily-example.com")


def test_the_truth_is_told_apart_when_h1_and_json_ld_agree_against_og_title() -> None:
    assert og_or_h1(page(HEADLINE)) == "<h1>"
    assert og_or_h1(page(SEO)) == "og:title"  # the site name is cut off og:title first
    assert og_or_h1(page("Something else entirely")) is None


def test_pages_without_that_conflict_are_not_counted() -> None:
    assert og_or_h1(page(HEADLINE, headline=None)) is None
    assert og_or_h1(page(SEO, headline=SEO)) is None  # JSON-LD sides with og:title


def test_outlet_names_are_the_site_name_or_domain_in_any_spelling() -> None:
    assert outlet_names(["ORF.at"], "news.ORF.at", "orf.at") == {"ORF.at"}
    assert outlet_names(["Anna Bee", "DER SPIEGEL"], "derspiegel", "www.spiegel.de") == {
        "DER SPIEGEL"
    }
    assert outlet_names(["Anna Bee"], "Daily Example", "daily-example.com") == set()


@pytest.mark.parametrize(
    ("truth", "outlets", "best"),
    [
        (["Anna Bee"], set(), 1.0),
        (["Anna Bee", "Site"], {"Site"}, 2 / 3),  # one of two names found, nothing wrong
        (["Site"], {"Site"}, 0.0),  # only the outlet: an empty answer scores 0
    ],
)
def test_best_authors_f1_leaves_outlets_out(
    truth: list[str], outlets: set[str], best: float
) -> None:
    assert best_authors_f1(truth, outlets) == pytest.approx(best)
