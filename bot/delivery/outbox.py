"""What the bot owes whom: Berita Pilihan digests and broadcasts, as ledger rows.

Pushes for new stories are owed by bot.delivery.pushes; quiet hours by bot.delivery.quiet.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.pilihan import local_day
from storage import ledger
from storage.audiences import Audience, reach, targets
from storage.dialect import insert_for
from storage.models import Broadcast, Chat, DigestItem

PAGE = 1000
DEFAULT_TZ = ZoneInfo("Asia/Jakarta")


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


async def count_reach(session: AsyncSession, audience: Audience | None = None) -> int:
    """How many chats a broadcast to `audience` (default: the followers) would reach now."""
    return await reach(session, audience or Audience())


def audience_of(broadcast: Broadcast) -> Audience:
    """The audience stored with a broadcast."""
    return Audience.from_json(broadcast.audience)


async def set_audience(session: AsyncSession, broadcast_id: int, audience: Audience) -> bool:
    """Change a draft's audience; False when it is no longer a draft."""
    result = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == "draft")
        .values(audience=audience.to_json())
    )
    return bool(getattr(result, "rowcount", 0))


async def create_broadcast(
    session: AsyncSession,
    admin_id: int,
    now: datetime,
    *,
    text: str | None = None,
    source: tuple[int, int] | None = None,
    audience: Audience | None = None,
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
        audience=(audience or Audience()).to_json(),
        created_at=now,
    )
    session.add(broadcast)
    await session.flush()
    return broadcast


async def start_broadcast(session: AsyncSession, broadcast_id: int) -> int:
    """Confirm a draft: it starts running with its audience's reach as total; return the reach.

    An empty audience does not start (0): there would be nothing to send.
    """
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None or broadcast.status != "draft":
        return 0
    total = await count_reach(session, audience_of(broadcast))
    if total == 0:
        return 0
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == "draft")
        .values(status="running", total=total)
    )
    return total


async def enqueue_broadcast_page(
    session: AsyncSession, broadcast_id: int, now: datetime, *, limit: int = PAGE
) -> int:
    """Owe a running broadcast to the next page of its audience; return the page size."""
    broadcast = await session.get(Broadcast, broadcast_id, with_for_update=True)
    if broadcast is None or broadcast.status != "running":
        return 0
    page = (
        targets(audience_of(broadcast))
        .where(Chat.id > broadcast.cursor)
        .order_by(Chat.id)
        .limit(limit)
    )
    return await owe_page(session, broadcast, page, now)


async def owe_page(
    session: AsyncSession, broadcast: Broadcast, page: Select[Any], now: datetime
) -> int:
    """Owe `broadcast` to the chats `page` selects (ids after its cursor, ascending) and move
    the cursor past them; return how many chats the page held.

    Set-based: one statement finds where the page ends, one INSERT … SELECT owes it; no chat
    id passes through Python. The page is read twice: a chat that changes in between is owed
    or not as an ordinary page boundary would have it, and the cursor still moves exactly once.
    """
    picked = page.subquery("page")
    found, last = (await session.execute(select(func.count(), func.max(picked.c.id)))).one()
    if not found:
        return 0
    await ledger.owe_selected(session, page, "broadcast", now, broadcast_id=broadcast.id)
    broadcast.cursor = int(last)
    await session.flush()
    return int(found)


async def cancel_broadcast(
    session: AsyncSession, broadcast_id: int, now: datetime, *, tz: tzinfo = DEFAULT_TZ
) -> int:
    """Stop a broadcast: nothing more is enqueued and its open rows are cancelled (counted)."""
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status.in_(("draft", "running")))
        .values(status="cancelled", finished_at=now)
    )
    cancelled = await ledger.cancel_open(session, broadcast_id)
    await ledger.add_tallies(session, {broadcast_id: Counter(cancelled=cancelled)})
    await ledger.add_outcomes(session, local_day(now, tz), {"cancelled": cancelled})
    return cancelled


async def finish_if_done(session: AsyncSession, broadcast_id: int, now: datetime) -> bool:
    """Mark a running broadcast done once every chat was enqueued and nothing is open."""
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None or broadcast.status != "running":
        return False
    more = await session.scalar(
        targets(audience_of(broadcast)).where(Chat.id > broadcast.cursor).limit(1)
    )
    if more is not None or await ledger.open_rows(session, broadcast_id):
        return False
    broadcast.status, broadcast.finished_at = "done", now
    return True


async def running_broadcasts(session: AsyncSession) -> list[int]:
    """Ids of broadcasts still running (after a restart too)."""
    query = select(Broadcast.id).where(Broadcast.status == "running").order_by(Broadcast.id)
    return list((await session.scalars(query)).all())
