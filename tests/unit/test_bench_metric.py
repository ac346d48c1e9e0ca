"""The benchmark's body metric: 4-gram shingles of \\w+ tokens, multiset TP/FP/FN per page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.extraction import check_floor, f1, page_scores, set_f1, shingles

TRUTH = "The quick brown fox jumps over the lazy dog near the river bank today"


def test_shingles_are_lowercased_word_4grams() -> None:
    got = shingles("The quick, brown FOX jumps")
    assert got == {("the", "quick", "brown", "fox"): 1, ("quick", "brown", "fox", "jumps"): 1}


def test_short_text_is_one_shingle_and_empty_is_none() -> None:
    assert shingles("two words") == {("two", "words"): 1}
    assert not shingles("  ,;  ")


def test_identical_text_scores_one() -> None:
    assert page_scores(TRUTH, TRUTH) == (1.0, 1.0)


def test_extra_text_lowers_precision_only() -> None:
    precision, recall = page_scores(
        TRUTH + " Share this article on Facebook and Twitter now", TRUTH
    )
    assert recall == 1.0
    assert 0.5 < precision < 1.0


def test_missing_text_lowers_recall_only() -> None:
    precision, recall = page_scores("The quick brown fox jumps over the lazy dog", TRUTH)
    assert precision == 1.0
    assert recall == pytest.approx(6 / 11)  # 6 of the 11 true shingles


def test_multisets_count_repeats() -> None:
    once = "alpha beta gamma delta"
    precision, recall = page_scores(once + " " + once, once)
    assert recall == 1.0
    assert precision == pytest.approx(1 / 5)  # 5 shingles predicted, 1 true


def test_empty_output_scores_zero() -> None:
    assert page_scores("", TRUTH) == (0.0, 0.0)
    assert page_scores("", "") == (1.0, 1.0)


def test_f1_and_author_set_f1() -> None:
    assert f1(1.0, 0.5) == pytest.approx(2 / 3)
    assert f1(0.0, 0.0) == 0.0
    assert set_f1(["Jane Doe", "John Roe"], ["jane  doe"]) == pytest.approx(2 / 3)
    assert set_f1([], []) == 1.0


def test_quality_floor(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(
        json.dumps({"figures": {"fundus.body_f1": 0.92, "htmldate.date_accuracy": 0.86}})
    )
    ok = {"sources": {"fundus": {"body_f1": 0.915}, "htmldate": {"date_accuracy": 0.87}}}
    bad = {"sources": {"fundus": {"body_f1": 0.90}, "htmldate": {"date_accuracy": 0.87}}}
    assert check_floor(ok, baseline) == []
    assert len(check_floor(bad, baseline)) == 1
