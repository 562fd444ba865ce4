"""Learned weights of the sentence scorer used by bot.news.text.summarize.

Made by `python -m bench.train_summarizer`: L2-regularised logistic regression (numpy, Newton
steps) on IndoSum's per-sentence extractive gold labels in ../shared/data/summarization/
indosum_dev.jsonl, fitted on all 2,092 dev articles after 5-fold cross-validation. Features
were standardised for the fit; the means and scales are folded into these weights so that
scoring is a plain dot product over the raw features of bot.news.text.summarize.sentence_features.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SentenceModel:
    """Weights of a linear sentence score: bias + sum(weight * feature)."""

    weights: tuple[float, ...]
    bias: float


# Order of the features, as computed by bot.news.text.summarize.sentence_features.
FEATURES = (
    "first sentence",
    "second sentence",
    "third sentence",
    "1 / (1 + sentence index)",
    "sentence index / 30, capped",
    "sentence index / sentence count",
    "first paragraph",
    "1 / (1 + paragraph index)",
    "first in its paragraph",
    "1 / (1 + index in paragraph)",
    "log(1 + words)",
    "fewer than 5 words",
    "centrality (cosine with the other sentences)",
    "cosine with the first sentence",
    "share of digits",
    "contains a quotation mark",
    "starts with a quotation mark",
    "ends with a question mark",
    "share of capitalised words after the first",
    "log(sentence count)",
)

MODEL = SentenceModel(
    weights=(
        -3.275164964792777,
        -1.415369063409152,
        -0.39460298327338966,
        6.512083452133447,
        2.342509182537154,
        -2.4413164654764,
        -2.5256151234869013,
        5.406986796233654,
        -1.440703849380792,
        3.238703987706079,
        -0.13867714130418252,
        0.5756243191939283,
        2.3753038326025377,
        -1.3466815811427946,
        2.9753408803186394,
        -0.4268901459408341,
        -1.70521025263424,
        -2.01250553892175,
        0.4910610278952908,
        -0.9240558611352667,
    ),
    bias=-2.821587997898201,
)
