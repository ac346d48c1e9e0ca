"""Golden-file helpers: run the extractor on tests/fixtures/pages and compare with the JSON beside it."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from worker.parse import extract_article

PAGES = Path(__file__).parent / "fixtures" / "pages"


def golden_cases() -> dict[str, str]:
    """Page name -> URL, from pages.toml."""
    with (PAGES / "pages.toml").open("rb") as handle:
        return {name: entry["url"] for name, entry in tomllib.load(handle).items()}


def extract_case(name: str, url: str) -> dict[str, Any]:
    html = (PAGES / f"{name}.html").read_bytes()
    return extract_article(html, url).model_dump(mode="json")


def expected(name: str) -> dict[str, Any]:
    return json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))


def write_expected(name: str, data: dict[str, Any]) -> Path:
    path = PAGES / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
