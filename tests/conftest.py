"""Test-wide isolation: every run gets its own Redis key prefix and database, set before any
worker module reads its settings, so a test can never touch a real deployment's queues."""

from __future__ import annotations

import os
import tempfile
import uuid

RUN_ID = uuid.uuid4().hex[:10]
_SCRATCH = tempfile.mkdtemp(prefix=f"ingest-test-{RUN_ID}-")

os.environ.update(
    {
        "INGEST_REDIS_URL": os.environ.get("INGEST_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "INGEST_REDIS_KEY_PREFIX": f"ingest-test-{RUN_ID}:",
        "INGEST_DATABASE_URL": f"sqlite:///{_SCRATCH}/default.db",
        "INGEST_FETCH_ALLOW_PRIVATE": "127.0.0.1",
    }
)
