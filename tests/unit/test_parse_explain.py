"""explain(): which rule produced each field, for `ingest extract --explain`."""

from __future__ import annotations

from pathlib import Path

from worker.parse import explain

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"


def test_explain_names_the_rule_for_each_field() -> None:
    html = (PAGES / "ava_en_290404.html").read_bytes()
    report = explain(html, "https://www.avapress.com/en/news/290404/x")
    assert report["published_at"]["provenance"] == "profile"
    assert ".news_pdate_c" in report["published_at"]["rule"]
    assert report["body"]["rule"].startswith("profile selector")
    assert report["language"]["provenance"] == "meta"
    assert report["problems"]["value"] == []


def test_explain_on_an_empty_page_reports_problems() -> None:
    report = explain(b"", "https://example.com/x")
    assert "empty page" in report["problems"]["value"]
