"""What the bot owes whom: pushes for new stories, digests and broadcasts, as ledger rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import ledger
from storage.dialect import insert_for
from storage.models import Broadcast, Chat, DigestItem, Story, StoryTopic, Subscription

PAGE = 1000
DEFAULT_TZ = ZoneInfo("Asia/Jakarta")


def in_quiet_hours(now: datetime, start: int | None, end: int | None, tz: tzinfo) -> bool:
    """Tell whether `now` falls in a chat's quiet hours (minutes after local midnight)."""
    if start is None or end is None or start == end:
        return False
    local = now.astimezone(tz)
    minute = local.hour * 60 + local.minute
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end  # wraps past midnight, e.g. 22:00–06:00


def keyword_matches(keyword: str, text: str) -> bool:
    """Tell whether a keyword occurs in text as whole words, ignoring case."""
    words = keyword.strip()
    if not words:
        return False
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text, re.IGNORECASE) is not None


async def enqueue_pushes(
    session: AsyncSession,
    story_ids: Sequence[int],
    now: datetime,
    *,
    tz: tzinfo = DEFAULT_TZ,
) -> int:
    """Owe each matching active chat one push per new story; return the rows added."""
    if not story_ids:
        return 0
    keywords = list(
        (
            await session.scalars(
                select(Subscription.value).where(Subscription.kind == "keyword").distinct()
            )
        ).all()
    )
    added = 0
    for story in (await session.scalars(select(Story).where(Story.id.in_(story_ids)))).all():
        topics = list(
            (
                await session.scalars(
                    select(StoryTopic.topic).where(StoryTopic.story_id == story.id)
                )
            ).all()
        )
        topics = sorted(set(topics) | set(story.topics))
        text = f"{story.title}\n{story.summary}"
        matched = [k for k in keywords if keyword_matches(k, text)]
        added += await _enqueue_story(session, story.id, topics, matched, now, tz)
    return added


async def _enqueue_story(
    session: AsyncSession,
    story_id: int,
    topics: list[str],
    keywords: list[str],
    now: datetime,
    tz: tzinfo,
) -> int:
    wants: list[ColumnElement[bool]] = []
    if topics:
        wants.append(and_(Subscription.kind == "topic", Subscription.value.in_(topics)))
    if keywords:
        wants.append(and_(Subscription.kind == "keyword", Subscription.value.in_(keywords)))
    if not wants:
        return 0
    follows = exists().where(Subscription.chat_pk == Chat.id, or_(*wants))
    added, after = 0, 0
    while True:
        # Chats come in pages by primary key: memory stays flat however many follow a topic.
        page = (
            await session.execute(
                select(Chat.id, Chat.timezone, Chat.quiet_start, Chat.quiet_end)
                .where(
                    Chat.id > after, Chat.active.is_(True), Chat.push_enabled.is_(True), follows
                )
                .order_by(Chat.id)
                .limit(PAGE)
            )
        ).all()
        if not page:
            return added
        after = page[-1].id
        rows = [
            ledger.owed_row(c.id, "push", now, story_id=story_id)
            for c in page
            # In quiet hours no push is owed: the story rolls into the next digest instead.
            if not in_quiet_hours(now, c.quiet_start, c.quiet_end, _zone(c.timezone, tz))
        ]
        added += await ledger.enqueue(session, rows)


async def enqueue_digest(
    session: AsyncSession,
    chat_pk: int,
    digest_key: str,
    story_ids: list[int],
    day: str,
    now: datetime,
) -> bool:
    """Owe a chat one Berita Pilihan digest and remember its stories; False if already owed."""
    if not story_ids:
        return False
    row = ledger.owed_row(chat_pk, "digest", now, digest_key=digest_key, story_ids=story_ids)
    if not await ledger.enqueue(session, [row]):
        return False
    items = [{"chat_pk": chat_pk, "day": day, "story_id": s} for s in dict.fromkeys(story_ids)]
    await session.execute(insert_for(session, DigestItem).on_conflict_do_nothing(), items)
    return True


async def count_reach(session: AsyncSession) -> int:
    """How many chats a broadcast would reach now."""
    query = select(func.count()).select_from(Chat).where(Chat.active.is_(True))
    return int((await session.execute(query)).scalar_one())


async def create_broadcast(
    session: AsyncSession,
    admin_id: int,
    now: datetime,
    *,
    text: str | None = None,
    source: tuple[int, int] | None = None,
) -> Broadcast:
    """Draft a broadcast of HTML text, or of a message to copy (chat id, message id)."""
    if (text is None) == (source is None):
        raise ValueError("a broadcast needs either text or a message to copy")
    broadcast = Broadcast(
        admin_id=admin_id,
        text=text,
        source_chat_id=source[0] if source else None,
        source_message_id=source[1] if source else None,
        status="draft",
        cursor=0,
        total=0,
        created_at=now,
    )
    session.add(broadcast)
    await session.flush()
    return broadcast


async def start_broadcast(session: AsyncSession, broadcast_id: int) -> int:
    """Confirm a draft: it starts running with its reach as total; return the reach."""
    total = await count_reach(session)
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == "draft")
        .values(status="running", total=total)
    )
    return total


async def enqueue_broadcast_page(
    session: AsyncSession, broadcast_id: int, now: datetime, *, limit: int = PAGE
) -> int:
    """Owe a running broadcast to the next page of active chats; return the page size."""
    broadcast = await session.get(Broadcast, broadcast_id, with_for_update=True)
    if broadcast is None or broadcast.status != "running":
        return 0
    ids = list(
        (
            await session.scalars(
                select(Chat.id)
                .where(Chat.id > broadcast.cursor, Chat.active.is_(True))
                .order_by(Chat.id)
                .limit(limit)
            )
        ).all()
    )
    if not ids:
        return 0
    await ledger.enqueue(
        session, [ledger.owed_row(pk, "broadcast", now, broadcast_id=broadcast_id) for pk in ids]
    )
    await session.execute(
        update(Broadcast).where(Broadcast.id == broadcast_id).values(cursor=ids[-1])
    )
    return len(ids)


async def cancel_broadcast(session: AsyncSession, broadcast_id: int, now: datetime) -> int:
    """Stop a broadcast: nothing more is enqueued and pending rows are cancelled."""
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status.in_(("draft", "running")))
        .values(status="cancelled", finished_at=now)
    )
    return await ledger.cancel_open(session, broadcast_id)


async def finish_if_done(session: AsyncSession, broadcast_id: int, now: datetime) -> bool:
    """Mark a running broadcast done once every chat was enqueued and nothing is open."""
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None or broadcast.status != "running":
        return False
    more = await session.scalar(
        select(Chat.id).where(Chat.id > broadcast.cursor, Chat.active.is_(True)).limit(1)
    )
    if more is not None or await ledger.open_rows(session, broadcast_id):
        return False
    broadcast.status, broadcast.finished_at = "done", now
    return True


async def running_broadcasts(session: AsyncSession) -> list[int]:
    """Ids of broadcasts still running (after a restart too)."""
    query = select(Broadcast.id).where(Broadcast.status == "running").order_by(Broadcast.id)
    return list((await session.scalars(query)).all())


def _zone(name: str | None, default: tzinfo) -> tzinfo:
    if not name:
        return default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default
