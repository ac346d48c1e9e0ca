"""Site profiles: loading, host matching, and generic fallback for fields a profile leaves out."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from worker.parse import ProfileSet, SiteProfile, extract_article, load_profiles
from worker.parse.profiles import DEFAULT_PROFILE_DIR

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"


def test_every_shipped_profile_loads() -> None:
    profiles = load_profiles(DEFAULT_PROFILE_DIR)
    assert any(p.source == "ava" for p in profiles.profiles)


def test_host_matching() -> None:
    profiles = load_profiles(DEFAULT_PROFILE_DIR)
    for host in ("avapress.com", "www.avapress.com", "m.avapress.com"):
        profile = profiles.for_host(host)
        assert profile is not None and profile.source == "ava"
    assert profiles.for_host("example.com") is None
    assert profiles.for_host("notavapress.com") is None


def test_bad_profiles_are_refused() -> None:
    with pytest.raises(ValidationError):
        SiteProfile(source="x", hosts=("x.example",), timezone="Mars/Olympus")
    with pytest.raises(ValidationError):
        SiteProfile.model_validate({"source": "x", "hosts": ["x.example"], "selector": {}})


def test_profile_fields_and_generic_fallback() -> None:
    html = (PAGES / "ava_en_290404.html").read_text(encoding="utf-8")
    url = "https://www.avapress.com/en/news/290404/x"
    with_profile = extract_article(html, url)
    generic = extract_article(html, url, profiles=ProfileSet([]))
    assert with_profile.source == "ava" and generic.source == "avapress.com"
    assert with_profile.provenance["title"] == "profile"
    assert generic.provenance["title"] != "profile"
    assert with_profile.title == generic.title
    # The profile knows the site's timezone; the generic path falls back to UTC.
    assert with_profile.published_at is not None and generic.published_at is not None
    assert with_profile.published_at.utcoffset().total_seconds() == 4.5 * 3600
    # Generic extraction still finds the article text, without the page furniture.
    assert "Post a comment" not in generic.body
    assert "He also called Chinese President Xi Jinping" in generic.body


def test_profile_without_body_selector_uses_the_generic_body() -> None:
    html = (PAGES / "ava_en_290404.html").read_text(encoding="utf-8")
    profile = SiteProfile(source="t", hosts=("www.avapress.com",), timezone="Asia/Kabul",
                          selectors={"title": "h1"})  # fmt: skip
    article = extract_article(html, "https://www.avapress.com/en/news/290404/x", profile=profile)
    assert article.provenance["title"] == "profile"
    assert article.provenance["body"] == "heuristic"
    assert "Putin also addressed the war in Ukraine" in article.body
