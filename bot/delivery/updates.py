"""Story updates: when a later outlet adds facts to a story already pushed, its readers hear
what is new, in one line.

Clustering sets a story's `whats_new` and `update_owed` in the transaction that joins the
article (storage.stories.update_summary); this owes one "update" row to every chat that got the
story's push and still takes pushes, and clears the mark in the same transaction. At most one
update an hour per story: a story that gains an outlet every few minutes is not re-pushed each
time (its latest line goes out when the hour is up). Updates are not held for quiet hours:
a chat asleep simply does not get one. Ledger rows are keyed by (chat, "upd:<story>:<when>"),
so owing twice sends once.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.outbox import DEFAULT_TZ, PAGE
from bot.delivery.quiet import chat_zone, in_quiet_hours
from storage import ledger
from storage.dialect import dialect_name
from storage.models import Chat, Delivery, Story

UPDATE_EVERY = timedelta(hours=1)
BATCH = 20


def update_key(story_id: int, version: datetime) -> str:
    """The ledger key of one update of a story (one per `whats_new_at`)."""
    return f"upd:{story_id}:{int(version.timestamp())}"


async def enqueue_owed_updates(
    session: AsyncSession, now: datetime, *, max_age: timedelta, tz: tzinfo = DEFAULT_TZ
) -> tuple[int, int]:
    """Owe the updates of a batch of stories marked owed; (stories handled, rows added).

    A story published longer than `max_age` ago is not news any more: its mark is cleared
    without an update. Call again until it handles no story.
    """
    query = (
        select(Story.id, Story.published_at, Story.whats_new_at)
        .where(
            Story.update_owed.is_(True),
            or_(Story.update_pushed_at.is_(None), Story.update_pushed_at <= now - UPDATE_EVERY),
        )
        .order_by(Story.id)
        .limit(BATCH)
    )
    if dialect_name(session) == "postgresql":
        query = query.with_for_update(skip_locked=True)  # several workers share the work
    owed = (await session.execute(query)).all()
    added = 0
    for story in owed:
        if story.whats_new_at is not None and story.published_at >= now - max_age:
            added += await _owe_update(session, story.id, story.whats_new_at, now, tz)
    if owed:
        await session.execute(
            update(Story)
            .where(Story.id.in_([s.id for s in owed]))
            .values(update_owed=False, update_pushed_at=now)
        )
    return len(owed), added


async def _owe_update(
    session: AsyncSession, story_id: int, version: datetime, now: datetime, tz: tzinfo
) -> int:
    pushed = select(Delivery.chat_pk).where(
        Delivery.story_id == story_id, Delivery.kind == "push", Delivery.status == "sent"
    )
    key = update_key(story_id, version)
    added, after = 0, 0
    while True:
        page = (
            await session.execute(
                select(Chat.id, Chat.timezone, Chat.quiet_start, Chat.quiet_end)
                .where(
                    Chat.id > after,
                    Chat.id.in_(pushed),
                    Chat.active.is_(True),
                    Chat.push_enabled.is_(True),
                )
                .order_by(Chat.id)
                .limit(PAGE)
            )
        ).all()
        if not page:
            return added
        after = page[-1].id
        rows = [
            ledger.owed_row(c.id, "update", now, story_ids=[story_id], digest_key=key)
            for c in page
            if c.quiet_end is None
            or not in_quiet_hours(now, c.quiet_start, c.quiet_end, chat_zone(c.timezone, tz))
        ]
        added += await ledger.enqueue(session, rows)
