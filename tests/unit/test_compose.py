"""docker-compose.yml validates offline (Docker itself does not run on the CI machine)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_compose_file_validates() -> None:
    env = {**os.environ, "FLOWER_PASSWORD": "test-only", "REDIS_PASSWORD": "test-only"}
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
@pytest.mark.parametrize("secret", ["FLOWER_PASSWORD", "REDIS_PASSWORD"])
def test_compose_refuses_to_start_without_its_passwords(secret: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_PASSWORD")}
    env |= {"FLOWER_PASSWORD": "test-only", "REDIS_PASSWORD": "test-only"}
    del env[secret]
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0 and secret in result.stderr
