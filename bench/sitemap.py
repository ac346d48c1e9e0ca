"""Time to take a 5,000-URL sitemap from the wire to canonical candidate URLs.

Generates a Google News-style sitemap of N URLs (plain and gzip), serves both on 127.0.0.1
with the standard library, then times: HTTP GET with httpx, parse_sitemap (XML gate,
streaming parse, canonicalisation, hints), and both together. Prints the figures and the
command line. No network beyond loopback.

    PYTHONPATH=. python bench/sitemap.py [--urls 5000] [--runs 7]
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import statistics
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx

from worker.discover.sitemaps import parse_sitemap


def make_sitemap(n: int) -> bytes:
    start = datetime(2024, 5, 15, 7, 10, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
    ]
    for i in range(n):
        when = (start - timedelta(minutes=7 * i)).isoformat()
        tracking = "?utm_source=sitemap&amp;utm_medium=xml" if i % 5 == 0 else ""
        parts.append(
            f"<url><loc>https://News.Example.com/en/news/{300000 - i}/story-{i}{tracking}</loc>"
            f"<lastmod>{when}</lastmod><news:news><news:publication><news:name>Demo</news:name>"
            f"<news:language>en</news:language></news:publication>"
            f"<news:publication_date>{when}</news:publication_date>"
            f"<news:title>Story number {i} &amp; its headline</news:title></news:news></url>\n"
        )
    parts.append("</urlset>\n")
    return "".join(parts).encode()


def serve(files: dict[str, bytes]) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (stdlib name)
            body = files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            kind = "application/gzip" if self.path.endswith(".gz") else "application/xml"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def timed(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    work()  # warm-up: imports, caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000, min(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    xml = make_sitemap(args.urls)
    packed = gzip.compress(xml, mtime=0)
    server, origin = serve({"/sitemap.xml": xml, "/sitemap.xml.gz": packed})
    print(f"command: PYTHONPATH=. {sys.executable} {' '.join(sys.argv)}")
    print(
        f"sitemap: {args.urls} URLs, {len(xml):,} bytes plain, {len(packed):,} bytes gzip; runs={args.runs}"
    )
    print(f"{'case':<34}{'median ms':>11}{'min ms':>9}{'URLs/s':>10}")
    with httpx.Client() as client:
        for name, path in (("plain", "/sitemap.xml"), ("gzip", "/sitemap.xml.gz")):
            url = origin + path
            body = client.get(url).content
            result = parse_sitemap(body, url)
            assert len(result.candidates) == args.urls, (len(result.candidates), result.notes)
            assert result.candidates[0].title_hint and result.candidates[0].published_hint
            cases: list[tuple[str, Callable[[], object]]] = [
                (f"GET {path} (loopback)", lambda u=url: client.get(u).content),
                (f"parse+canonicalise {name}", lambda b=body, u=url: parse_sitemap(b, u)),
                (
                    f"GET+parse+canonicalise {name}",
                    lambda u=url: parse_sitemap(client.get(u).content, u),
                ),
            ]
            for label, work in cases:
                median, best = timed(args.runs, work)
                print(
                    f"{label:<34}{median:>11.1f}{best:>9.1f}{args.urls / (median / 1000):>10,.0f}"
                )
    server.shutdown()


if __name__ == "__main__":
    main()
