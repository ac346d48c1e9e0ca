"""The worker's Celery app with test-only faults, injected from outside the production code.

`celery -A tests.support.faulty_app worker` runs the real tasks, with the extractor the parse
stage calls wrapped: when the page's URL path holds a marker, the wrapper stands in for a fault
no real page can be relied on to cause, at the moment the real extractor would run (after the
stage has claimed its ledger row):

- `/poison/`: the pool child SIGKILLs itself (a lexbor segfault, an OOM kill);
- `/hang/`: the child sleeps far past the time limits, in Python (the soft limit interrupts it);
- `/stuck/`: the child sleeps with the soft-limit signal blocked, as a hang inside C code does
  (only the hard limit, a SIGKILL from the pool, ends it);
- `/flaky/`: the extractor raises a retriable error on its first two calls for the URL and
  works on the third. Each call appends a line to a file named after the URL's path under
  `$FAULTY_APP_CALLS` (a directory the test gives the worker), so the test can count them.

One fault is in publishing rather than parsing: the worker's publish of the parse step (the
message a fetch sends on once its page is committed) fails with the broker error kombu raises
for a URL whose path holds

- `/nopublish/`: the fetch is committed, its chain continuation is lost, and only reconcile
  (publishing from another process) can carry the row on.
"""

from __future__ import annotations

import os
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

from kombu.exceptions import OperationalError
from sqlalchemy import select

from worker import pipeline, tasks
from worker.celery_app import app
from worker.errors import TransientError
from worker.models import Article
from worker.store.engine import reading
from worker.store.tables import urls

__all__ = ["app"]

FOREVER = 600.0
FLAKY_FAILURES = 2
_extract = pipeline.extract_article


def _faulty_extract(html: str | bytes, url: str, **options: Any) -> Article:
    if "/poison/" in url:
        os.kill(os.getpid(), signal.SIGKILL)
    elif "/hang/" in url:
        time.sleep(FOREVER)
    elif "/stuck/" in url:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        time.sleep(FOREVER)
    elif "/flaky/" in url:
        calls = _count_call(url)
        if calls <= FLAKY_FAILURES:
            raise TransientError(f"flaky parse (test fault), call {calls}")
    return _extract(html, url, **options)


def _count_call(url: str) -> int:
    """Record one more extractor call for `url`; returns how many there have been."""
    root = Path(os.environ.get("FAULTY_APP_CALLS") or Path(tempfile.gettempdir(), "faulty-app"))
    root.mkdir(parents=True, exist_ok=True)
    path = root / url.split("://", 1)[-1].split("/", 1)[-1].replace("/", "_")
    with path.open("a") as calls:  # one stage holds a URL's claim at a time: no races
        calls.write(f"{os.getpid()}\n")
    return len(path.read_text().splitlines())


_publish_parse = tasks.parse.apply_async


def _faulty_publish_parse(args: Any = None, kwargs: Any = None, **options: Any) -> Any:
    url_id = (args or [{}])[0].get("url_id")
    if url_id is not None and "/nopublish/" in _canonical_url(url_id):
        raise OperationalError(f"publish of parse for url {url_id} failed (test fault)")
    return _publish_parse(args, kwargs, **options)


def _canonical_url(url_id: int) -> str:
    with reading(tasks.services().engine) as conn:
        return conn.scalar(select(urls.c.canonical_url).where(urls.c.id == url_id)) or ""


pipeline.extract_article = _faulty_extract
tasks.parse.apply_async = _faulty_publish_parse  # type: ignore[method-assign]
