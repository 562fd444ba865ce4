"""What the Mini App reads: a story with every outlet's article (time, text, image), and a
reader's own chat with what it follows.

Repositories never commit: the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.chats import KEYWORD, PILIHAN, TOPIC
from storage.models import Admin, Article, Chat, Source, Story, Subscription


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


@dataclass(frozen=True, slots=True)
class ReaderState:
    """A user's private chat (None before their first message), what it follows, admin or not."""

    chat: Chat | None
    follows: list[tuple[str, str]]  # (kind, value), Pilihan first, then topics, then keywords
    admin: bool  # added with /admin add (ADMIN_IDS are the settings')


async def reader_state(session: AsyncSession, user_id: int) -> ReaderState:
    """Read a reader's state in one query (two when they have no chat yet)."""
    admin = select(Admin.user_id).where(Admin.user_id == user_id).exists()
    query = (
        select(Chat, Subscription.kind, Subscription.value, admin.label("admin"))
        .outerjoin(Subscription, Subscription.chat_pk == Chat.id)
        .where(Chat.chat_id == user_id, Chat.thread_id == 0)
    )
    rows = (await session.execute(query)).all()
    if not rows:
        return ReaderState(None, [], bool(await session.scalar(select(admin))))
    order = {PILIHAN: 0, TOPIC: 1, KEYWORD: 2}
    follows = sorted(
        ((str(kind), str(value)) for _, kind, value, _ in rows if kind is not None),
        key=lambda kv: (order.get(kv[0], 3), kv[1]),
    )
    return ReaderState(rows[0][0], follows, bool(rows[0][3]))
