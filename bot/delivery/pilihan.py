"""Berita Pilihan: the day's most important stories, by outlets carrying them, recency, pins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DigestItem, Story
from storage.stories import StoryView, views_of


@dataclass(frozen=True, slots=True)
class PickPolicy:
    """How many stories a digest has and how they are weighed."""

    size: int = 5
    window: timedelta = timedelta(hours=24)
    outlet_weight: float = 1.0
    max_outlets: int = 8  # beyond this, more outlets do not mean more important
    recency_weight: float = 2.0
    pin_bonus: float = 100.0  # an editor's pick always makes it
    candidates: int = 400


def local_day(now: datetime, tz: tzinfo) -> str:
    """The chat's calendar date, YYYY-MM-DD, which keys 'no repeats on the same day'."""
    return now.astimezone(tz).date().isoformat()


def score(story: Story, now: datetime, policy: PickPolicy) -> float:
    """Importance: outlets carrying the story, freshness within the window, an editor's pin."""
    outlets = min(story.outlet_count or 1, policy.max_outlets)
    age = max((now - story.published_at).total_seconds(), 0.0)
    freshness = max(0.0, 1.0 - age / policy.window.total_seconds())
    pinned = story.pinned_at is not None and now - story.pinned_at <= policy.window
    return (
        policy.outlet_weight * outlets
        + policy.recency_weight * freshness
        + (policy.pin_bonus if pinned else 0.0)
    )


async def pick_pilihan(
    session: AsyncSession,
    *,
    now: datetime,
    tz: tzinfo,
    chat_pk: int | None = None,
    policy: PickPolicy | None = None,
) -> list[StoryView]:
    """Today's picks, best first, leaving out what this chat already got in a digest today."""
    policy = policy or PickPolicy()
    since = now - policy.window
    query = (
        select(Story)
        .where(
            or_(Story.published_at >= since, Story.pinned_at >= since),
            Story.published_at <= now + timedelta(minutes=5),
        )
        .order_by(Story.published_at.desc())
        .limit(policy.candidates)
    )
    if chat_pk is not None:
        given = select(DigestItem.story_id).where(
            DigestItem.chat_pk == chat_pk, DigestItem.day == local_day(now, tz)
        )
        query = query.where(Story.id.not_in(given))
    stories = list((await session.scalars(query)).all())
    stories.sort(key=lambda s: (score(s, now, policy), s.published_at, s.id), reverse=True)
    return await views_of(session, stories[: policy.size])
