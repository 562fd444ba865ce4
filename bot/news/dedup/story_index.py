"""An in-memory LSH index of story signatures, the reference for the database-backed one.

The store does the same with a table (band_key BIGINT indexed, story_id) and the signature bytes
in the story row: look up the query's band keys, load those stories' signatures, verify.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from typing import Generic, TypeVar

from bot.news.dedup.minhash import (
    PARAMS,
    DedupParams,
    Signature,
    band_keys,
    is_same_story,
    similarity,
)

K = TypeVar("K", bound=Hashable)


class StoryIndex(Generic[K]):
    """Band key -> story ids, plus each story's signature for verification."""

    def __init__(self, params: DedupParams = PARAMS) -> None:
        self._params = params
        self._buckets: defaultdict[int, list[K]] = defaultdict(list)
        self._signatures: dict[K, Signature] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, story_id: K, sig: Signature) -> None:
        """Store a story's signature under each of its band keys."""
        if story_id in self._signatures:
            raise ValueError(f"story {story_id!r} is already indexed")
        self._signatures[story_id] = sig
        for key in band_keys(sig, self._params):
            self._buckets[key].append(story_id)

    def candidates(self, sig: Signature) -> set[K]:
        """Return the stories sharing at least one band key with ``sig``."""
        found: set[K] = set()
        for key in band_keys(sig, self._params):
            found.update(self._buckets.get(key, ()))
        return found

    def query(self, sig: Signature) -> list[tuple[K, float]]:
        """Return (story id, estimated Jaccard) for verified same-story matches, best first."""
        matches = [
            (story_id, similarity(sig, other))
            for story_id in self.candidates(sig)
            if is_same_story(sig, other := self._signatures[story_id], self._params)
        ]
        matches.sort(key=lambda match: match[1], reverse=True)
        return matches
