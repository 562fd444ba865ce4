"""What a reader types → a `Query`: words, "phrases", -exclusions; rendered for both stores.

The language is small on purpose: words (all must occur, stemmed), phrases in double quotes
(their words in a row), and `-word` or `-"a phrase"` to exclude. Nothing else is syntax:
`OR`, `NEAR`, `*`, `(`, `:` and SQL are words or punctuation like any other, and a quote left
open closes at the end. The stores receive only tokens of letters and digits, each quoted, so
no input can change the shape of the query they run (storage.search renders them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.news.search.analysis import analyse

MAX_CHARS = 2000  # longer text is refused before any work is done
MAX_TERMS = 12  # words and phrases together, exclusions included
# A quoted phrase (open to the end when unclosed), or a run of anything but space and quote;
# either may carry a leading "-" (an exclusion).
_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')

Term = tuple[str, ...]  # one token, or a phrase's tokens in order


class QueryError(ValueError):
    """The text is not a query we can run; `key` names the i18n message that says why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True, slots=True)
class Query:
    """Terms that must all occur, and terms that must not occur, as analysed tokens."""

    required: tuple[Term, ...]
    excluded: tuple[Term, ...] = ()

    def matches(self, fields: Sequence[Sequence[str]]) -> bool:
        """Tell whether analysed fields (title, summary, body tokens) satisfy the query.

        The same rule as the stores: every required term occurs in one field (a phrase's
        tokens in a row within a field), and no excluded term does.
        """
        return all(_occurs(t, fields) for t in self.required) and not any(
            _occurs(t, fields) for t in self.excluded
        )

    def as_json(self) -> Mapping[str, list[list[str]]]:
        """The analysed terms, for operators (`newsbot search --json`)."""
        return {
            "required": [list(t) for t in self.required],
            "excluded": [list(t) for t in self.excluded],
        }


def parse_query(text: str) -> Query:
    """Parse what a reader typed; raise QueryError (with an i18n key) when nothing can be run."""
    if len(text) > MAX_CHARS:
        raise QueryError("search.too_long")
    required: list[Term] = []
    excluded: list[Term] = []
    for match in _PART.finditer(text):
        quoted = match.group(2) is not None
        minus = match.group(1) if quoted else match.group(3)
        tokens = tuple(analyse(match.group(2) if quoted else match.group(4)))
        if not tokens:
            continue  # punctuation, or only common words
        target = excluded if minus else required
        if tokens not in target:
            target.append(tokens)
    if not required:
        raise QueryError("search.only_excluded" if excluded else "search.empty")
    if len(required) + len(excluded) > MAX_TERMS:
        raise QueryError("search.too_many")
    return Query(tuple(required), tuple(excluded))


def describe(text: str) -> str:
    """The query as a reader would retype it, spaces tidied (stored for keyword follows)."""
    return " ".join(text.split())


def _occurs(term: Term, fields: Sequence[Sequence[str]]) -> bool:
    size = len(term)
    for tokens in fields:
        if size == 1:
            if term[0] in tokens:
                return True
            continue
        for i in range(len(tokens) - size + 1):
            if tuple(tokens[i : i + size]) == term:
                return True
    return False
