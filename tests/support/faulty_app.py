"""The worker's Celery app with test-only faults, injected from outside the production code.

`celery -A tests.support.faulty_app worker` runs the real tasks, with the extractor the parse
stage calls wrapped: when the page's URL path holds a marker, the wrapper stands in for a fault
no real page can be relied on to cause, at the moment the real extractor would run (after the
stage has claimed its ledger row):

- `/poison/`: the pool child SIGKILLs itself (a lexbor segfault, an OOM kill);
- `/hang/`: the child sleeps far past the time limits, in Python (the soft limit interrupts it);
- `/stuck/`: the child sleeps with the soft-limit signal blocked, as a hang inside C code does
  (only the hard limit, a SIGKILL from the pool, ends it).
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from worker import pipeline
from worker.celery_app import app
from worker.models import Article

__all__ = ["app"]

FOREVER = 600.0
_extract = pipeline.extract_article


def _faulty_extract(html: str | bytes, url: str, **options: Any) -> Article:
    if "/poison/" in url:
        os.kill(os.getpid(), signal.SIGKILL)
    elif "/hang/" in url:
        time.sleep(FOREVER)
    elif "/stuck/" in url:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        time.sleep(FOREVER)
    return _extract(html, url, **options)


pipeline.extract_article = _faulty_extract
