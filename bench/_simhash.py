"""64-bit SimHash over the same word shingles: the baseline the issue asked to measure against.

Hand-written because no maintained SimHash package is installed; it is a benchmark baseline
only, never used by the bot.
"""

from __future__ import annotations

import hashlib

import numpy as np

from bot.news.dedup.shingles import shingles, words

BITS = 64
MAX_DISTANCE = 3  # "k = 3": at most three differing bits count as the same story


def simhash(text: str, shingle_size: int = 3) -> int:
    """Return the 64-bit SimHash of the text's distinct word shingles."""
    features = shingles(words(text), shingle_size)
    if not features:
        return 0
    digests = b"".join(hashlib.blake2b(f, digest_size=8).digest() for f in features)
    values = np.frombuffer(digests, dtype="<u8")
    bits = (values[:, None] >> np.arange(BITS, dtype=np.uint64)) & np.uint64(1)
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(values)
    return int(sum(1 << i for i in range(BITS) if votes[i] > 0))


def same_story(a: int, b: int) -> bool:
    """Decide as the SimHash baseline does: Hamming distance of at most MAX_DISTANCE."""
    return (a ^ b).bit_count() <= MAX_DISTANCE
