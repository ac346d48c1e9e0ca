"""Exposure and secrets (reliability.md scenario 24, the parts a test can reach here): the
worker and the CLI run against a Redis whose default user is off and whose worker user may not
run admin or flush commands; a pickled message is never deserialised; no log line or output
carries the password."""

from __future__ import annotations

import os
import pickle
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import kombu
import pytest
import redis

from tests.integration.conftest import (
    CeleryWorker,
    article_origin,
    poll,
    stored_count,
)
from tests.support.httpserver import ScriptedServer
from tests.support.private_redis import PrivateRedis
from worker.store.engine import make_engine
from worker.store.migrate import upgrade

pytestmark = pytest.mark.integration
N = 20
DENIED = "-@admin -flushall -flushdb -config -debug -shutdown"


@pytest.fixture(scope="module")
def acl_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """A Redis of its own, set up as reliability.md B2 says: default user off, one worker user."""
    root = tmp_path_factory.mktemp("acl-redis")
    password = secrets.token_urlsafe(24)
    (root / "users.acl").write_text(
        f"user default off\nuser ingest on >{password} ~* &* +@all {DENIED}\n"
    )
    server = PrivateRedis(
        root, "--aclfile", str(root / "users.acl"), username="ingest", password=password
    )
    with server:
        yield server.port, password


@pytest.fixture
def origin() -> Iterator[ScriptedServer]:
    with article_origin(N) as srv:
        yield srv


def test_locked_down_redis(
    acl_redis: tuple[int, str], origin: ScriptedServer, tmp_path: Path
) -> None:
    port, password = acl_redis
    with pytest.raises(redis.AuthenticationError):  # NOAUTH: the default user is off
        redis.Redis(port=port).ping()
    worker_user = redis.Redis(port=port, username="ingest", password=password)
    for command in (("FLUSHALL",), ("FLUSHDB",), ("CONFIG", "GET", "*"), ("SHUTDOWN",)):
        with pytest.raises(redis.exceptions.NoPermissionError):
            worker_user.execute_command(*command)

    database = f"sqlite:///{tmp_path / 'acl.db'}"
    engine = make_engine(database)
    upgrade(engine)
    url = f"redis://ingest:{password}@127.0.0.1:{port}/0"
    prefix = os.environ["INGEST_REDIS_KEY_PREFIX"] + f"acl-{uuid.uuid4().hex[:6]}:"
    env = {"INGEST_REDIS_URL": url, "INGEST_REDIS_KEY_PREFIX": prefix}
    log = tmp_path / "worker.log"
    worker = CeleryWorker(database, log, env)
    try:
        enqueue = subprocess.run(
            [sys.executable, "-m", "worker.cli", "enqueue",
             *(origin.url(f"/a/{i}") for i in range(N))],
            env={**os.environ, **env, "INGEST_DATABASE_URL": database},
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert enqueue.returncode == 0, enqueue.stdout + enqueue.stderr
        assert poll(lambda: stored_count(engine) == N, timeout=120)

        # A pickled message that would run a command the moment it is unpickled.
        marker = tmp_path / "unpickled"
        _publish_pickle(url, prefix, marker)
        assert poll(lambda: "ContentDisallowed" in log.read_text(errors="replace"), 30)
        time.sleep(1)
        assert not marker.exists()
    finally:
        worker.stop()
    outputs = log.read_text(errors="replace") + enqueue.stdout + enqueue.stderr
    assert password not in outputs


class _RunsOnUnpickle:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def _publish_pickle(url: str, prefix: str, marker: Path) -> None:
    """A Celery protocol-2 message for ingest.fetch, serialised with pickle."""
    body = ((_RunsOnUnpickle(marker),), {}, {"callbacks": None, "errbacks": None, "chain": None})
    assert pickle.dumps(body)  # the payload really is a pickle that runs the command
    task_id = str(uuid.uuid4())
    with kombu.Connection(url, transport_options={"global_keyprefix": prefix}) as conn:
        conn.Producer().publish(
            body,
            serializer="pickle",
            exchange="",
            routing_key="fetch",
            headers={"lang": "py", "task": "ingest.fetch", "id": task_id, "root_id": task_id},
        )
