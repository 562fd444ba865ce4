"""Measure same-story detection: quality on the labelled dev pairs and speed of the index.

Run ``python -m bench.dedup``.  Quality counts a pair as joined the way the bot joins stories:
the two signatures must share an LSH band key (candidate retrieval) and pass ``is_same_story``
(verification); texts too short for a signature join only on equal exact fingerprints.  Speed is
milliseconds per new article for signature + query + insert into an in-memory ``StoryIndex``
already holding 10,000 or 100,000 stories made of sentences sampled from the dev texts.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from bench import _simhash
from bench._data import require_shared_data
from bench.dedup_eval import DATELINES, Doc, Pair, build_pairs, distinct_docs, load_docs
from bench.dedup_eval import make_variant as variant_of
from bot.news.dedup.minhash import (
    PARAMS,
    DedupParams,
    band_keys,
    exact_fingerprint,
    is_same_story,
    signatures,
)
from bot.news.dedup.story_index import StoryIndex

CONFIGS: dict[str, DedupParams] = {
    "minhash k=3 128 64x2 (chosen)": PARAMS,
    "  jaccard only (no containment)": replace(PARAMS, containment_threshold=2.0),
    "  k=2": replace(PARAMS, shingle_size=2, jaccard_threshold=0.40, containment_threshold=0.65),
    "  k=4": replace(PARAMS, shingle_size=4, jaccard_threshold=0.27, containment_threshold=0.50),
    "  k=5": replace(PARAMS, shingle_size=5, jaccard_threshold=0.24, containment_threshold=0.45),
    "  num_perm=64 32x2": replace(PARAMS, num_perm=64, bands=32),
    "  num_perm=256 128x2": replace(PARAMS, num_perm=256, bands=128),
    "  128 42x3 bands": replace(PARAMS, bands=42, rows=3),
    "  128 32x4 bands": replace(PARAMS, bands=32, rows=4),
}


@dataclass
class Scores:
    """Confusion counts of one method over the labelled pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        """Count one decision."""
        if predicted:
            self.tp, self.fp = self.tp + actual, self.fp + (not actual)
        else:
            self.fn, self.tn = self.fn + actual, self.tn + (not actual)

    @property
    def precision(self) -> float:
        """Share of joined pairs that are one story."""
        return self.tp / max(1, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """Share of one-story pairs that were joined."""
        return self.tp / max(1, self.tp + self.fn)


def text_of(doc: Doc) -> str:
    """Return what the bot signs: the body alone."""
    return doc.body


def title_and_body(doc: Doc) -> str:
    """Return the headline followed by the body (measured, not chosen)."""
    return f"{doc.title}. {doc.body}"


def score_minhash(
    pairs: list[Pair], params: DedupParams, text: Callable[[Doc], str] = text_of
) -> tuple[Scores, Counter[str]]:
    """Score LSH retrieval + verification over the pairs; count misses per pair kind."""
    sigs = signatures([text(d) for p in pairs for d in (p.a, p.b)], params)
    scores, misses = Scores(), Counter[str]()
    for n, pair in enumerate(pairs):
        sa, sb = sigs[2 * n], sigs[2 * n + 1]
        if sa is None or sb is None:
            joined = exact_fingerprint(text(pair.a)) == exact_fingerprint(text(pair.b))
        else:
            shared = set(band_keys(sa, params)) & set(band_keys(sb, params))
            joined = bool(shared) and is_same_story(sa, sb, params)
        scores.add(joined, pair.same)
        if joined != pair.same:
            misses[pair.kind] += 1
    return scores, misses


def score_simhash(pairs: list[Pair]) -> tuple[Scores, Counter[str]]:
    """Score the 64-bit SimHash baseline (Hamming distance <= 3)."""
    scores, misses = Scores(), Counter[str]()
    for pair in pairs:
        joined = _simhash.same_story(_simhash.simhash(pair.a.body), _simhash.simhash(pair.b.body))
        scores.add(joined, pair.same)
        if joined != pair.same:
            misses[pair.kind] += 1
    return scores, misses


def synthetic_stories(docs: list[Doc], count: int, rng: random.Random) -> list[str]:
    """Return stories of 6-14 sentences sampled from the dev texts, with outlet datelines."""
    pool = [s for d in docs for s in d.sentences if len(s.split()) >= 5]
    return [
        rng.choice(DATELINES) + " ".join(rng.sample(pool, rng.randint(6, 14)))
        for _ in range(count)
    ]


def time_index(
    stored: list[str], arrivals: list[str], sizes: tuple[int, ...]
) -> list[dict[str, float]]:
    """Time signature + query + insert per arriving article at each index size."""
    started = time.perf_counter()
    stored_sigs = signatures(stored)
    sign_ms = (time.perf_counter() - started) * 1000 / len(stored)
    rows = []
    for size in sizes:
        index: StoryIndex[int] = StoryIndex()
        for n, sig in enumerate(stored_sigs[:size]):
            if sig is not None:
                index.add(n, sig)
        candidates = matched = 0
        started = time.perf_counter()
        for n, text in enumerate(arrivals):
            sig = signatures([text])[0]
            if sig is None:
                continue
            candidates += len(index.candidates(sig))
            matched += bool(index.query(sig))
            index.add(size + n, sig)
        per_article = (time.perf_counter() - started) * 1000 / len(arrivals)
        rows.append(
            {
                "stored": size,
                "ms_per_article": per_article,
                "candidates_per_query": candidates / len(arrivals),
                "arrivals_matched": matched / len(arrivals),
                "bulk_sign_ms": sign_ms,
            }
        )
    return rows


def main() -> None:
    """Print the quality and speed tables, then one JSON line of figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stored", type=int, default=100_000, help="largest index size")
    parser.add_argument("--arrivals", type=int, default=500)
    args = parser.parse_args()
    data = require_shared_data()
    pairs = build_pairs(data)
    kinds = Counter(p.kind for p in pairs)
    print(f"labelled pairs: {len(pairs)} ({', '.join(f'{k} {v}' for k, v in kinds.items())})")
    print(f"\n{'method':36} {'precision':>9} {'recall':>7}  misses")
    figures: dict[str, object] = {"pairs": len(pairs)}
    results = [(name, *score_minhash(pairs, params)) for name, params in CONFIGS.items()]
    results.append(("  title + body", *score_minhash(pairs, PARAMS, title_and_body)))
    results.append(("simhash 64-bit k=3 (baseline)", *score_simhash(pairs)))
    for name, scores, misses in results:
        print(f"{name:36} {scores.precision:9.3f} {scores.recall:7.3f}  {dict(misses)}")
    chosen, simhash = results[0][1], results[-1][1]
    figures.update(
        precision=round(chosen.precision, 4),
        recall=round(chosen.recall, 4),
        simhash_precision=round(simhash.precision, 4),
        simhash_recall=round(simhash.recall, 4),
    )

    rng = random.Random(7)
    docs, _ = distinct_docs(load_docs(data))
    stored = synthetic_stories(docs, args.stored, rng)
    arrivals = [variant_of(d, rng.choice(docs), rng).body for d in rng.sample(docs, args.arrivals)]
    sizes = tuple(sorted({min(10_000, args.stored), args.stored}))
    print(f"\n{'stored':>8} {'ms/article':>10} {'candidates':>10} {'matched':>8}")
    for row in time_index(stored, arrivals, sizes):
        print(
            f"{row['stored']:8.0f} {row['ms_per_article']:10.2f} "
            f"{row['candidates_per_query']:10.1f} {row['arrivals_matched']:8.3f}"
        )
        figures[f"ms_per_article_{row['stored']:.0f}"] = round(row["ms_per_article"], 3)
        figures[f"candidates_{row['stored']:.0f}"] = round(row["candidates_per_query"], 1)
        figures["bulk_sign_ms"] = round(row["bulk_sign_ms"], 3)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
