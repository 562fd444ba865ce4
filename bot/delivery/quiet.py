"""Quiet hours: pushes held while a chat sleeps, then rolled into one "while you were away"."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import ledger
from storage.dialect import dialect_name
from storage.models import Delivery

ROLL_BATCH = 5000


def chat_zone(name: str | None, default: tzinfo) -> tzinfo:
    """A chat's time zone, else `default` (also for a name the system does not know)."""
    if not name:
        return default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default


def in_quiet_hours(now: datetime, start: int | None, end: int | None, tz: tzinfo) -> bool:
    """Tell whether `now` falls in a chat's quiet hours (minutes after local midnight)."""
    if start is None or end is None or start == end:
        return False
    local = now.astimezone(tz)
    minute = local.hour * 60 + local.minute
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end  # wraps past midnight, e.g. 22:00–06:00


def quiet_ends_at(now: datetime, end: int, tz: tzinfo) -> datetime:
    """The first moment at or after `now` when the local clock reads `end` (minutes)."""
    local = now.astimezone(tz)
    at = local.replace(hour=end // 60, minute=end % 60, second=0, microsecond=0)
    if at <= local:
        # Wall-clock arithmetic on the local date, so a DST change cannot shift the hour.
        at = (at.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=tz)
    return at.astimezone(now.tzinfo)


async def roll_held(session: AsyncSession, now: datetime) -> int:
    """Give each chat whose quiet hours ended one message with its held pushes; return how many.

    The message is a ledger row of kind 'away' keyed by the end of the quiet period, so the
    unique (chat, digest key) makes it once even when two workers roll at the same time.
    """
    query = (
        select(Delivery.id, Delivery.chat_pk, Delivery.story_id, Delivery.not_before)
        .where(Delivery.status == "held", Delivery.not_before <= now)
        .order_by(Delivery.chat_pk, Delivery.not_before, Delivery.id)
        .limit(ROLL_BATCH)
    )
    if dialect_name(session) == "postgresql":
        query = query.with_for_update(skip_locked=True)
    held = (await session.execute(query)).all()
    if not held:
        return 0
    groups: dict[tuple[int, datetime], list[int]] = {}
    for row in held:
        if row.story_id is not None:
            groups.setdefault((row.chat_pk, row.not_before), []).append(row.story_id)
    rows = [
        ledger.owed_row(
            chat_pk,
            "away",
            now,
            digest_key=f"away:{ended:%Y-%m-%dT%H:%M}",
            story_ids=list(dict.fromkeys(story_ids)),
        )
        for (chat_pk, ended), story_ids in groups.items()
    ]
    added = await ledger.enqueue(session, rows)
    ids = [row.id for row in held]
    for start in range(0, len(ids), ledger.INSERT_CHUNK):
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids[start : start + ledger.INSERT_CHUNK]))
            .values(status="rolled")
        )
    return added
