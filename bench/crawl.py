"""Time to crawl a sitemap of N article URLs: fetch, parse, canonicalise, ledger intake, publish.

    python bench/crawl.py [--urls 5000] [--gzip]

Serves the sitemap on 127.0.0.1, runs `crawl_source` (the beat task's function) against a fresh
SQLite ledger and the real Redis under a throwaway key prefix, twice: the first run takes every
URL in; the second finds them all known (the sitemap has no validators, so it is re-read).
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PREFIX = f"ingest-bench-{uuid.uuid4().hex[:8]}:"
os.environ.update({"INGEST_REDIS_KEY_PREFIX": PREFIX, "INGEST_FETCH_ALLOW_PRIVATE": "127.0.0.1"})

import redis  # noqa: E402

from tests.support.httpserver import Reply, ScriptedServer  # noqa: E402
from worker import crawl, pipeline, tasks  # noqa: E402
from worker.fetch.client import make_client  # noqa: E402
from worker.fetch.polite import PoliteFetcher  # noqa: E402
from worker.settings import Settings  # noqa: E402
from worker.sources import Source  # noqa: E402
from worker.store.engine import make_engine  # noqa: E402
from worker.store.migrate import upgrade  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--urls", type=int, default=5000)
    parser.add_argument("--gzip", action="store_true", help="serve sitemap.xml.gz")
    args = parser.parse_args()

    settings = Settings(fetch_allow_private=["127.0.0.1"], fetch_host_interval=0.0)
    engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'crawl.db'}")
    upgrade(engine)
    client = redis.Redis.from_url(settings.redis_url)
    fetcher = PoliteFetcher(make_client(settings), client, settings, prefix=PREFIX)
    svc = pipeline.Services(engine=engine, settings=settings, fetcher=fetcher)
    try:
        with ScriptedServer() as origin:
            locs = "".join(
                f"<url><loc>{origin.url(f'/news/{i}/story-{i}')}?utm_source=sm</loc>"
                f"<lastmod>2026-11-{1 + i % 26:02d}</lastmod></url>"
                for i in range(args.urls)
            )
            xml = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
            path = "/sitemap.xml.gz" if args.gzip else "/sitemap.xml"
            body = gzip.compress(xml.encode()) if args.gzip else xml.encode()
            origin.route(path, Reply(body=body, content_type="application/xml"))
            source = Source.model_validate(
                {
                    "id": "bench",
                    "name": "bench",
                    "home": origin.url("/"),
                    "languages": ["en"],
                    "limits": {"max_new_urls": args.urls},
                    "entry_points": [{"kind": "sitemap", "url": origin.url(path)}],
                }
            )
            timings = []
            for _ in range(2):
                started = time.perf_counter()
                report = crawl.crawl_source(svc, source, tasks.publish_best_effort)
                timings.append((time.perf_counter() - started, report))
        print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
        print(f"sitemap of {args.urls} URLs ({len(body):,} bytes{' gzip' if args.gzip else ''})")
        for label, (seconds, report) in zip(("first crawl", "second crawl"), timings, strict=True):
            print(
                f"{label}: {seconds:.2f} s ({args.urls / seconds:,.0f} URLs/s): {report.summary()}"
            )
    finally:
        fetcher.close()
        keys = list(client.scan_iter(match=PREFIX + "*"))
        if keys:
            client.delete(*keys)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
