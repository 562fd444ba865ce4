"""Fit the summariser's sentence scorer on IndoSum's extractive labels, with k-fold CV.

Features come from bot.news.text.summarize.sentence_features over the sentences the bot itself
finds (clean_article, then split_sentences); IndoSum's gold_labels index the dataset's own
sentence lists, so each of our sentences takes the label of the dataset sentence that covers
most of its words. Logistic regression is fitted with numpy (Newton steps, L2): a dozen lines,
so no scikit-learn dependency. Reports ROUGE on held-out folds, then fits on all of dev and
with --write rewrites the MODEL constant in bot/news/text/summary_model.py.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench._data import require_shared_data
from bench.rouge import rouge_l, rouge_n, tokenize
from bot.news.text.boilerplate import clean_article
from bot.news.text.summarize import Sentence, article_sentences, select, sentence_features
from bot.news.text.summary_model import FEATURES, SentenceModel

Array = npt.NDArray[np.float64]
_MODEL_FILE = Path(__file__).resolve().parents[1] / "bot" / "news" / "text" / "summary_model.py"
_MIN_COVER = 0.5


@dataclass
class Article:
    """One IndoSum article as the bot sees it, with labels aligned to our sentences."""

    id: str
    sentences: list[Sentence]
    tokens: list[list[str]]
    features: Array
    labels: Array
    reference: list[str]


def load(path: Path) -> list[Article]:
    """Read IndoSum JSONL, clean and split each article, and align the gold labels."""
    articles = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            text = "\n\n".join(" ".join(par) for par in row["paragraphs"])
            sentences = article_sentences(clean_article(text).body)
            if not sentences:
                continue
            gold = [
                (set(tokenize(s)), bool(label))
                for par, labels in zip(row["paragraphs"], row["gold_labels"], strict=True)
                for s, label in zip(par, labels, strict=True)
            ]
            tokens = [tokenize(s.text) for s in sentences]
            labels = [_aligned_label(set(t), gold) for t in tokens]
            articles.append(
                Article(
                    row["id"],
                    sentences,
                    tokens,
                    np.array(sentence_features(sentences), dtype=np.float64),
                    np.array(labels, dtype=np.float64),
                    tokenize(" ".join(row["summary"])),
                )
            )
    return articles


def _aligned_label(words: set[str], gold: list[tuple[set[str], bool]]) -> float:
    """Return the label of the dataset sentence covering most of words (0 if none covers half)."""
    if not words:
        return 0.0
    cover, label = max((len(words & g) / len(words), lab) for g, lab in gold)
    return float(label and cover >= _MIN_COVER)


def fit(features: Array, labels: Array, l2: float) -> SentenceModel:
    """Fit L2 logistic regression on standardised features; return raw-feature weights."""
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale == 0] = 1.0
    x = np.hstack([np.ones((len(features), 1)), (features - mean) / scale])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0  # the intercept is not shrunk
    for _ in range(25):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - labels) + penalty * w
        hessian = (x.T * (p * (1 - p))) @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = w[1:] / scale
    bias = w[0] - float(weights @ mean)
    return SentenceModel(tuple(float(v) for v in weights), float(bias))


def folds_of(count: int, k: int) -> list[npt.NDArray[np.int64]]:
    """Split article positions into k folds, the same way on every run (seed 0)."""
    return np.array_split(np.random.default_rng(0).permutation(count), k)


def fold_models(
    articles: list[Article], folds: list[npt.NDArray[np.int64]], l2: float
) -> list[SentenceModel]:
    """Fit one model per fold on the articles of every other fold."""
    models = []
    for k in range(len(folds)):
        train = [articles[i] for f, idx in enumerate(folds) if f != k for i in idx]
        models.append(
            fit(
                np.vstack([a.features for a in train]),
                np.concatenate([a.labels for a in train]),
                l2,
            )
        )
    return models


def evaluate(articles: list[Article], model: SentenceModel | None, max_chars: int) -> Array:
    """Return mean ROUGE-1/2/L F1 (x100) of the model's picks, or LEAD when model is None."""
    totals = np.zeros(3)
    weights = np.array(model.weights) if model else np.zeros(len(FEATURES))
    for article in articles:
        if model is None:  # lead: the first sentences, in order, that fit
            chosen = _lead(article.sentences, max_chars)
        else:
            scores = list(article.features @ weights + model.bias)
            chosen = select(article.sentences, scores, max_chars=max_chars, max_sentences=3)
        candidate = [t for i in chosen for t in article.tokens[i]]
        ref = article.reference
        totals += (
            rouge_n(candidate, ref, 1),
            rouge_n(candidate, ref, 2),
            rouge_l(candidate, ref),
        )
    return 100 * totals / len(articles)


def _lead(sentences: list[Sentence], max_chars: int) -> list[int]:
    """Return the indices of the first sentences (at most three) that fit within max_chars."""
    chosen: list[int] = []
    used = 0
    for s in sentences[:3]:
        used += len(s.text) + (1 if chosen else 0)
        if used > max_chars:
            break
        chosen.append(s.index)
    return chosen


def main(argv: list[str] | None = None) -> None:
    """Cross-validate, fit on all articles, print tables and one JSON line."""
    default = require_shared_data() / "summarization" / "indosum_dev.jsonl"
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--max-chars", type=int, default=400)
    parser.add_argument("--write", action="store_true", help="rewrite summary_model.MODEL")
    args = parser.parse_args(argv)

    articles = load(args.data)
    folds = folds_of(len(articles), args.folds)
    models = fold_models(articles, folds, args.l2)
    budgets = {f"{args.max_chars}c": args.max_chars, "3 sent": 1_000_000}
    results: dict[str, Array] = {}
    for name, budget in budgets.items():
        per_fold = [
            evaluate([articles[i] for i in held], model, budget)
            for held, model in zip(folds, models, strict=True)
        ]
        results[f"lead3 {name}"] = evaluate(articles, None, budget)
        results[f"model {name} cv"] = np.mean(per_fold, axis=0)
    final = fit(
        np.vstack([a.features for a in articles]),
        np.concatenate([a.labels for a in articles]),
        args.l2,
    )
    for name, budget in budgets.items():
        results[f"model {name} in-sample"] = evaluate(articles, final, budget)

    positives = int(sum(a.labels.sum() for a in articles))
    total = sum(len(a.labels) for a in articles)
    print(f"{len(articles)} articles, {total} sentences, {positives} labelled in-summary")
    print(f"{args.folds}-fold CV (mean of folds); in-sample = fitted and scored on all articles")
    print(f"{'system':<24} {'R-1':>7} {'R-2':>7} {'R-L':>7}")
    for name, row in results.items():
        print(f"{name:<24} {row[0]:>7.2f} {row[1]:>7.2f} {row[2]:>7.2f}")
    for feature, weight in zip(FEATURES, final.weights, strict=True):
        print(f"  {weight:>+8.3f}  {feature}")
    print(f"  {final.bias:>+8.3f}  bias")
    if args.write:
        _write(final)
    figures = {k.replace(" ", "_"): [round(float(v), 3) for v in r] for k, r in results.items()}
    print(json.dumps({"bench": "train_summarizer", "articles": len(articles), **figures}))


def _write(model: SentenceModel) -> None:
    """Replace the MODEL assignment at the end of summary_model.py with the fitted values."""
    weights = "".join(f"        {w!r},\n" for w in model.weights)
    bias = f"    bias={model.bias!r},\n"
    block = f"MODEL = SentenceModel(\n    weights=(\n{weights}    ),\n{bias})\n"
    source = _MODEL_FILE.read_text(encoding="utf-8")
    head = re.split(r"^(?:# Placeholder.*\n)?MODEL = ", source, flags=re.M)[0]
    _MODEL_FILE.write_text(head + block, encoding="utf-8")


if __name__ == "__main__":
    main()
