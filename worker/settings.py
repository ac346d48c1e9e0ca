"""Every setting in one typed class: environment variables prefixed INGEST_, or a .env file.

Defaults work on a laptop: SQLite under data/, Redis on localhost. Production values
(PostgreSQL, a longer visibility timeout) come from the environment; see docker-compose.yml.
"""

from __future__ import annotations

import functools
import ipaddress
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
# A checkout keeps its data and config beside the code; an installed package uses the cwd.
HOME = REPO_ROOT if (REPO_ROOT / "pyproject.toml").exists() else Path.cwd()


class ConfigurationError(ValueError):
    """Settings that would make the worker unsafe to start."""


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="INGEST_", env_file=".env", extra="ignore", frozen=True
    )

    # --- services -------------------------------------------------------------------
    redis_url: str = Field(
        "redis://127.0.0.1:6379/0", description="Celery broker (Redis); also holds locks."
    )
    redis_key_prefix: str = Field(
        "",
        description="Prefix for every Celery key in Redis, to share one Redis between deployments.",
    )
    database_url: str = Field(
        f"sqlite:///{HOME / 'data' / 'ingest.db'}",
        description="SQLAlchemy URL: SQLite by default, postgresql+psycopg://... to scale out.",
    )
    config_dir: Path = Field(
        HOME / "config", description="Folder holding sources.toml and profiles/*.toml."
    )

    crawl_sources: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Source ids (comma-separated) that beat crawls; empty means every enabled source "
            "in sources.toml. `make run` sets it to `demo`."
        ),
    )

    recrawl_ages: Annotated[list[float], NoDecode] = Field(
        default_factory=lambda: [3600.0, 86400.0],
        description=(
            "Article ages (seconds since first seen, comma-separated) at which a stored article "
            "is fetched again, conditionally, to catch updates; empty disables re-crawls."
        ),
    )
    recrawl_interval: float = Field(300.0, description="Seconds between re-crawl sweeps on beat.")

    # --- fetch ----------------------------------------------------------------------
    user_agent: str = Field(
        "NewsIngestBot/0.1 (+https://github.com/news-ingest/worker; bot@news-ingest.example)",
        description="Sent with every request; its product token is matched against robots.txt.",
    )
    fetch_connect_timeout: float = Field(5.0, description="Seconds to open a connection.")
    fetch_read_timeout: float = Field(10.0, description="Seconds to wait for each read.")
    fetch_deadline: float = Field(
        30.0, description="Total seconds for one fetch, redirects included (stops drip-feeds)."
    )
    fetch_max_bytes: int = Field(
        10 * 1024 * 1024, description="Body cap, on the wire and again after decompression."
    )
    fetch_max_redirects: int = Field(5, description="Redirect hops followed, each one checked.")
    fetch_allow_private: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Hosts or networks (comma-separated) that may be fetched although they resolve "
            "to loopback or private addresses. Empty by default: such addresses are refused."
        ),
    )
    fetch_allowed_ports: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [80, 443],
        description="Ports that may be fetched; hosts in fetch_allow_private may use any port.",
    )
    fetch_dns_timeout: float = Field(
        5.0, description="Seconds to wait for a DNS lookup (run in a thread) before giving up."
    )
    fetch_warn_bytes: int = Field(
        2 * 1024 * 1024, description="Bodies larger than this are logged as a warning."
    )
    fetch_host_interval: float = Field(
        1.0,
        description=(
            "Minimum seconds between requests to one host, across all workers; a larger "
            "robots.txt Crawl-delay wins."
        ),
    )
    fetch_host_concurrency: int = Field(
        1, description="Requests in flight to one host at a time, across all workers."
    )
    fetch_host_lease: float = Field(
        90.0,
        description=(
            "Seconds a per-host in-flight slot is held at most, so a crashed worker cannot keep "
            "it; must exceed fetch_deadline."
        ),
    )
    robots_cache_ttl: int = Field(
        24 * 3600,
        description="Seconds a fetched robots.txt (or a 4xx meaning allow-all) is cached.",
    )
    robots_error_ttl: int = Field(
        3600,
        description="Seconds a 5xx/timeout robots.txt (meaning disallow-all) is cached.",
    )
    robots_max_bytes: int = Field(
        500 * 1024, description="robots.txt bytes parsed at most (RFC 9309 asks for 500 KiB)."
    )
    robots_max_crawl_delay: float = Field(
        30.0,
        description=(
            "Largest robots.txt Crawl-delay honoured (seconds); a host asking for more is "
            "skipped (its URLs end blocked) rather than crawled faster than it asked."
        ),
    )
    page_retention_days: int = Field(
        30, description="Raw page bodies older than this are dropped (0 keeps them forever)."
    )

    # --- ledger and Celery ------------------------------------------------------------
    max_attempts: int = Field(3, description="Claims per stage before a row becomes terminal.")
    visibility_timeout: int = Field(
        3600,
        description=(
            "Seconds Redis waits for an ack before redelivering; must exceed every hard time "
            "limit and the longest retry delay."
        ),
    )
    fetch_time_limit: int = Field(60, description="Hard time limit of ingest.fetch (seconds).")
    parse_time_limit: int = Field(30, description="Hard time limit of ingest.parse (seconds).")
    store_time_limit: int = Field(30, description="Hard time limit of ingest.store (seconds).")
    retry_backoff_max: int = Field(600, description="Longest retry delay (seconds).")
    database_max_retries: int = Field(
        12,
        description=(
            "Celery retries of a stage while the database is unreachable, with exponential "
            "backoff up to retry_backoff_max; other retries are counted by the ledger."
        ),
    )
    reconcile_interval: float = Field(60.0, description="Seconds between reconcile runs on beat.")
    reconcile_staleness: float = Field(
        3700.0,
        description=(
            "A pending row untouched this long, with no live lease, is re-published. Keep it "
            "above visibility_timeout so it does not race Redis redelivery."
        ),
    )
    reconcile_batch: int = Field(500, description="Rows re-published per reconcile run.")
    worker_concurrency: int = Field(2, description="Worker processes started by `ingest worker`.")
    worker_max_memory_mib: int = Field(
        300,
        description=(
            "A pool child whose resident memory passes this (MiB) is replaced after its "
            "current task; recycles children that leak in C extensions."
        ),
    )

    @field_validator(
        "fetch_allow_private", "fetch_allowed_ports", "crawl_sources", "recrawl_ages", mode="before"
    )
    @classmethod
    def _comma_list(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("fetch_allow_private")
    @classmethod
    def _valid_hosts_or_networks(cls, value: list[str]) -> list[str]:
        for item in value:
            if "/" in item:
                ipaddress.ip_network(item, strict=False)
        return value

    @model_validator(mode="after")
    def _lease_fits(self) -> Settings:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        return self

    @staticmethod
    def soft_time_limit(hard_limit: int) -> int:
        """Soft limit for a hard limit: time left to record the outcome before the kill."""
        return hard_limit - max(hard_limit // 4, min(10, hard_limit // 2))

    def lease_seconds(self, hard_limit: int) -> float:
        """How long a claim holds a row: the task's hard limit plus a margin."""
        return hard_limit + 15.0

    def check_broker_safety(self) -> None:
        """Refuse settings under which Redis would redeliver tasks that are still running."""
        longest = max(self.fetch_time_limit, self.parse_time_limit, self.store_time_limit)
        if self.visibility_timeout <= longest:
            raise ConfigurationError(
                f"INGEST_VISIBILITY_TIMEOUT={self.visibility_timeout} must exceed the longest "
                f"hard time limit ({longest} s), or Redis redelivers tasks that are still running"
            )
        if self.visibility_timeout <= self.retry_backoff_max:
            raise ConfigurationError(
                f"INGEST_VISIBILITY_TIMEOUT={self.visibility_timeout} must exceed "
                f"INGEST_RETRY_BACKOFF_MAX={self.retry_backoff_max}, or delayed retries run twice"
            )

    @property
    def sources_file(self) -> Path:
        return self.config_dir / "sources.toml"

    @property
    def profiles_dir(self) -> Path:
        return self.config_dir / "profiles"


@functools.cache
def get_settings() -> Settings:
    return Settings()
