"""A story as a reader reads it in the Mini App: every outlet's article, its time, text and image.

Repositories never commit: the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Article, Source, Story


@dataclass(frozen=True, slots=True)
class OutletArticle:
    """One outlet's article of a story, with the clean text the store kept of it."""

    source: str
    title: str
    link: str
    published_at: datetime | None
    first_seen_at: datetime
    section: str | None
    author: str | None
    body: str | None
    image_url: str | None
    image_caption: str | None


@dataclass(frozen=True, slots=True)
class StoryPage:
    """The story and its articles, earliest first."""

    story: Story
    articles: list[OutletArticle]


async def story_page(session: AsyncSession, story_id: int) -> StoryPage | None:
    """The story with every outlet's article, or None when there is no such story."""
    story = await session.get(Story, story_id)
    if story is None:
        return None
    query = (
        select(Article, Source.name)
        .join(Source, Source.id == Article.source_id)
        .where(Article.story_id == story_id)
        .order_by(Article.published_at, Article.id)
    )
    articles = [
        OutletArticle(
            source=name,
            title=a.title,
            link=a.link,
            published_at=a.published_at,
            first_seen_at=a.first_seen_at,
            section=a.section,
            author=a.author,
            body=a.body,
            image_url=a.image_url,
            image_caption=a.image_caption,
        )
        for a, name in await session.execute(query)
    ]
    return StoryPage(story, articles)
