"""canonicalize_url: URL variants of one article collapse to one ledger key; bad URLs say why."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worker.discover.canonical import canonicalize_url, is_tracking_param, validate_url
from worker.errors import InvalidUrl

BASE = "http://news.example.com/world/story?id=42&page=2"


@pytest.mark.parametrize(
    "variant",
    [
        BASE,
        "http://news.example.com/world/story?id=42&page=2&utm_source=tw&utm_medium=social",
        "http://news.example.com/world/story?fbclid=AbC&id=42&page=2",
        "http://news.example.com/world/story?id=42&page=2&gclid=1&mc_cid=x&_ga=2.1",
        "http://news.example.com/world/story?id=42&page=2#comments",
        "HTTP://NEWS.Example.COM/world/story?id=42&page=2",
        "http://news.example.com:80/world/story?id=42&page=2",
        "http://news.example.com/world/story?page=2&id=42",
        "http://news.example.com./world/story?page=2&id=42",
        "  http://news.example.com/world/story?page=2&id=42&at_medium=x#top  ",
    ],
)
def test_variants_collapse_to_one_key(variant: str) -> None:
    assert canonicalize_url(variant) == "http://news.example.com/world/story?id=42&page=2"


def test_https_default_port_and_empty_path() -> None:
    assert canonicalize_url("https://Example.com:443") == "https://example.com/"


def test_non_default_port_is_kept() -> None:
    assert canonicalize_url("http://127.0.0.1:8765/a") == "http://127.0.0.1:8765/a"


def test_article_picking_parameters_are_kept() -> None:
    # Parameters that select content must survive, or two articles share a ledger row.
    url = "https://example.com/news.php?source=afp&ref=7&uid=3&session=2"
    assert canonicalize_url(url) == "https://example.com/news.php?ref=7&session=2&source=afp&uid=3"


def test_path_case_is_kept_and_encoding_normalised() -> None:
    assert canonicalize_url("http://x.com/A%7eB/ü") == "http://x.com/A~B/%C3%BC"


def test_idn_host_becomes_punycode() -> None:
    assert canonicalize_url("http://bücher.example/") == "http://xn--bcher-kva.example/"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "empty"),
        ("ftp://x.com/a", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("mailto:a@b.c", "scheme"),
        ("/relative/path", "scheme"),
        ("http:///path", "no host"),
        ("http://user:pw@x.com/", "credentials"),
        ("http://x.com:0/", "port 0"),
        ("http://x.com:99999/", "unparseable"),
        ("http://exa mple.com/", "host name"),
        ("http://a..b/", "host name"),
        ("http://-bad.com/", "host name"),
        ("http://x.com/a\nb", "control"),
        ("http://x.com/" + "a" * 2100, "longer than"),
    ],
)
def test_invalid_urls_say_why(url: str, reason: str) -> None:
    with pytest.raises(InvalidUrl, match=reason):
        canonicalize_url(url)


def test_validate_url_returns_stripped_original() -> None:
    assert validate_url("  HTTP://X.com/a#b ") == "HTTP://X.com/a#b"


def test_tracking_param_names() -> None:
    assert is_tracking_param("utm_campaign")
    assert is_tracking_param("FBCLID")
    assert not is_tracking_param("id")
    assert not is_tracking_param("utm")


@settings(max_examples=300, deadline=None)
@given(
    host=st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{0,10}(\.[a-zA-Z]{2,5}){1,2}", fullmatch=True),
    path=st.text(max_size=30),
    params=st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), max_size=5),
    fragment=st.text(max_size=10),
)
def test_canonical_is_idempotent(host: str, path: str, params: list, fragment: str) -> None:
    from urllib.parse import quote, urlencode

    url = f"http://{host}/{quote(path)}?{urlencode(params)}#{quote(fragment)}"
    try:
        once = canonicalize_url(url)
    except InvalidUrl:
        return
    assert canonicalize_url(once) == once


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_any_string_is_a_url_or_an_invalid_url(text: str) -> None:
    try:
        result = canonicalize_url(text)
    except InvalidUrl:
        return
    assert result.startswith(("http://", "https://"))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_hostile_http_urls_never_crash(tail: str) -> None:
    for url in (f"http://{tail}", f"https://x.com/{tail}"):
        try:
            result = canonicalize_url(url)
        except InvalidUrl:
            continue
        assert canonicalize_url(result) == result
