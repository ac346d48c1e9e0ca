"""Shared helpers for the discovery tests: fixture loading."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "discover"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
