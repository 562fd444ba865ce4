"""The summariser's sentence model: gradient-boosted trees, evaluated with numpy.

`python -m bench.train_summarizer --write` fits the trees with LightGBM on IndoSum's extractive
labels and exports them to summary_model.json (summary_model.md next to it says how, on what,
and how big). Serving reads that small JSON instead of importing LightGBM: the file loads in
milliseconds and all trees walk all sentences together, one numpy step per tree level.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Rows = Sequence[Sequence[float]] | npt.NDArray[np.float64]
MODEL_FILE = Path(__file__).with_name("summary_model.json")
FORMAT = "newsbot-trees-1"


class ModelFileError(ValueError):
    """The model file is not a tree model this code can evaluate."""


@dataclass(frozen=True)
class TreeModel:
    """Trees in flat arrays: node k splits on feature[k] at threshold[k] (x <= t goes left).

    A leaf has feature -1 and both children pointing at itself, so walking past it changes
    nothing; value holds the leaf outputs (0 at split nodes). The raw score of a row is the sum
    of its leaves' values over all trees, and its probability the logistic of that.
    """

    features: tuple[str, ...]
    roots: npt.NDArray[np.int64]
    feature: npt.NDArray[np.int64]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    depth: int

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeModel:
        """Build a model from the JSON document written by bench.train_summarizer."""
        if data.get("format") != FORMAT:
            raise ModelFileError(f"not a {FORMAT} model: format={data.get('format')!r}")
        nodes = data["nodes"]
        model = cls(
            features=tuple(data["features"]),
            roots=np.asarray(data["roots"], dtype=np.int64),
            feature=np.asarray(nodes["feature"], dtype=np.int64),
            threshold=np.asarray(nodes["threshold"], dtype=np.float64),
            left=np.asarray(nodes["left"], dtype=np.int64),
            right=np.asarray(nodes["right"], dtype=np.int64),
            value=np.asarray(nodes["value"], dtype=np.float64),
            depth=int(data["depth"]),
        )
        model._check()
        return model

    def _check(self) -> None:
        """Refuse arrays that would index out of range or loop before reaching a leaf."""
        size = len(self.feature)
        arrays = (self.threshold, self.left, self.right, self.value)
        if any(len(a) != size for a in arrays) or not len(self.roots):
            raise ModelFileError("node arrays differ in length, or there is no tree")
        for index in (self.roots, self.left, self.right):
            if index.min() < 0 or index.max() >= size:
                raise ModelFileError("a child or root points outside the nodes")
        if self.feature.max() >= len(self.features) or self.feature.min() < -1:
            raise ModelFileError("a split uses a feature the model does not list")
        # Every path must end in a leaf within `depth` steps: follow both children everywhere.
        frontier = self.roots
        for _ in range(self.depth):
            frontier = np.unique(np.concatenate([self.left[frontier], self.right[frontier]]))
        if (self.feature[frontier] != -1).any():
            raise ModelFileError("a tree is deeper than the depth the file states")

    def _children(
        self, nodes: npt.NDArray[np.int64], rows: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.int64]:
        """Move each (row, tree) position one level down."""
        # Leaves read column 0 and stay where they are whatever it holds.
        x = np.take_along_axis(rows, np.maximum(self.feature[nodes], 0), axis=1)
        return np.where(x <= self.threshold[nodes], self.left[nodes], self.right[nodes])

    def raw_scores(self, rows: Rows) -> npt.NDArray[np.float64]:
        """Return the summed leaf values (log-odds) of each row."""
        x = np.asarray(rows, dtype=np.float64).reshape(-1, len(self.features))
        # nodes[r, t]: where row r stands in tree t; rows move through all trees at once.
        nodes = np.broadcast_to(self.roots, (len(x), len(self.roots)))
        for _ in range(self.depth):
            nodes = self._children(nodes, x)
        return np.asarray(self.value[nodes].sum(axis=1), dtype=np.float64)

    def probabilities(self, rows: Rows) -> list[float]:
        """Return each row's probability of belonging in the summary."""
        raw = np.clip(self.raw_scores(rows), -50.0, 50.0)
        return [float(p) for p in 1.0 / (1.0 + np.exp(-raw))]


@functools.cache
def shipped_model() -> TreeModel:
    """Load the model file that ships with the package (once per process)."""
    with MODEL_FILE.open(encoding="utf-8") as handle:
        return TreeModel.from_dict(json.load(handle))
