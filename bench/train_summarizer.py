"""Fit the summariser's sentence model on IndoSum's extractive labels, with k-fold CV.

Features come from bot.news.text.summary_features over the sentences the bot itself finds
(clean_article, then article_sentences); IndoSum's gold_labels index the dataset's own sentence
lists, so each of our sentences takes the label of the dataset sentence that covers most of its
words. IndoSum has no titles: the slug of the article's URL stands in for one. LightGBM fits
binary log-loss trees (fixed seed, one thread: the same file on every run); the trees are
exported to the small JSON that bot.news.text.summary_model evaluates without LightGBM.
Prints cross-validated ROUGE (each article summarised by a model that never saw its fold),
then with --write fits on all of dev and writes summary_model.json and summary_model.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from bench._data import require_shared_data
from bench.rouge import rouge_l, rouge_n, tokenize
from bot.news.text.article_sentences import Sentence, article_sentences
from bot.news.text.boilerplate import clean_article
from bot.news.text.summarize import MAX_CHARS, MAX_SENTENCES, select
from bot.news.text.summary_features import FEATURES, sentence_features
from bot.news.text.summary_model import FORMAT, MODEL_FILE, TreeModel

Array = npt.NDArray[np.float64]
SEED = 0
ROUNDS = 50
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 15,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "seed": SEED,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
_MIN_COVER = 0.5


@dataclass
class Article:
    """One IndoSum article as the bot sees it, with labels aligned to our sentences."""

    id: str
    title: str
    sentences: list[Sentence]
    tokens: list[list[str]]
    features: Array
    labels: Array
    reference: list[str]


def url_title(url: str) -> str:
    """Return the words of a URL's slug, the stand-in for a title IndoSum does not give."""
    parts = [p for p in url.split("?")[0].rstrip("/").split("/")[3:] if p]
    slug = max(parts, key=lambda p: p.count("-"), default="")
    return "" if "-" not in slug else re.sub(r"^\d+-\d+-\d+-", "", slug).replace("-", " ")


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
            title = url_title(row.get("source_url") or "")
            articles.append(
                Article(
                    row["id"],
                    title,
                    sentences,
                    tokens,
                    np.array(sentence_features(sentences, title), dtype=np.float64),
                    np.array([_aligned_label(set(t), gold) for t in tokens], dtype=np.float64),
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


def fit(articles: list[Article]) -> lgb.Booster:
    """Fit the trees on the sentences of articles."""
    data = lgb.Dataset(
        np.vstack([a.features for a in articles]),
        np.concatenate([a.labels for a in articles]),
        feature_name=[f"f{k}" for k in range(len(FEATURES))],
        free_raw_data=True,
    )
    return lgb.train(PARAMS, data, num_boost_round=ROUNDS)


def export(booster: lgb.Booster) -> dict[str, Any]:
    """Flatten LightGBM's trees into the arrays of summary_model.TreeModel."""
    nodes: dict[str, list[Any]] = {k: [] for k in ("feature", "threshold", "left", "right")}
    nodes["value"] = []
    roots: list[int] = []
    depth = 0

    def add(node: dict[str, Any], level: int) -> int:
        nonlocal depth
        index = len(nodes["feature"])
        for key in nodes:
            nodes[key].append(None)
        if "leaf_value" in node:
            depth = max(depth, level)
            _set(nodes, index, -1, 0.0, index, index, float(node["leaf_value"]))
            return index
        if node["decision_type"] != "<=" or node["missing_type"] not in ("None", None):
            raise ValueError(f"unsupported split: {node['decision_type']} {node['missing_type']}")
        left = add(node["left_child"], level + 1)
        right = add(node["right_child"], level + 1)
        _set(nodes, index, int(node["split_feature"]), float(node["threshold"]), left, right, 0.0)
        return index

    for tree in booster.dump_model()["tree_info"]:
        roots.append(add(tree["tree_structure"], 0))
    return {"format": FORMAT, "features": list(FEATURES), "depth": depth, "roots": roots,
            "nodes": nodes}  # fmt: skip


def _set(nodes: dict[str, list[Any]], index: int, *values: Any) -> None:
    """Write one node's feature, threshold, left, right and value."""
    for key, value in zip(("feature", "threshold", "left", "right", "value"), values, strict=True):
        nodes[key][index] = value


def folds_of(count: int, k: int) -> list[npt.NDArray[np.int64]]:
    """Split article positions into k folds, the same way on every run (seed 0)."""
    return np.array_split(np.random.default_rng(SEED).permutation(count), k)


def fold_models(articles: list[Article], k: int) -> dict[str, TreeModel]:
    """Map each article id to the model fitted on the other folds."""
    by_id: dict[str, TreeModel] = {}
    for held in folds_of(len(articles), k):
        out = set(held.tolist())
        model = TreeModel.from_dict(
            export(fit([a for i, a in enumerate(articles) if i not in out]))
        )
        by_id.update((articles[i].id, model) for i in held)
    return by_id


def picks(article: Article, model: TreeModel, max_chars: int = MAX_CHARS) -> list[int]:
    """Return the sentences the summariser would pick with model (see summarize.select)."""
    chances = model.probabilities(article.features)
    return select(article.sentences, chances, max_chars=max_chars, max_sentences=MAX_SENTENCES)


def scores(articles: list[Article], chosen: list[list[int]]) -> tuple[Array, float]:
    """Return mean ROUGE-1/2/L F1 (x100) of the picked sentences, and their mean characters."""
    totals = np.zeros(3)
    chars = 0
    for article, picked in zip(articles, chosen, strict=True):
        candidate = [t for i in picked for t in article.tokens[i]]
        ref = article.reference
        totals += (rouge_n(candidate, ref, 1), rouge_n(candidate, ref, 2), rouge_l(candidate, ref))
        chars += max(sum(len(article.sentences[i].text) + 1 for i in picked) - 1, 0)
    return 100 * totals / len(articles), chars / len(articles)


def main(argv: list[str] | None = None) -> None:
    """Cross-validate, fit on all articles, print a table and one JSON line."""
    default = require_shared_data() / "summarization" / "indosum_dev.jsonl"
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write summary_model.json")
    args = parser.parse_args(argv)

    articles = load(args.data)
    by_id = fold_models(articles, args.folds)
    results = {
        "lead3": scores(articles, [list(range(min(3, len(a.sentences)))) for a in articles]),
        "model cv": scores(articles, [picks(a, by_id[a.id]) for a in articles]),
    }
    booster = fit(articles)
    document = export(booster)
    final = TreeModel.from_dict(document)
    _check_export(booster, final, articles)
    results["model in-sample"] = scores(articles, [picks(a, final) for a in articles])
    positives = int(sum(a.labels.sum() for a in articles))
    sentences = sum(len(a.labels) for a in articles)
    print(f"{len(articles)} articles, {sentences} sentences, {positives} labelled in-summary")
    print(f"{args.folds}-fold CV: each article scored by the model fitted without its fold")
    print(f"{'system':<18} {'R-1':>7} {'R-2':>7} {'R-L':>7} {'chars':>6}")
    for name, (row, chars) in results.items():
        print(f"{name:<18} {row[0]:>7.2f} {row[1]:>7.2f} {row[2]:>7.2f} {chars:>6.0f}")
    gains = dict(zip(FEATURES, booster.feature_importance("gain"), strict=True))
    for feature, gain in sorted(gains.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {gain:>10.0f}  {feature}")
    if args.write:
        _write(document, args.data, len(articles), sentences, positives, results)
    figures = {k.replace(" ", "_"): [*(round(float(v), 3) for v in r), round(c)]
               for k, (r, c) in results.items()}  # fmt: skip
    print(json.dumps({"bench": "train_summarizer", "articles": len(articles), **figures}))


def _check_export(booster: lgb.Booster, model: TreeModel, articles: list[Article]) -> None:
    """Fail unless the exported trees score every sentence as LightGBM does."""
    rows = np.vstack([a.features for a in articles])
    expected = booster.predict(rows, raw_score=True)
    worst = float(np.abs(model.raw_scores(rows) - expected).max())
    if worst > 1e-9:
        raise SystemExit(f"exported trees differ from LightGBM by {worst}")


def _write(
    document: dict[str, Any],
    data: Path,
    articles: int,
    sentences: int,
    positives: int,
    results: dict[str, tuple[Array, float]],
) -> None:
    """Write the model file and, next to it, the card saying what it is and how it was made."""
    text = json.dumps(document, separators=(",", ":")) + "\n"
    MODEL_FILE.write_text(text, encoding="utf-8")
    size = len(text.encode())
    digest = hashlib.sha256(text.encode()).hexdigest()
    trees, nodes = len(document["roots"]), len(document["nodes"]["feature"])
    cv, chars = results["model cv"]
    lead, lead_chars = results["lead3"]
    params = ", ".join(f"{k}={v}" for k, v in PARAMS.items())
    card = f"""# summary_model.json

Written by `python -m bench.train_summarizer --write`; do not edit by hand.

- Size: {size:,} bytes, {trees} trees, {nodes:,} nodes, depth {document["depth"]}; sha256 {digest}.
- Training data: `../shared/data/summarization/{data.name}` (IndoSum dev folds, CC BY-SA 4.0):
  {articles:,} articles, {sentences:,} sentences as split by bot.news.text.article_sentences,
  {positives:,} labelled in-summary (IndoSum's gold labels aligned to our sentences). Titles are
  the slugs of the articles' URLs. The held-out evaluation set was never read.
- Learner: LightGBM {lgb.__version__}, {ROUNDS} rounds, {params}.
- Features: the {len(FEATURES)} columns of bot.news.text.summary_features.FEATURES.
- 5-fold cross-validated ROUGE-1/2/L F1 of the summaries it picks (max {MAX_CHARS} characters):
  {cv[0]:.2f} / {cv[1]:.2f} / {cv[2]:.2f}, mean {chars:.0f} characters; LEAD-3 on the same
  sentences {lead[0]:.2f} / {lead[1]:.2f} / {lead[2]:.2f}, mean {lead_chars:.0f} characters.
"""
    MODEL_FILE.with_suffix(".md").write_text(card, encoding="utf-8")
    print(f"wrote {MODEL_FILE} ({size:,} bytes) and its card")


if __name__ == "__main__":
    main()
