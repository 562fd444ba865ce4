"""Measure topic classification against IndoSum's category labels (dev folds only).

IndoSum's categories are coarser than the taxonomy, so each maps to the set of topic slugs it
covers; "tajuk utama" (front-page headlines on any subject) and "inspirasi" (human-interest
stories) name no topic and are left out of every figure. Only predicted topics inside the
judged space (the union of those sets) are scored for precision: IndoSum cannot say whether
"ekonomi" on a technology story is wrong. Run ``python -m bench.topics``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench._data import require_shared_data
from bot.news.topics.classify import classify

# IndoSum category -> the taxonomy slugs it covers. IndoSum's "hiburan" is CNN Indonesia's
# "gaya-hidup" and Merdeka's "sehat" as much as entertainment; its "teknologi" includes science
# and the otomotif desks of some outlets.
INDOSUM_TOPICS: dict[str, frozenset[str]] = {
    "olahraga": frozenset({"olahraga", "sepak-bola"}),
    "showbiz": frozenset({"hiburan", "seleb"}),
    "hiburan": frozenset({"hiburan", "seleb", "gaya-hidup", "kesehatan", "travel"}),
    "teknologi": frozenset({"teknologi", "sains", "otomotif"}),
}
EXCLUDED = ("tajuk utama", "inspirasi")
JUDGED: frozenset[str] = frozenset().union(*INDOSUM_TOPICS.values())


@dataclass
class Tally:
    """Counts behind the figures of one category (or of all of them)."""

    articles: int = 0
    top_hits: int = 0
    any_hits: int = 0
    judged: int = 0
    judged_hits: int = 0
    tops: Counter[str] = field(default_factory=Counter)

    def add(self, predicted: list[str], accepted: frozenset[str]) -> None:
        """Count one article's prediction against the slugs its label accepts."""
        self.articles += 1
        self.top_hits += predicted[0] in accepted
        self.any_hits += any(t in accepted for t in predicted)
        judged = [t for t in predicted if t in JUDGED]
        self.judged += len(judged)
        self.judged_hits += sum(t in accepted for t in judged)
        self.tops[predicted[0]] += 1

    def figures(self) -> dict[str, float]:
        """Return top-1 precision, precision over judged topics and recall, as fractions."""
        return {
            "n": self.articles,
            "top1_precision": self.top_hits / max(self.articles, 1),
            "precision": self.judged_hits / max(self.judged, 1),
            "recall": self.any_hits / max(self.articles, 1),
        }


def load_indosum(path: Path) -> Iterator[tuple[str, str, str]]:
    """Yield (category, url, text) for each article of an IndoSum jsonl file."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            text = "\n".join(" ".join(paragraph) for paragraph in row["paragraphs"])
            yield row["category"], row["source_url"], text


def evaluate(path: Path, *, use_url: bool) -> tuple[dict[str, Tally], float]:
    """Classify every mapped article; return tallies per category (and "all") and ms/article."""
    tallies: dict[str, Tally] = {"all": Tally()}
    elapsed = 0.0
    for category, url, text in load_indosum(path):
        accepted = INDOSUM_TOPICS.get(category)
        if accepted is None:
            continue
        start = time.perf_counter()
        predicted = classify(title="", text=text, url=url if use_url else "")
        elapsed += time.perf_counter() - start
        tallies.setdefault(category, Tally()).add(predicted, accepted)
        tallies["all"].add(predicted, accepted)
    return tallies, 1000 * elapsed / max(tallies["all"].articles, 1)


def main() -> None:
    """Print a per-category table for text only and text+URL, then one JSON line."""
    path = require_shared_data() / "summarization" / "indosum_dev.jsonl"
    verbose = "-v" in sys.argv
    summary: dict[str, object] = {"excluded_categories": list(EXCLUDED)}
    for mode, use_url in (("text", False), ("text+url", True)):
        tallies, ms = evaluate(path, use_url=use_url)
        n = tallies["all"].articles
        print(f"\n{mode}: IndoSum dev, {n} mapped articles, {ms:.2f} ms each")
        print(f"{'category':<12} {'n':>5} {'top-1 P':>8} {'P(any)':>8} {'recall':>8}")
        for name, tally in sorted(tallies.items(), key=lambda kv: kv[0] == "all"):
            f = tally.figures()
            print(
                f"{name:<12} {f['n']:>5} {f['top1_precision']:>8.3f} {f['precision']:>8.3f} "
                f"{f['recall']:>8.3f}"
            )
            if verbose:
                print("    top topics:", dict(tally.tops.most_common(6)))
        figures = tallies["all"].figures()
        summary[mode] = {k: round(v, 4) for k, v in figures.items()} | {"ms_per_article": ms}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
