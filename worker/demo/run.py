"""`make run`: migrate, start a worker and beat, serve the demo site, ingest it, show the result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import redis
from rich.console import Console

from worker.demo.site import DemoSite
from worker.settings import HOME, Settings

EXIT_UNAVAILABLE = 69
console = Console()


def redis_problem(url: str) -> str | None:
    """None when Redis answers PING, else a message saying how to get one."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        return (
            f"Redis is not reachable at {url} ({exc}).\n"
            "Start one with:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 "
            '--save "" --appendonly no\n'
            "or point INGEST_REDIS_URL at a running Redis."
        )
    return None


def _start(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "worker.celery_app", *args],
        stdout=handle,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,  # Ctrl-C reaches us; we stop them in order
    )


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for proc in processes:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_for(check: Callable[[], bool], timeout: float, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return check()


DEMO_PORT = 8765  # where config/sources.toml's `demo` source looks


def run_demo(settings: Settings, *, once: bool = False, timeout: float = 90) -> int:
    from worker import tasks
    from worker.cli import print_articles
    from worker.discover.canonical import canonicalize_url
    from worker.models import UrlState
    from worker.store import articles, ledger
    from worker.store.engine import get_engine
    from worker.store.migrate import upgrade

    started = time.monotonic()
    problem = redis_problem(settings.redis_url)
    if problem:
        console.print(f"[red]make run: {problem}[/red]", markup=True, highlight=False)
        return EXIT_UNAVAILABLE
    engine = get_engine(settings.database_url)
    upgrade(engine)
    console.print(f"database ready: {engine.url.render_as_string(hide_password=True)}")

    logs = HOME / "data"
    logs.mkdir(exist_ok=True)
    allow = ",".join(filter(None, [os.environ.get("INGEST_FETCH_ALLOW_PRIVATE"), "127.0.0.1"]))
    # Beat crawls only the demo source here, whatever else config/sources.toml enables.
    env = {**os.environ, "INGEST_FETCH_ALLOW_PRIVATE": allow, "INGEST_CRAWL_SOURCES": "demo"}
    processes: list[subprocess.Popen[bytes]] = []
    try:
        try:
            site_server = DemoSite(DEMO_PORT)
        except OSError as exc:
            console.print(
                f"[red]make run: cannot serve the demo site on 127.0.0.1:{DEMO_PORT}: {exc.strerror}[/red]"
            )
            return EXIT_UNAVAILABLE
        with site_server as site:
            console.print(f"demo site: {site.url('/')}")
            processes.append(
                _start(
                    [
                        "worker",
                        "-Q",
                        "fetch,parse,store",
                        "-c",
                        str(settings.worker_concurrency),
                        "-E",
                        "-l",
                        "INFO",
                        "-n",
                        f"demo-{os.getpid()}@%h",
                    ],
                    logs / "worker.log",
                    env,
                )
            )
            processes.append(
                _start(
                    ["beat", "-l", "INFO", "-s", str(logs / "celerybeat-schedule")],
                    logs / "beat.log",
                    env,
                )
            )
            console.print(f"worker and beat started (logs: {logs}/worker.log, beat.log)")

            # The crawl beat runs every 30 s for the demo source; run the first one now.
            tasks.crawl_source.delay("demo")
            console.print("crawling the demo source: its feed, sitemap and front page")
            expected = [canonicalize_url(u) for u in site.article_urls()]
            rows = lambda: [ledger.url_row(engine, u) for u in expected]  # noqa: E731
            first_stored: list[float] = []

            def settled() -> bool:
                states = [r["state"] if r else UrlState.queued for r in rows()]
                if not first_stored and UrlState.stored in states:
                    first_stored.append(time.monotonic() - started)
                return all(UrlState(s).terminal for s in states)

            if not wait_for(settled, timeout):
                console.print(
                    f"[yellow]not everything settled within {timeout:.0f} s; see {logs}/worker.log[/yellow]"
                )
            if first_stored:
                console.print(f"first article stored {first_stored[0]:.1f} s after start")
            print_articles(articles.latest(engine, limit=20, source="demo"))
            for row in rows():
                if row and row["state"] != UrlState.stored:
                    console.print(
                        f"{row['canonical_url']}: {row['state']}: {row['last_error']}",
                        highlight=False,
                    )
            console.print(
                "\nNext: [bold].venv/bin/ingest articles --json[/bold], "
                "[bold].venv/bin/ingest status URL[/bold], "
                "[bold].venv/bin/ingest export --format jsonl[/bold]; "
                "monitor with Flower: make flower (http://127.0.0.1:5555)"
            )
            if once:
                return 0
            console.print("worker and beat keep running; press Ctrl-C to stop everything.")
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
            console.print("[red]a worker or beat process exited; see the logs[/red]")
            return 1
    except KeyboardInterrupt:
        console.print("\nstopping worker and beat ...")
        return 0
    finally:
        _stop(processes)
