"""Time parse_feed (XML gate + feedparser + canonicalisation + hints) on generated RSS feeds:
a typical 100-item feed and one near the 10 MiB cap. No network.

    PYTHONPATH=. python bench/feed.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from worker.discover.feeds import parse_feed


def make_feed(items: int) -> bytes:
    words = "word " * 60
    body = "".join(
        f"<item><title>Story {i} &amp; more</title><link>https://x.com/a/{i}?utm_source=rss</link>"
        f"<description>&lt;p&gt;{words}&lt;/p&gt;</description>"
        f"<pubDate>Wed, 15 May 2024 11:40:00 +0430</pubDate><guid>{i}</guid></item>"
        for i in range(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'.encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"command: PYTHONPATH=. {sys.executable} {' '.join(sys.argv)}")
    print(f"{'feed':<24}{'bytes':>12}{'median ms':>11}{'entries/s':>11}")
    for items, runs in ((100, args.runs), (20_000, max(1, args.runs // 3))):
        body = make_feed(items)
        parse_feed(body, "https://x.com/rss")
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            result = parse_feed(body, "https://x.com/rss")
            samples.append(time.perf_counter() - started)
        assert len(result.candidates) == items
        median = statistics.median(samples)
        print(
            f"{f'{items} items':<24}{len(body):>12,}{median * 1000:>11.1f}{items / median:>11,.0f}"
        )


if __name__ == "__main__":
    main()
