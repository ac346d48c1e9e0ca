"""Golden files: each fixture page must extract to exactly the JSON beside it."""

from __future__ import annotations

import pytest

from tests.golden import expected, extract_case, golden_cases

CASES = golden_cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_page(name: str) -> None:
    got = extract_case(name, CASES[name])
    want = expected(name)
    for field in sorted(set(got) | set(want)):
        assert got.get(field) == want.get(field), (
            f"{name}: field {field!r} differs (regenerate with python -m tests.regen_golden after review)"
        )


def test_ava_seed_page_matches_the_seed_readme() -> None:
    """The seed README's table, checked field by field (independent of the golden JSON)."""
    got = extract_case("ava_en_290404", CASES["ava_en_290404"])
    assert got["source"] == "ava"
    assert got["published_at"] == "2024-05-15T11:40:00+04:30"
    assert got["site_id"] == "290404"
    assert got["title"] == "Putin: China-Russia relations are getting stronger"
    assert got["lead"].startswith("On the eve of his visit to China, Russian President")
    paragraphs = got["body"].split("\n\n")
    assert paragraphs[0] == got["lead"]
    assert paragraphs[1].startswith("Afghan Voice Agency (AVA): On the eve of his two-day visit")
    assert paragraphs[-1].endswith('taking into account the interests of each side."')
    for furniture in ("Post a comment", "Your Name", "Your Email Address", "Related news", "Share"):
        assert furniture not in got["body"]
    assert got["provenance"]["published_at"] == "profile"
    assert got["provenance"]["site_id"] == "profile"


def test_dari_page_solar_hijri_date_and_rtl_text() -> None:
    got = extract_case("ava_fa_290405", CASES["ava_fa_290405"])
    assert got["published_at"] == "2024-05-15T11:40:00+04:30"  # 26 Sawr 1403, Kabul time
    assert got["site_id"] == "290405"
    assert got["language"] == "fa"
    assert got["title"] == "پوتین: روابط چین و روسیه در حال تقویت است"
    assert "همکاری اقتصادی" in got["body"].split("\n\n")  # subheading is its own paragraph
    assert "ارسال نظر" not in got["body"]
