"""Pytest fixtures for fetch tests; import the ones a module uses:

    from tests.support.fixtures import redis_space, server  # noqa: F401

server        a started ScriptedServer on 127.0.0.1 (stopped after the test)
redis_space   RedisSpace(client, prefix): the real Redis, db 15 (or INGEST_TEST_REDIS_URL),
              with a prefix unique to the test; its keys are deleted afterwards
fetch_settings(**overrides)  Settings for local tests: 127.0.0.1 allowlisted, short timeouts,
              no .env file read
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis

from tests.support.httpserver import ScriptedServer
from worker.settings import Settings

TEST_REDIS_URL = os.environ.get("INGEST_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def fetch_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "fetch_allow_private": ["127.0.0.1"],
        "fetch_connect_timeout": 2.0,
        "fetch_read_timeout": 2.0,
        "fetch_deadline": 5.0,
        "fetch_dns_timeout": 1.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


@dataclass(frozen=True)
class RedisSpace:
    client: redis.Redis
    prefix: str

    def key(self, name: str) -> str:
        return self.prefix + name


@pytest.fixture
def redis_space() -> Iterator[RedisSpace]:
    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.skip(f"Redis at {TEST_REDIS_URL} is not reachable: {exc}")
    prefix = f"test:{uuid.uuid4().hex[:12]}:"
    try:
        yield RedisSpace(client, prefix)
    finally:
        keys = list(client.scan_iter(match=prefix + "*", count=500))
        if keys:
            client.delete(*keys)
        client.close()
