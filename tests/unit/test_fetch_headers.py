"""Small pure pieces of fetching: Retry-After, media types, robots product token and origin."""

from __future__ import annotations

from datetime import UTC, datetime

from worker.fetch.http import media_type, parse_retry_after
from worker.fetch.robots import origin_of, product_token


def test_retry_after_seconds_and_dates() -> None:
    now = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Fri, 27 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Fri, 27 Nov 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None


def test_media_type() -> None:
    assert media_type("Text/HTML; charset=UTF-8") == "text/html"
    assert media_type(None) == ""


def test_product_token() -> None:
    assert product_token("NewsIngestBot/0.1 (+https://x; bot@x)") == "NewsIngestBot"
    assert product_token("Plainbot") == "Plainbot"


def test_origin_of() -> None:
    assert origin_of("https://Example.com/a?b") == (
        "https://example.com",
        "https://example.com/robots.txt",
    )
    assert origin_of("http://127.0.0.1:8081/x")[1] == "http://127.0.0.1:8081/robots.txt"
    assert origin_of("http://[::1]:81/")[0] == "http://[::1]:81"
