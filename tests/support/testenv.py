"""Settings and Redis namespaces for tests that talk to the local server or the real Redis."""

from __future__ import annotations

import os
from dataclasses import dataclass

import redis

from worker.settings import Settings

TEST_REDIS_URL = os.environ.get("INGEST_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def fetch_settings(**overrides: object) -> Settings:
    """Settings for local fetch tests: 127.0.0.1 allowlisted, short timeouts, no .env file."""
    values: dict[str, object] = {
        "fetch_allow_private": ["127.0.0.1"],
        "fetch_connect_timeout": 2.0,
        "fetch_read_timeout": 2.0,
        "fetch_deadline": 5.0,
        "fetch_dns_timeout": 1.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class RedisSpace:
    """A Redis client plus a key prefix unique to one test."""

    client: redis.Redis
    prefix: str

    def key(self, name: str) -> str:
        return self.prefix + name
