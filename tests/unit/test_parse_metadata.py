"""Metadata: titles without the site name, authors as persons and wire-service credits."""

from __future__ import annotations

from worker.parse import extract_article
from worker.parse.metadata import clean_author


def _page(head: str, body: str = "<h1>A headline long enough</h1><p>Story text.</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_names_that_contain_stop_words_stay_names() -> None:
    assert clean_author("By Mark Sigetty and Gaston Newsome") == ["Mark Sigetty", "Gaston Newsome"]


def test_photo_credits_and_desks_are_not_authors() -> None:
    assert clean_author("Foto: KEYSTONE") == []
    assert clean_author("Redaktion hessenschau.de") == []


def test_wire_services_are_kept_as_credits() -> None:
    assert clean_author("Jane Doe, dpa") == ["Jane Doe", "dpa"]
    assert clean_author("The Associated Press") == ["The Associated Press"]


def test_json_ld_person_from_given_and_family_name() -> None:
    head = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A headline
    long enough", "author": [{"@type": "Person", "givenName": "Anna Giulia", "familyName": "Fink"},
    {"@type": "Organization", "name": "Example Times"}, {"@type": "Organization", "name": "AFP"}]}
    </script><meta property="og:site_name" content="Example Times">"""
    article = extract_article(_page(head), "https://example.org/a")
    assert list(article.authors) == ["Anna Giulia Fink", "AFP"]
