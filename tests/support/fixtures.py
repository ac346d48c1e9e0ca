"""Pytest fixtures for tests using the scripted server or the real Redis.

Load them in a test module with `pytest_plugins = ["tests.support.fixtures"]` (or once from
the root tests/conftest.py):

server       a started ScriptedServer on 127.0.0.1, stopped after the test
redis_space  RedisSpace(client, prefix) on the real Redis, db 15 (or INGEST_TEST_REDIS_URL),
             with a prefix unique to the test; every key under it is deleted afterwards.
             Skips the test when Redis cannot be reached.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from tests.support.httpserver import ScriptedServer
from tests.support.testenv import TEST_REDIS_URL, RedisSpace


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


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
