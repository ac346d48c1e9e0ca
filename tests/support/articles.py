"""Deterministic article pages for the test origin: /a/{i} is always the same page."""

from __future__ import annotations

import random

WORDS = [
    "council",
    "harbour",
    "election",
    "minister",
    "budget",
    "river",
    "school",
    "hospital",
    "market",
    "farmers",
    "winter",
    "report",
    "police",
    "festival",
    "museum",
    "railway",
    "bridge",
    "drought",
    "students",
    "workers",
    "energy",
    "province",
    "capital",
    "agreement",
    "talks",
    "summit",
    "vaccine",
    "climate",
    "parliament",
    "court",
    "village",
]


def article_title(i: int) -> str:
    return f"Report number {i}: {WORDS[i % len(WORDS)]} news from the {WORDS[(i * 7) % len(WORDS)]} desk"


def article_html(i: int, paragraphs: int = 6) -> str:
    rng = random.Random(i)
    paras = []
    for _ in range(paragraphs):
        sentence = " ".join(rng.choice(WORDS) for _ in range(40))
        paras.append(f"<p>{sentence.capitalize()}.</p>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{article_title(i)} | Test Gazette</title>
<meta property="og:title" content="{article_title(i)}">
<meta property="article:published_time" content="2024-03-{1 + i % 28:02d}T09:00:00+00:00">
<meta name="author" content="Reporter {i % 13}">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{article_title(i)}</h1>
{"".join(paras)}
</article>
<footer>Test Gazette, all rights reserved.</footer>
</body></html>"""


def local_source_toml(
    home: str,
    *,
    timezone: str,
    every: str,
    feeds: tuple[str, ...] = (),
    sitemaps: tuple[str, ...] = (),
) -> str:
    """A sources.toml with one source, `local`, crawling the test origin's feeds and sitemaps."""
    entry_points = "".join(
        f'\n[[sources.entry_points]]\nkind = "{kind}"\nurl = "{url}"\n'
        for kind, urls in (("feed", feeds), ("sitemap", sitemaps))
        for url in urls
    )
    return f"""
[[sources]]
id = "local"
name = "Local test origin"
home = "{home}"
timezone = "{timezone}"
languages = ["en"]
schedule = {{ every = "{every}" }}
{entry_points}"""
