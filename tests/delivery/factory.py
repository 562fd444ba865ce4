"""Rows for delivery tests: chats, subscriptions and stories, inserted directly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Chat, Story, StoryTopic, Subscription

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta


async def add_chats(session: AsyncSession, n: int, *, start: int = 1, **extra: Any) -> None:
    """Insert n active private chats with Telegram ids start..start+n-1."""
    rows = [
        {
            "chat_id": start + i,
            "thread_id": 0,
            "type": "private",
            "language": "id",
            "active": True,
            "push_enabled": True,
            "created_at": NOW,
            "updated_at": NOW,
            **extra,
        }
        for i in range(n)
    ]
    for i in range(0, n, 1000):
        await session.execute(insert(Chat), rows[i : i + 1000])


async def subscribe(session: AsyncSession, chat_pk: int, kind: str, value: str) -> None:
    """Make a chat follow a topic or keyword."""
    await session.execute(
        insert(Subscription).values(chat_pk=chat_pk, kind=kind, value=value, created_at=NOW)
    )


async def add_story(
    session: AsyncSession,
    title: str,
    topics: list[str],
    summary: str = "",
    *,
    published_at: datetime = NOW,
) -> int:
    """Insert a story with topics (its pushes owed, as a new story's are); return its id."""
    story_id = int(
        (
            await session.execute(
                insert(Story)
                .values(
                    title=title,
                    summary=summary,
                    topics=topics,
                    published_at=published_at,
                    first_seen_at=published_at,
                    updated_at=published_at,
                    outlet_count=1,
                )
                .returning(Story.id)
            )
        ).scalar_one()
    )
    for t in topics:
        await session.execute(
            insert(StoryTopic).values(story_id=story_id, topic=t, published_at=published_at)
        )
    return story_id
