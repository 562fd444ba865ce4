"""Tests for the summariser's tree model: file format, evaluation, export and selection."""

from __future__ import annotations

import copy
import json
from typing import Any

import lightgbm as lgb
import numpy as np
import pytest

from bench.train_summarizer import PARAMS, export, url_title
from bot.news.text.article_sentences import article_sentences
from bot.news.text.summarize import select, summarize
from bot.news.text.summary_features import FEATURES, sentence_features
from bot.news.text.summary_model import MODEL_FILE, ModelFileError, TreeModel, shipped_model

QUESTION = FEATURES.index("ends with a question mark")
ARTICLE = (
    "Pemerintah Kota Surabaya menaikkan anggaran perbaikan jalan tahun ini.\n"
    "Apa dampaknya bagi warga?\n"
    "Sebanyak 120 ruas jalan di Surabaya akan diperbaiki mulai Maret hingga Desember."
)


def one_split(feature: int, threshold: float, low: float, high: float) -> dict[str, Any]:
    """Return a model file of one tree: feature <= threshold scores low, else high."""
    return {
        "format": "newsbot-trees-1",
        "features": list(FEATURES),
        "depth": 1,
        "roots": [0],
        "nodes": {
            "feature": [feature, -1, -1],
            "threshold": [threshold, 0.0, 0.0],
            "left": [1, 1, 2],
            "right": [2, 1, 2],
            "value": [0.0, low, high],
        },
    }


def test_the_shipped_model_loads_and_knows_every_feature() -> None:
    model = shipped_model()
    assert model.features == FEATURES
    rows = sentence_features(article_sentences(ARTICLE))
    chances = model.probabilities(rows)
    assert len(chances) == 3 and all(0 < p < 1 for p in chances)
    assert chances[1] < chances[0]  # a question is rarely in a summary; the lead often is
    assert MODEL_FILE.with_suffix(".md").read_text(encoding="utf-8").count("bytes") >= 1


def test_one_split_is_evaluated_exactly() -> None:
    model = TreeModel.from_dict(one_split(QUESTION, 0.5, -3.0, 4.0))
    rows = sentence_features(article_sentences(ARTICLE))
    assert list(model.raw_scores(rows)) == [-3.0, 4.0, -3.0]
    assert model.probabilities(rows)[1] == pytest.approx(1 / (1 + np.exp(-4.0)))


def test_summarize_follows_the_given_model() -> None:
    model = TreeModel.from_dict(one_split(QUESTION, 0.5, -3.0, 4.0))
    assert summarize(ARTICLE, model=model) == "Apa dampaknya bagi warga?"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("format",), "xgboost", "not a newsbot-trees-1 model"),
        (("nodes", "left"), [1, 7, 2], "outside the nodes"),
        (("nodes", "feature"), [len(FEATURES), -1, -1], "feature the model does not list"),
        (("nodes", "value"), [0.0], "differ in length"),
        (("depth",), 0, "deeper than"),
    ],
)
def test_a_broken_model_file_is_refused(path: tuple[str, ...], value: Any, message: str) -> None:
    data = copy.deepcopy(one_split(QUESTION, 0.5, -3.0, 4.0))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ModelFileError, match=message):
        TreeModel.from_dict(data)


def test_exported_trees_score_as_lightgbm_does() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(3000, len(FEATURES)))
    x[:, 2] = rng.integers(0, 4, 3000)  # ties at thresholds, as counts give
    logits = 2 * x[:, 0] - x[:, 1] * x[:, 2] + (x[:, 3] > 0.5)
    y = (rng.uniform(size=3000) < 1 / (1 + np.exp(-logits))).astype(np.float64)
    booster = lgb.train(PARAMS, lgb.Dataset(x, y), num_boost_round=20)
    document = json.loads(json.dumps(export(booster)))  # through JSON, as shipped
    model = TreeModel.from_dict(document)
    probe = np.vstack([x[:500], rng.normal(size=(500, len(FEATURES)))])
    assert np.abs(model.raw_scores(probe) - booster.predict(probe, raw_score=True)).max() < 1e-9


def test_select_stops_when_expected_f1_stops_growing() -> None:
    sentences = article_sentences(
        "Kalimat pertama yang berisi fakta utama dari berita hari ini.\n"
        "Kalimat kedua yang juga berisi fakta penting dari berita ini.\n"
        "Kalimat ketiga hanya berisi keterangan tambahan yang jarang dipakai."
    )
    assert select(sentences, [0.9, 0.8, 0.05], max_chars=600, max_sentences=5) == [0, 1]
    assert select(sentences, [0.9, 0.8, 0.7], max_chars=600, max_sentences=5) == [0, 1, 2]
    assert select(sentences, [0.9, 0.8, 0.7], max_chars=600, max_sentences=1) == [0]
    assert select(sentences, [0.9, 0.8, 0.7], max_chars=10, max_sentences=5) == []


def test_select_skips_a_repeated_sentence() -> None:
    sentences = article_sentences(
        "Gubernur Jawa Timur meresmikan jembatan baru di Kabupaten Lamongan pada Senin pagi.\n"
        "Gubernur Jawa Timur meresmikan jembatan baru di Kabupaten Lamongan pada Senin.\n"
        "Jembatan itu menghubungkan dua kecamatan yang selama ini terpisah oleh sungai."
    )
    assert select(sentences, [0.9, 0.85, 0.6], max_chars=600, max_sentences=5) == [0, 2]


@pytest.mark.parametrize(
    ("url", "title"),
    [
        (
            "http://www.cnnindonesia.com/internasional/20161114181556-113-172626/"
            "presiden-korsel-akan-diperiksa/",
            "presiden korsel akan diperiksa",
        ),
        (
            "https://kumparan.com/nur-khafifah/kpk-ada-300-lebih-pengaduan",
            "kpk ada 300 lebih pengaduan",
        ),
        ("https://example.com/berita/123456", ""),
    ],
)
def test_url_title(url: str, title: str) -> None:
    assert url_title(url) == title
