"""fetch_page against a real local server: statuses, redirects, caps, bombs, deadlines, charsets."""

from __future__ import annotations

import codecs
import gzip
import time
from collections.abc import Iterator

import brotli
import httpx
import pytest

from tests.support.httpserver import Reply, ScriptedServer, gzip_bomb, zeros
from tests.support.testenv import fetch_settings
from worker.errors import (
    FetchTimeout,
    HttpStatusError,
    InvalidContent,
    NetworkError,
    NotHtml,
    ServerBusy,
    TooLarge,
    TooManyRedirects,
)
from worker.fetch.client import make_client
from worker.fetch.http import FEED_TYPES, fetch_page
from worker.settings import Settings

pytest_plugins = ["tests.support.fixtures"]

SETTINGS = fetch_settings()
PAGE = "<html><head><title>Kabul</title></head><body><p>Text</p></body></html>"


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with make_client(SETTINGS) as c:
        yield c


def test_ok_page_with_validators(server: ScriptedServer, client: httpx.Client) -> None:
    server.route(
        "/a", body=PAGE, headers={"ETag": '"v1"', "Last-Modified": "Wed, 25 Nov 2026 10:00:00 GMT"}
    )
    result = fetch_page(client, server.url("/a"), SETTINGS)
    assert result.status_code == 200
    assert result.text == PAGE and result.body == PAGE.encode()
    assert (result.etag, result.last_modified) == ('"v1"', "Wed, 25 Nov 2026 10:00:00 GMT")
    assert result.final_url == server.url("/a") and result.redirects == ()
    assert not result.not_modified and result.elapsed_ms > 0
    seen = server.requests[0]
    assert seen.header("user-agent") == SETTINGS.user_agent
    assert seen.header("accept-encoding") == "gzip, deflate, br"


def test_304_with_etag(server: ScriptedServer, client: httpx.Client) -> None:
    def conditional(request):
        if request.header("if-none-match") == '"v1"':
            return Reply(status=304, headers={"ETag": '"v1"'}, content_type=None)
        return Reply(body=PAGE, headers={"ETag": '"v1"'})

    server.route("/c", handler=conditional)
    first = fetch_page(client, server.url("/c"), SETTINGS)
    again = fetch_page(
        client,
        server.url("/c"),
        SETTINGS,
        etag=first.etag,
        last_modified="Wed, 25 Nov 2026 10:00:00 GMT",
    )
    assert again.not_modified and again.status_code == 304 and again.body == b""
    assert server.requests[1].header("if-modified-since") == "Wed, 25 Nov 2026 10:00:00 GMT"


@pytest.mark.parametrize(
    ("status", "headers", "error", "reason", "retry_after"),
    [
        (404, {}, HttpStatusError, "HTTP 404 Not Found", None),
        (410, {}, HttpStatusError, "HTTP 410 Gone", None),
        (403, {}, HttpStatusError, "HTTP 403 Forbidden", None),
        (500, {}, ServerBusy, "HTTP 500 Internal Server Error", None),
        (503, {"Retry-After": "120"}, ServerBusy, "HTTP 503 Service Unavailable", 120.0),
        (
            429,
            {"Retry-After": "7"},
            ServerBusy,
            "HTTP 429 Too Many Requests (Retry-After 7 s)",
            7.0,
        ),
        (408, {}, ServerBusy, "HTTP 408 Request Timeout", None),
    ],
)
def test_status_mapping(server, client, status, headers, error, reason, retry_after) -> None:
    server.route("/s", status=status, headers=headers, body="nope")
    with pytest.raises(error) as caught:
        fetch_page(client, server.url("/s"), SETTINGS)
    assert caught.value.reason.startswith(reason)
    if error is ServerBusy:
        assert caught.value.retry_after == retry_after
    else:
        assert caught.value.status_code == status


def test_retry_after_http_date(server: ScriptedServer, client: httpx.Client) -> None:
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60))
    server.route("/busy", status=429, headers={"Retry-After": when})
    with pytest.raises(ServerBusy) as caught:
        fetch_page(client, server.url("/busy"), SETTINGS)
    assert 55 <= caught.value.retry_after <= 61


def test_content_type_allowlist(server: ScriptedServer, client: httpx.Client) -> None:
    server.route("/doc.pdf", body=b"%PDF-1.4", content_type="application/pdf")
    server.route("/feed", body="<rss/>", content_type="application/rss+xml")
    server.route("/none", body="x", content_type=None)
    server.route("/xhtml", body=PAGE, content_type="application/xhtml+xml")
    with pytest.raises(NotHtml, match="content type application/pdf is not HTML"):
        fetch_page(client, server.url("/doc.pdf"), SETTINGS)
    with pytest.raises(NotHtml, match=r"content type \(none\) is not HTML"):
        fetch_page(client, server.url("/none"), SETTINGS)
    with pytest.raises(NotHtml):
        fetch_page(client, server.url("/feed"), SETTINGS)
    assert (
        fetch_page(client, server.url("/feed"), SETTINGS, accept_types=FEED_TYPES).text == "<rss/>"
    )
    assert fetch_page(client, server.url("/xhtml"), SETTINGS).status_code == 200


def test_redirects_followed_recorded_and_capped(
    server: ScriptedServer, client: httpx.Client
) -> None:
    server.route("/end", body=PAGE)
    start = server.redirect_chain("/five", 5, "/end")
    result = fetch_page(client, server.url(start), SETTINGS)
    assert result.final_url == server.url("/end") and len(result.redirects) == 5
    assert result.redirects[0].location == server.url("/five/1")
    assert result.url == server.url(start)
    server.clear_log()
    start = server.redirect_chain("/six", 6, "/end")
    with pytest.raises(TooManyRedirects, match="more than 5 redirects"):
        fetch_page(client, server.url(start), SETTINGS)
    assert len(server.requests) == 6  # the sixth Location is never requested
    server.redirect("/loop", "/loop")
    with pytest.raises(TooManyRedirects):
        fetch_page(client, server.url("/loop"), SETTINGS)


def test_credentials_not_forwarded_across_origins(
    server: ScriptedServer, client: httpx.Client
) -> None:
    with ScriptedServer() as other:
        other.route("/landing", body=PAGE)
        server.route("/same", body=PAGE)
        server.redirect("/go-same", "/same")
        server.redirect("/go-other", other.url("/landing"))
        secret = {"Authorization": "Bearer s3cret", "Cookie": "session=1"}
        fetch_page(client, server.url("/go-same"), SETTINGS, headers=secret)
        fetch_page(client, server.url("/go-other"), SETTINGS, headers=secret)
        assert server.requests_to("/same")[0].header("authorization") == "Bearer s3cret"
        assert server.requests_to("/go-other")[0].header("cookie") == "session=1"
        landing = other.requests_to("/landing")[0]
        assert landing.header("authorization") is None and landing.header("cookie") is None


def test_cookies_are_not_kept_between_fetches(server: ScriptedServer, client: httpx.Client) -> None:
    server.route("/set", body=PAGE, headers={"Set-Cookie": "meter=1; Path=/"})
    fetch_page(client, server.url("/set"), SETTINGS)
    fetch_page(client, server.url("/set"), SETTINGS)
    assert server.requests[1].header("cookie") is None


def test_oversize_by_content_length_rejected_before_reading(server, client) -> None:
    settings = fetch_settings(fetch_max_bytes=1_000_000)
    server.route("/big", body=zeros(10_000_000), headers={"Content-Length": "10737418240"})
    started = time.monotonic()
    with pytest.raises(TooLarge, match=r"body over 1000000 bytes \(Content-Length 10737418240\)"):
        fetch_page(client, server.url("/big"), settings)
    assert time.monotonic() - started < 1.0


def test_oversize_streamed_without_length(server: ScriptedServer, client: httpx.Client) -> None:
    settings = fetch_settings(fetch_max_bytes=1_000_000)
    server.route("/huge", body=zeros(200_000_000))
    started = time.monotonic()
    with pytest.raises(TooLarge, match="body over 1000000 bytes on the wire"):
        fetch_page(client, server.url("/huge"), settings)
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    ("encoding", "kind"),
    [
        ("gzip", "gzip"),
        ("deflate", "deflate"),
        ("deflate", "raw-deflate"),
        ("gzip, gzip", "double"),
        ("br", "br"),
    ],
)
def test_decompression_bombs_abort(server, client, encoding: str, kind: str) -> None:
    decoded = 50_000_000
    if kind == "double":
        body = gzip.compress(gzip_bomb(decoded))
    elif kind == "br":
        body = brotli.compress(b"\0" * decoded, quality=5)
    else:
        body = gzip_bomb(decoded, kind)
    settings = fetch_settings(fetch_max_bytes=1_000_000)
    server.route("/bomb", body=body, headers={"Content-Encoding": encoding})
    started = time.monotonic()
    with pytest.raises(TooLarge, match="after decompression"):
        fetch_page(client, server.url("/bomb"), settings)
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    ("encoding", "compress"), [("gzip", gzip.compress), ("br", brotli.compress)]
)
def test_compressed_page_is_decoded(server, client, encoding: str, compress) -> None:
    server.route("/page", body=compress(PAGE.encode()), headers={"Content-Encoding": encoding})
    assert fetch_page(client, server.url("/page"), SETTINGS).text == PAGE


def test_unadvertised_encoding_rejected(server: ScriptedServer, client: httpx.Client) -> None:
    server.route("/zstd", body=b"\x28\xb5\x2f\xfd", headers={"Content-Encoding": "zstd"})
    with pytest.raises(InvalidContent, match="Content-Encoding 'zstd' was not advertised"):
        fetch_page(client, server.url("/zstd"), SETTINGS)


def test_drip_feed_hits_the_total_deadline(server: ScriptedServer, client: httpx.Client) -> None:
    settings = fetch_settings(fetch_deadline=1.0, fetch_read_timeout=0.5)
    server.route("/drip", body=b"<html>" + b"x" * 200, drip=(1, 0.05))
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="total deadline of 1 s passed while reading"):
        fetch_page(client, server.url("/drip"), settings)
    assert 0.9 <= time.monotonic() - started < 1.5


def test_silence_hits_the_read_timeout(server: ScriptedServer, client: httpx.Client) -> None:
    settings = fetch_settings(fetch_read_timeout=0.3)
    server.route("/silent", body=PAGE, delay=10)
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="ReadTimeout"):
        fetch_page(client, server.url("/silent"), settings)
    assert time.monotonic() - started < 1.0


def test_slow_dns_hits_the_dns_deadline() -> None:
    settings = fetch_settings(fetch_dns_timeout=0.3, fetch_allow_private=["slow.test"])

    def slow_resolver(host: str, port: int) -> list[str]:
        time.sleep(3)
        return ["127.0.0.1"]

    started = time.monotonic()
    with (
        make_client(settings, resolver=slow_resolver) as c,
        pytest.raises(FetchTimeout, match="DNS"),
    ):
        fetch_page(c, "http://slow.test/", settings)
    assert time.monotonic() - started < 1.0


def test_connection_refused_is_a_network_error(client: httpx.Client) -> None:
    with ScriptedServer() as gone:
        url = gone.url("/")
    with pytest.raises(NetworkError, match="ConnectError"):
        fetch_page(client, url, SETTINGS)


def test_connects_to_the_validated_address(server: ScriptedServer) -> None:
    settings = fetch_settings(fetch_allow_private=["127.0.0.1"], fetch_allowed_ports=[server.port])
    server.route("/a", body=PAGE)
    with make_client(settings, resolver=lambda host, port: ["127.0.0.1"]) as c:
        for _ in range(20):
            with c.stream("GET", f"http://origin.test:{server.port}/a") as response:
                peer = response.extensions["network_stream"].get_extra_info("server_addr")
                assert peer == ("127.0.0.1", server.port)
    assert {r.header("host") for r in server.requests} == {f"origin.test:{server.port}"}


def _with_charset(body: bytes, content_type: str | None) -> Reply:
    return Reply(body=body, content_type=content_type)


@pytest.mark.parametrize(
    ("reply", "encoding", "title"),
    [
        (
            _with_charset(
                "<title>Дари</title>".encode("cp1251"), "text/html; charset=windows-1251"
            ),
            "cp1251",
            "Дари",
        ),
        (
            _with_charset(
                b'<meta charset="shift_jis"><title>' + "ニュース".encode("shift_jis") + b"</title>",
                "text/html",
            ),
            "shift_jis",
            "ニュース",
        ),
        (
            _with_charset(
                codecs.BOM_UTF16_LE + "<title>خبر</title>".encode("utf-16-le"), "text/html"
            ),
            "utf-16-le",
            "خبر",
        ),
        (
            _with_charset("<title>café</title>".encode(), "text/html; charset=iso-8859-1"),
            "utf-8",
            "café",
        ),  # mislabelled UTF-8 wins over a legacy header label
        (
            _with_charset(
                "<title>“quotes”</title>".encode("cp1252"), "text/html; charset=iso-8859-1"
            ),
            "cp1252",
            "“quotes”",
        ),
    ],
)
def test_charsets(
    server: ScriptedServer, client: httpx.Client, reply: Reply, encoding: str, title: str
) -> None:
    server.route("/cs", reply)
    result = fetch_page(client, server.url("/cs"), SETTINGS)
    assert result.encoding == encoding
    assert f"<title>{title}</title>" in result.text


def test_truncate_mode_cuts_instead_of_failing(
    server: ScriptedServer, client: httpx.Client
) -> None:
    server.route("/robots.txt", body=b"a" * 5000, content_type="text/plain")
    result = fetch_page(
        client,
        server.url("/robots.txt"),
        SETTINGS,
        accept_types=None,
        max_bytes=1000,
        truncate=True,
    )
    assert result.body == b"a" * 1000


def test_settings_type() -> None:
    assert isinstance(SETTINGS, Settings)


def test_ipv6_loopback_when_allowlisted() -> None:
    settings = fetch_settings(fetch_allow_private=["::1"])
    try:
        srv = ScriptedServer(host="::1")
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback here: {exc}")
    with srv, make_client(settings) as c:
        srv.route("/6", body=PAGE)
        assert fetch_page(c, srv.url("/6"), settings).text == PAGE
        assert srv.base_url.startswith("http://[::1]:")


def test_tries_each_validated_address_in_turn(server: ScriptedServer) -> None:
    server.route("/a", body=PAGE)
    settings = fetch_settings(
        fetch_allow_private=["127.0.0.0/8"], fetch_allowed_ports=[server.port]
    )
    # Nothing listens on 127.0.0.3: refused there, then the second record answers.
    with make_client(settings, resolver=lambda host, port: ["127.0.0.3", "127.0.0.1"]) as c:
        assert fetch_page(c, f"http://two.test:{server.port}/a", settings).text == PAGE
