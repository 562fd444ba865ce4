"""ROUGE-1/2/L F1 with IndoSum's preprocessing (lower-case, no punctuation, digits zeroed).

Hand-written because the rouge-score package's default tokenizer drops every non-ASCII character
and pythonrouge needs the Perl ROUGE-1.5.5 toolkit; the scores here are the plain definitions.
"""

from __future__ import annotations

import re
from collections import Counter

_NON_WORD = re.compile(r"[^\w]+|_")
_DIGIT = re.compile(r"\d")


def tokenize(text: str) -> list[str]:
    """Lower-case, drop punctuation and zero digits, as the IndoSum paper did before ROUGE."""
    return _DIGIT.sub("0", _NON_WORD.sub(" ", text.lower())).split()


def _f1(overlap: int, candidate: int, reference: int) -> float:
    """Return the F1 of precision overlap/candidate and recall overlap/reference."""
    if not overlap:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge_n(candidate: list[str], reference: list[str], n: int) -> float:
    """Return ROUGE-N F1 of two token lists (clipped n-gram counts)."""
    cand = Counter(zip(*(candidate[i:] for i in range(n)), strict=False))
    ref = Counter(zip(*(reference[i:] for i in range(n)), strict=False))
    return _f1(sum((cand & ref).values()), sum(cand.values()), sum(ref.values()))


def lcs_length(a: list[str], b: list[str]) -> int:
    """Return the length of the longest common subsequence of a and b."""
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_l(candidate: list[str], reference: list[str]) -> float:
    """Return ROUGE-L F1 (LCS over the whole summary, not the per-sentence union)."""
    return _f1(lcs_length(candidate, reference), len(candidate), len(reference))


def rouge(candidate: str, reference: str) -> dict[str, float]:
    """Return ROUGE-1, ROUGE-2 and ROUGE-L F1 of candidate against reference text."""
    cand, ref = tokenize(candidate), tokenize(reference)
    return {
        "rouge1": rouge_n(cand, ref, 1),
        "rouge2": rouge_n(cand, ref, 2),
        "rougeL": rouge_l(cand, ref),
    }
