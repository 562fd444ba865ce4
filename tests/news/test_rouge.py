"""Tests for the benchmark's ROUGE implementation."""

from __future__ import annotations

import pytest

from bench.rouge import lcs_length, rouge, rouge_l, rouge_n, tokenize


def test_tokenize_matches_indosum_preprocessing() -> None:
    assert tokenize("Harga naik 12,5% di Jl. Sudirman — kata Budi!") == [
        "harga", "naik", "00", "0", "di", "jl", "sudirman", "kata", "budi",
    ]  # fmt: skip
    assert tokenize("Ekspor “Kopi” Gayo") == ["ekspor", "kopi", "gayo"]


def test_identical_texts_score_one() -> None:
    assert rouge("Harga beras naik.", "harga beras NAIK") == {
        "rouge1": 1.0,
        "rouge2": 1.0,
        "rougeL": 1.0,
    }


def test_disjoint_texts_score_zero() -> None:
    assert rouge("satu dua", "tiga empat") == {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    assert rouge("", "tiga empat")["rouge1"] == 0.0


def test_known_values() -> None:
    cand = ["the", "cat", "was", "found", "under", "the", "bed"]
    ref = ["the", "cat", "was", "under", "the", "bed"]
    # Unigrams: 6 overlap, P=6/7, R=6/6.
    assert rouge_n(cand, ref, 1) == pytest.approx(2 * (6 / 7) / (6 / 7 + 1))
    # Bigrams: the-cat, cat-was, under-the, the-bed overlap: P=4/6, R=4/5.
    assert rouge_n(cand, ref, 2) == pytest.approx(2 * (4 / 6) * (4 / 5) / (4 / 6 + 4 / 5))
    assert lcs_length(cand, ref) == 6
    assert rouge_l(cand, ref) == pytest.approx(rouge_n(cand, ref, 1))


def test_counts_are_clipped() -> None:
    assert rouge_n(["a", "a", "a"], ["a"], 1) == pytest.approx(2 * (1 / 3) / (1 / 3 + 1))
