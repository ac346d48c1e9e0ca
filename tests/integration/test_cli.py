"""`ingest` as a user runs it: a subprocess with its own database, the real Redis (test prefix)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from worker.store.engine import make_engine
from worker.store.migrate import upgrade

SEED_PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "ava_en_290404.html"


@pytest.fixture
def ingest(tmp_path: Path):
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(make_engine(database))
    # Its own key prefix: messages it publishes must never reach another test's worker.
    prefix = os.environ["INGEST_REDIS_KEY_PREFIX"] + "cli:"
    base_env = {
        **os.environ,
        "INGEST_DATABASE_URL": database,
        "INGEST_REDIS_KEY_PREFIX": prefix,
        "COLUMNS": "200",
    }

    def run(
        *args: str, stdin: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "worker.cli", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env={**base_env, **(env or {})},
            timeout=180,
        )

    return run


def test_enqueue_reports_each_rejected_url_and_exits_2(ingest, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("https://news.example/a\n# a comment\n\nnot-a-url\n")
    result = ingest(
        "enqueue", "https://news.example/b", "ftp://news.example/c", "--file", str(listing)
    )
    assert result.returncode == 2, result.stderr
    assert "accepted 2, already known 0, rejected 2" in result.stdout
    assert "'ftp://news.example/c'" in result.stderr and "scheme" in result.stderr
    assert "'not-a-url'" in result.stderr

    again = ingest(
        "enqueue", "-", stdin="https://news.example/a?utm_source=x\nhttps://news.example/b#top\n"
    )
    assert again.returncode == 0, again.stderr
    assert "accepted 0, already known 2, rejected 0" in again.stdout

    summary = ingest("status")
    assert summary.returncode == 0 and "queued" in summary.stdout and "2" in summary.stdout
    status = ingest("status", "https://news.example/a")
    assert status.returncode == 0 and "queued" in status.stdout
    missing = ingest("status", "https://news.example/never")
    assert missing.returncode == 1 and "not in the ledger" in missing.stderr


def test_enqueue_without_urls_is_an_error(ingest) -> None:
    result = ingest("enqueue")
    assert result.returncode == 2 and "no URLs given" in result.stderr


def test_extract_prints_the_article_offline(ingest) -> None:
    result = ingest(
        "extract", str(SEED_PAGE), "--url", "https://www.avapress.com/en/news/290404/x", "--explain"
    )
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["title"] == "Putin: China-Russia relations are getting stronger"
    assert article["site_id"] == "290404"
    assert article["published_at"] == "2024-05-15T11:40:00+04:30"
    assert "Post a comment" not in article["body"]
    assert "profile" in result.stderr  # the --explain table names the rule's origin


def test_extract_names_a_missing_file(ingest) -> None:
    result = ingest("extract", "/nonexistent.html", "--url", "https://example.com/")
    assert result.returncode == 1 and "/nonexistent.html" in result.stderr


def test_sources_check_and_articles_on_an_empty_database(ingest) -> None:
    assert ingest("sources", "check").returncode == 0
    listed = ingest("sources")
    assert listed.returncode == 0 and "demo" in listed.stdout
    assert ingest("articles", "--json").stdout == ""
    assert ingest("export", "--format", "jsonl").returncode == 0
    assert ingest("export", "--format", "csv").returncode == 2


def test_demo_without_redis_says_how_to_start_one(ingest) -> None:
    result = ingest("demo", "--once", env={"INGEST_REDIS_URL": "redis://127.0.0.1:1/0"})
    assert result.returncode == 69
    assert "Redis is not reachable at redis://127.0.0.1:1/0" in result.stdout
    assert "redis-server --daemonize yes" in result.stdout


def test_demo_crawls_and_stores_the_demo_site(ingest) -> None:
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 8765)) == 0:
            pytest.skip("port 8765 is taken (a `make run` is going on)")
    result = ingest("demo", "--once")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 stored articles" in result.stdout
    assert "Putin: China-Russia relations" in result.stdout


@pytest.mark.parametrize(
    "bad",
    [
        {"INGEST_VISIBILITY_TIMEOUT": "60"},  # not above the fetch hard limit (60 s)
        {"INGEST_VISIBILITY_TIMEOUT": "500", "INGEST_RETRY_BACKOFF_MAX": "600"},
    ],
)
@pytest.mark.parametrize("program", ["worker", "beat"])
def test_celery_refuses_to_start_with_a_short_visibility_timeout(
    tmp_path: Path, bad: dict[str, str], program: str
) -> None:
    env = {**os.environ, **bad}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "worker.celery_app",
            program,
            "-s" if program == "beat" else "-c",
            str(tmp_path / "schedule") if program == "beat" else "1",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 78, result.stderr[-2000:]
    assert "refusing to start" in result.stderr and "INGEST_VISIBILITY_TIMEOUT" in result.stderr
