"""Scenario 20: hostile XML in feeds and sitemaps is refused, fast, without touching the
network or the file system, and nothing from an entity reaches the output."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from worker.discover.candidates import DiscoveryResult
from worker.discover.feeds import parse_feed
from worker.discover.sitemaps import parse_sitemap
from worker.errors import InvalidContent, TooLarge


@pytest.fixture
def canary() -> Iterator[tuple[str, list[int]]]:
    """A listener on 127.0.0.1 that only counts connections: it must stay at 0."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    accepted: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(1)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/", accepted
    stop.set()
    thread.join()
    server.close()


def billion_laughs() -> str:
    lines = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        lines.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    return "<!DOCTYPE doc [" + "".join(lines) + "]>", "&lol9;"


def attacks(canary_url: str) -> dict[str, tuple[str, str]]:
    """name -> (prolog, text placed where a URL or title goes)."""
    big = "A" * 100_000
    return {
        "billion laughs": billion_laughs(),
        "quadratic blowup": (f'<!DOCTYPE doc [<!ENTITY a "{big}">]>', "&a;" * 10_000),
        "xxe file": ('<!DOCTYPE doc [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
        "xxe http": (f'<!DOCTYPE doc [<!ENTITY xxe SYSTEM "{canary_url}xxe">]>', "&xxe;"),
        "external dtd": (f'<!DOCTYPE doc SYSTEM "{canary_url}evil.dtd">', "&remote;"),
        "parameter entity": (
            f'<!DOCTYPE doc [<!ENTITY % p SYSTEM "{canary_url}p.dtd"> %p;]>',
            "&fromp;",
        ),
        "internal subset only": ("<!DOCTYPE doc [<!ELEMENT doc ANY>]>", "plain"),
    }


def as_feed(prolog: str, payload: str) -> bytes:
    return (
        f'<?xml version="1.0"?>{prolog}<rss version="2.0"><channel><title>t</title>'
        f"<item><title>{payload}</title><link>https://x.com/a/{payload}</link></item>"
        "</channel></rss>"
    ).encode()


def as_sitemap(prolog: str, payload: str) -> bytes:
    return (
        f'<?xml version="1.0"?>{prolog}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>https://x.com/ok</loc></url><url><loc>https://x.com/{payload}</loc></url></urlset>"
    ).encode()


PARSERS: dict[str, tuple[Callable[[str, str], bytes], Callable[[bytes], DiscoveryResult]]] = {
    "feed": (as_feed, lambda body: parse_feed(body, "https://x.com/rss")),
    "sitemap": (as_sitemap, lambda body: parse_sitemap(body, "https://x.com/sitemap.xml")),
}

NAMES = list(attacks("http://canary/"))


@pytest.mark.parametrize("kind", PARSERS)
@pytest.mark.parametrize("name", NAMES)
def test_attack_is_refused(kind: str, name: str, canary: tuple[str, list[int]]) -> None:
    canary_url, accepted = canary
    build, parse = PARSERS[kind]
    prolog, payload = attacks(canary_url)[name]
    body = build(prolog, payload)
    started = time.perf_counter()
    try:
        result = parse(body)
    except (InvalidContent, TooLarge):
        result = None
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0
    assert accepted == []
    if result is not None:
        # Only the RSS 0.91-style bare external DOCTYPE may pass, and then no entity is expanded.
        assert name == "external dtd", f"{name} was not refused"
        dumped = result.model_dump_json()
        assert "root:" not in dumped and "lol" not in dumped and "remote" not in dumped


def test_scrapy_xxe_sitemap_case() -> None:
    body = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE foo [
  <!ELEMENT foo ANY >
  <!ENTITY xxe SYSTEM "file:///etc/passwd" >
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url>
    <loc>http://127.0.0.1:8000/&xxe;</loc>
  </url>
</urlset>"""
    with pytest.raises(InvalidContent, match="DTDForbidden"):
        parse_sitemap(body, "http://127.0.0.1:8000/sitemap.xml")


def test_entity_in_a_malformed_feed_is_refused_too() -> None:
    # Malformed documents go to feedparser's lenient parser only when they declare nothing.
    # The broken tag comes first, so expat fails before it ever sees the declaration.
    body = b'<rss><channel><item <link>https://x.com/&a;</link></item></channel></rss><!DOCTYPE x [<!ENTITY a "b">]>'
    with pytest.raises(InvalidContent, match="malformed and declares"):
        parse_feed(body, "https://x.com/rss")


def test_undeclared_entity_in_a_malformed_feed_expands_nothing() -> None:
    body = b"<rss version='2.0'><channel><item><title>&xxe; &amp;</title><link>https://x.com/a</link></item></channel></rss>"
    result = parse_feed(body, "https://x.com/rss")
    assert [c.canonical_url for c in result.candidates] == ["https://x.com/a"]
