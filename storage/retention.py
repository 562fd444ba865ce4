"""What data retention may delete, one small batch at a time. The caller owns the transaction.

Each `*_batch` function reads up to `limit` candidates and deletes them in the caller's
transaction, returning how many rows went and the cursor to continue from (None when done).
Candidates are found by a keyset walk over the primary key, so a run reads each table once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage import search
from storage.ledger import OPEN_STATUSES
from storage.models import (
    Article,
    Base,
    Broadcast,
    ChatAffinity,
    ChatFeedback,
    Delivery,
    DigestItem,
    EventLog,
    Story,
    StoryBand,
    StoryTopic,
)

LIVE_BROADCASTS = ("draft", "running")  # their rows feed progress and the final report
FINISHED_BROADCASTS = ("done", "cancelled")
# A story carries this many LSH band rows (64 bands, bot.news.dedup.minhash): sizes story batches.
BAND_ROWS = 64


async def deliveries_batch(
    session: AsyncSession, cutoff: datetime, *, after: int, limit: int
) -> tuple[int, int | None]:
    """Delete finished ledger rows created before `cutoff`, outside live broadcasts."""
    live = select(Broadcast.id).where(Broadcast.status.in_(LIVE_BROADCASTS))
    finished = Delivery.status.not_in(OPEN_STATUSES)
    outside_live = or_(Delivery.broadcast_id.is_(None), Delivery.broadcast_id.not_in(live))
    ids = await _ids(
        session,
        select(Delivery.id)
        .where(Delivery.id > after, Delivery.created_at < cutoff, finished, outside_live)
        .order_by(Delivery.id)
        .limit(limit),
    )
    if not ids:
        return 0, None
    # Checked again in the DELETE itself: whatever happens between the two statements, an
    # owed row is never deleted.
    stmt = delete(Delivery).where(Delivery.id.in_(ids), finished, outside_live)
    return await _delete(session, stmt), ids[-1]


async def event_log_batch(
    session: AsyncSession, cutoff: datetime, *, after: int, limit: int
) -> tuple[int, int | None]:
    """Delete event-log entries older than `cutoff`."""
    ids = await _ids(
        session,
        select(EventLog.id)
        .where(EventLog.id > after, EventLog.created_at < cutoff)
        .order_by(EventLog.id)
        .limit(limit),
    )
    if not ids:
        return 0, None
    return await _delete(session, delete(EventLog).where(EventLog.id.in_(ids))), ids[-1]


async def broadcasts_batch(
    session: AsyncSession, cutoff: datetime, *, after: int, limit: int
) -> tuple[int, int | None]:
    """Delete broadcasts that finished before `cutoff` (their ledger rows are already gone)."""
    finished = func.coalesce(Broadcast.finished_at, Broadcast.created_at)
    ids = await _ids(
        session,
        select(Broadcast.id)
        .where(
            Broadcast.id > after,
            Broadcast.status.in_(FINISHED_BROADCASTS),
            finished < cutoff,
        )
        .order_by(Broadcast.id)
        .limit(limit),
    )
    if not ids:
        return 0, None
    return await _delete(session, delete(Broadcast).where(Broadcast.id.in_(ids))), ids[-1]


async def digest_items_batch(session: AsyncSession, before_day: str, *, limit: int) -> int:
    """Delete up to `limit` digest items of local days before `before_day` (YYYY-MM-DD)."""
    key = (DigestItem.chat_pk, DigestItem.day, DigestItem.story_id)
    return await _delete_some(session, DigestItem, key, DigestItem.day < before_day, limit)


async def faded_affinities_batch(
    session: AsyncSession, learned_before: datetime, *, limit: int
) -> int:
    """Delete up to `limit` affinity weights last learned before `learned_before`: faded to
    nothing by now (the caller knows the half-life), they would only take room."""
    key = (ChatAffinity.chat_pk, ChatAffinity.feature)
    where = ChatAffinity.learned_at < learned_before
    return await _delete_some(session, ChatAffinity, key, where, limit)


async def _delete_some(
    session: AsyncSession, model: type[Base], key: tuple[Any, ...], where: Any, limit: int
) -> int:
    """Delete up to `limit` rows of `model` matching `where`, picked by their primary `key`."""
    rows = (await session.execute(select(*key).where(where).limit(limit))).all()
    if not rows:
        return 0
    keys = [tuple(r) for r in rows]
    return await _delete(session, delete(model).where(tuple_(*key).in_(keys)))


async def referenced_story_ids(session: AsyncSession) -> set[int]:
    """Stories an open ledger row still points at: a push owed, or a digest being sent."""
    rows = await session.execute(
        select(Delivery.story_id, Delivery.story_ids).where(Delivery.status.in_(OPEN_STATUSES))
    )
    found: set[int] = set()
    for story_id, story_ids in rows:
        if story_id is not None:
            found.add(int(story_id))
        found.update(int(s) for s in story_ids or ())
    return found


async def old_stories(
    session: AsyncSession, cutoff: datetime, *, after: int, limit: int
) -> list[tuple[int, int]]:
    """(id, rows it carries) of stories untouched since `cutoff` and not pinned since."""
    query = (
        select(Story.id, Story.outlet_count, Story.topics)
        .where(
            Story.id > after,
            Story.published_at < cutoff,
            Story.updated_at < cutoff,
            or_(Story.pinned_at.is_(None), Story.pinned_at < cutoff),
        )
        .order_by(Story.id)
        .limit(limit)
    )
    return [
        (int(r.id), 2 + BAND_ROWS + len(r.topics or ()) + int(r.outlet_count or 1))
        for r in await session.execute(query)
    ]


async def delete_stories(
    session: AsyncSession, ids: Sequence[int], keep: Collection[int] = ()
) -> dict[str, int]:
    """Delete stories with their articles, topics, band keys, search index entries and the
    chats' signals on them, sparing those still owed."""
    owed = set(
        await _ids(
            session,
            select(Delivery.story_id).where(
                Delivery.status.in_(OPEN_STATUSES), Delivery.story_id.in_(ids)
            ),
        )
    )
    doomed = [i for i in ids if i not in keep and i not in owed]
    if not doomed:
        return {"stories": 0, "articles": 0}
    # Articles go with their story: left behind with no story they would count as unprocessed.
    articles = await _delete(session, delete(Article).where(Article.story_id.in_(doomed)))
    await session.execute(delete(StoryBand).where(StoryBand.story_id.in_(doomed)))
    await session.execute(delete(StoryTopic).where(StoryTopic.story_id.in_(doomed)))
    # The foreign key would cascade too; said here, retention's reach is in one place.
    await search.remove_entries(session, doomed)
    # A chat's signal on a story goes with it; what the signal taught stays (and fades).
    await session.execute(delete(ChatFeedback).where(ChatFeedback.story_id.in_(doomed)))
    stories = await _delete(session, delete(Story).where(Story.id.in_(doomed)))
    return {"stories": stories, "articles": articles}


async def _ids(session: AsyncSession, query: Any) -> list[int]:
    return [int(i) for i in (await session.scalars(query)).all()]


async def _delete(session: AsyncSession, stmt: Any) -> int:
    result = await session.execute(stmt.execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]
