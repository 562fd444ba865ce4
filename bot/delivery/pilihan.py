"""Berita Pilihan: the day's most important stories, by outlets carrying them, recency, pins.

One editorial ranking serves the Mini App and the inline empty query; the scheduled digest and
`/pilihan` multiply it by each chat's affinity (bot.delivery.personal). On demand
(`pilihan_on_demand`), a day with no story in the window yet ranks the last day that had news,
rather than answering that there is none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from typing import Any, Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DigestItem, Story
from storage.stories import StoryView, views_by_ids

# A feed may stamp a story a little ahead of our clock; further ahead is a wrong zone.
AHEAD = timedelta(minutes=5)


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


class Rankable(Protocol):
    """What the ranking reads of a story (a Story, or a row of just these columns)."""

    @property
    def published_at(self) -> datetime: ...
    @property
    def outlet_count(self) -> int | None: ...
    @property
    def pinned_at(self) -> datetime | None: ...


def local_day(now: datetime, tz: tzinfo) -> str:
    """The chat's calendar date, YYYY-MM-DD, which keys 'no repeats on the same day'."""
    return now.astimezone(tz).date().isoformat()


def score(story: Rankable, now: datetime, policy: PickPolicy) -> float:
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


async def candidate_rows(
    session: AsyncSession,
    *,
    now: datetime,
    tz: tzinfo,
    chat_pk: int | None = None,
    policy: PickPolicy | None = None,
) -> list[Any]:
    """The window's candidates, newest first (at most `policy.candidates`), as rows of the
    four columns the score reads: the candidates are many, the picks few.

    With `chat_pk`, what that chat already got in a digest today is left out.
    """
    policy = policy or PickPolicy()
    since = now - policy.window
    query: Any = (
        select(Story.id, Story.published_at, Story.outlet_count, Story.pinned_at)
        .where(
            or_(Story.published_at >= since, Story.pinned_at >= since),
            Story.published_at <= now + AHEAD,
        )
        .order_by(Story.published_at.desc())
        .limit(policy.candidates)
    )
    if chat_pk is not None:
        given = select(DigestItem.story_id).where(
            DigestItem.chat_pk == chat_pk, DigestItem.day == local_day(now, tz)
        )
        query = query.where(Story.id.not_in(given))
    return list((await session.execute(query)).all())


async def ranked_ids(
    session: AsyncSession,
    *,
    now: datetime,
    tz: tzinfo,
    chat_pk: int | None = None,
    policy: PickPolicy | None = None,
) -> list[int]:
    """Every candidate of the window, best first by the editorial score."""
    policy = policy or PickPolicy()
    rows = await candidate_rows(session, now=now, tz=tz, chat_pk=chat_pk, policy=policy)
    return [int(r.id) for r, _ in editorial_order(rows, now, policy)]


def editorial_order(
    rows: Sequence[Any], now: datetime, policy: PickPolicy
) -> list[tuple[Any, float]]:
    """Candidate rows (`candidate_rows`) with their scores, best first (ties: the newer, then
    the later id): the one editorial order the picks and the personal ranking start from."""
    scored = [(r, score(r, now, policy)) for r in rows]
    scored.sort(key=lambda rs: (rs[1], rs[0].published_at, rs[0].id), reverse=True)
    return scored


@dataclass(frozen=True, slots=True)
class OnDemand:
    """Berita Pilihan ranked when asked: the stories, and the moment they were ranked for."""

    views: list[StoryView]
    as_of: datetime  # now, or the newest story's time when the window had nothing
    more: bool  # further stories rank below these (the next page has some)
    latest_day: bool  # nothing was published in the window: these are the last day with news


async def pilihan_on_demand(
    session: AsyncSession,
    *,
    now: datetime,
    tz: tzinfo,
    size: int | None = None,
    offset: int = 0,
    policy: PickPolicy | None = None,
) -> OnDemand:
    """Berita Pilihan now, whether or not a digest went out today (the digest's own ranking).

    When no story falls in the window (a quiet night, a fresh install that ingested older
    feeds), the ranking is made as of the newest stored story: the last day that had news.
    `offset` and `size` page through the ranked candidates (the inline mode's pages).
    """
    policy = policy or PickPolicy()
    if size is not None:
        policy = replace(policy, size=size)
    as_of = now
    ids = await ranked_ids(session, now=now, tz=tz, policy=policy)
    if not ids:
        newest = await session.scalar(
            select(func.max(Story.published_at)).where(Story.published_at <= now + AHEAD)
        )
        if newest is not None:
            as_of = newest
            ids = await ranked_ids(session, now=newest, tz=tz, policy=policy)
    page = ids[offset : offset + policy.size]
    views = await views_by_ids(session, page)
    more = len(ids) > offset + policy.size
    return OnDemand(views, as_of, more, latest_day=bool(views) and as_of != now)
