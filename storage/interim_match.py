"""INTERIM: a plain substring matcher for inline queries, until the real search is merged.

Not the search issue 12 asks for (no stemming, no index, no phrases or exclusions): every word
must occur in the title or the summary, newest first. `bot.handlers.inline.find_stories` is
the one caller; it moves to `storage.search.search_stories` and this module goes away.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Story
from storage.stories import StoryView, views_of

MAX_WORDS = 8  # a longer query matches on its first words


async def substring_match(
    session: AsyncSession, words: str, *, limit: int, offset: int
) -> list[StoryView]:
    """Stories whose title or summary contains every word (case-insensitive), newest first."""
    terms = [w.casefold() for w in words.split()][:MAX_WORDS]
    if not terms:
        return []
    title, summary = func.lower(Story.title), func.lower(Story.summary)
    # `autoescape`: a reader's % and _ are letters, not wildcards; values are bound parameters.
    each: list[Any] = [
        or_(title.contains(t, autoescape=True), summary.contains(t, autoescape=True))
        for t in terms
    ]
    query = (
        select(Story)
        .where(and_(*each))
        .order_by(Story.published_at.desc(), Story.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return await views_of(session, list((await session.scalars(query)).all()))
