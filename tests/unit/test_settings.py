"""Settings: environment parsing, validation, derived limits."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from worker.settings import Settings


def test_lists_come_from_comma_separated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INGEST_FETCH_ALLOW_PRIVATE", "127.0.0.1, 10.0.0.0/8 ,intranet.example")
    monkeypatch.setenv("INGEST_RECRAWL_AGES", "600,7200")
    monkeypatch.setenv("INGEST_CRAWL_SOURCES", "demo")
    settings = Settings(_env_file=None)
    assert settings.fetch_allow_private == ["127.0.0.1", "10.0.0.0/8", "intranet.example"]
    assert settings.recrawl_ages == [600.0, 7200.0]
    assert settings.crawl_sources == ["demo"]


def test_a_bad_network_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INGEST_FETCH_ALLOW_PRIVATE", "10.0.0.0/33")
    with pytest.raises(ValidationError, match="10.0.0.0/33"):
        Settings(_env_file=None)


def test_soft_limits_leave_time_to_record_the_outcome() -> None:
    assert [Settings.soft_time_limit(h) for h in (60, 30, 20, 8)] == [45, 20, 10, 4]
    assert Settings().lease_seconds(60) > 60


def test_every_field_is_described() -> None:
    undocumented = [name for name, field in Settings.model_fields.items() if not field.description]
    assert not undocumented
