"""Measure sentence-boundary precision and recall on the UD Indonesian gold sentences."""

from __future__ import annotations

import csv
import json
import time
from collections import defaultdict
from pathlib import Path

from bench._data import require_shared_data
from bot.news.text.sentences import sentence_spans


def load_documents(path: Path) -> list[tuple[str, str, set[int]]]:
    """Join each treebank file's sentences with spaces: (file, text, gold start offsets)."""
    by_file: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            by_file[row["file"]].append(row["text"].strip())
    documents = []
    for name, sentences in by_file.items():
        starts, offset = set(), 0
        for sentence in sentences:
            if offset:
                starts.add(offset)
            offset += len(sentence) + 1
        documents.append((name, " ".join(sentences), starts))
    return documents


def boundary_scores(documents: list[tuple[str, set[int]]]) -> dict[str, float]:
    """Return precision, recall and F1 of predicted sentence starts (the first excluded)."""
    true_pos = predicted = gold = 0
    for text, starts in documents:
        found = {start for start, _ in sentence_spans(text)[1:]}
        true_pos += len(found & starts)
        predicted += len(found)
        gold += len(starts)
    precision = true_pos / predicted if predicted else 0.0
    recall = true_pos / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": gold, "found": predicted}


def _row(name: str, scores: dict[str, float]) -> None:
    """Print one line of the table."""
    print(
        f"{name:<10} {scores['gold']:>6.0f} {scores['precision']:>10.4f}"
        f" {scores['recall']:>8.4f} {scores['f1']:>8.4f}"
    )


def main() -> None:
    """Print boundary precision/recall on the UD gold sentences and one JSON line."""
    path = require_shared_data() / "nlp" / "ud_id_sentences.tsv"
    documents = load_documents(path)
    started = time.process_time()
    scores = boundary_scores([(text, starts) for _, text, starts in documents])
    elapsed = time.process_time() - started
    chars = sum(len(text) for _, text, _ in documents)
    print(f"{'treebank':<10} {'gold':>6} {'precision':>10} {'recall':>8} {'f1':>8}")
    for bank in ("csui", "gsd"):
        part = boundary_scores([(t, s) for name, t, s in documents if name.startswith(bank)])
        _row(bank, part)
    _row("all", scores)
    print(f"{'speed':>12} {chars / elapsed / 1e6:.2f} MB/s CPU")
    print(json.dumps({"bench": "sentences", **scores, "cpu_s": round(elapsed, 4)}))


if __name__ == "__main__":
    main()
