"""A story as both stores index it: analysed title, summary and body, with weights.

Title and summary weigh more than the body (FTS5 column weights, PostgreSQL's A/B/C). The body
is cut at `BODY_TOKENS`: a story's opening says what it is about, and the cut bounds the index
and the time to index a story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.news.search.analysis import analyse

BODY_TOKENS = 400


@dataclass(frozen=True, slots=True)
class Document:
    """The analysed fields of one story."""

    title: list[str]
    summary: list[str]
    body: list[str]

    @property
    def fields(self) -> tuple[list[str], list[str], list[str]]:
        """Title, summary and body tokens, in that order."""
        return self.title, self.summary, self.body


def story_document(titles: Sequence[str], summary: str, body: str) -> Document:
    """Analyse a story: its titles (every outlet's headline, once), summary and body."""
    title_tokens: list[str] = []
    for title in dict.fromkeys(titles):
        title_tokens += analyse(title)
    # Only the opening is read: about 8 characters a token, with room for common words.
    return Document(
        title_tokens, analyse(summary), analyse(body[: BODY_TOKENS * 12])[:BODY_TOKENS]
    )
