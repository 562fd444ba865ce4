"""The bot's sending budget kept in PostgreSQL, where every process of one bot can see it.

Telegram's limits (about 30 messages a second, one a second per private chat, 20 a minute per
group) belong to the bot, not to a process: `web` processes replying and the lead worker
sending draw on these rows. Times are the server's clock, so processes on machines whose
clocks differ still space their sends right. Also: each sender's last accepted message, for
the health check.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import BigInteger, Float, bindparam, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import insert_for
from storage.models import SendBudget, SendBudgetChat, SenderHeartbeat

_TAKE = text(
    "SELECT granted, wait FROM newsbot_take_send_slot(:pace, :interval, :chat, :gap, :patience)"
)
_TAKE_MANY = text(
    "SELECT idx, granted, wait "
    "FROM newsbot_take_send_slots(:pace, :interval, :chats, :gaps, :patience) ORDER BY idx"
).bindparams(bindparam("chats", type_=ARRAY(BigInteger)), bindparam("gaps", type_=ARRAY(Float)))
_DEFER = text(
    "INSERT INTO send_budget_chats (chat_key, ready_at) "
    "VALUES (:chat, clock_timestamp() + make_interval(secs => :seconds)) "
    "ON CONFLICT (chat_key) DO UPDATE "
    "SET ready_at = greatest(send_budget_chats.ready_at, EXCLUDED.ready_at)"
)
_PAUSE = text(
    "UPDATE send_budget "
    "SET paused_until = greatest(paused_until, clock_timestamp() + make_interval(secs => :s))"
)
_PAUSED = text(
    "SELECT coalesce(extract(epoch FROM max(paused_until) - clock_timestamp()), 0) "
    "FROM send_budget"
)


async def take_slot(
    session: AsyncSession,
    pace: str,
    interval: float,
    chat_key: int | None,
    gap: float,
    patience: float,
) -> tuple[bool, float]:
    """Take the next slot of `pace` for a message to `chat_key` (None: no chat), if it is free
    within `patience` seconds: (True, seconds to wait before sending). Otherwise nothing is
    taken: (False, seconds until the chat, or the pace, is free)."""
    row = (
        await session.execute(
            _TAKE,
            {
                "pace": pace,
                "interval": interval,
                "chat": chat_key,
                "gap": gap,
                "patience": patience,
            },
        )
    ).one()
    return bool(row.granted), max(0.0, float(row.wait))


async def take_slots(
    session: AsyncSession,
    pace: str,
    interval: float,
    chats: Sequence[tuple[int, float]],
    patience: float,
) -> list[tuple[bool, float]]:
    """`take_slot` for several messages, (chat, its gap) each, in one round trip: each gets the
    next free slot of `pace` in turn, or nothing (with the wait) when its chat is not free."""
    result = await session.execute(
        _TAKE_MANY,
        {
            "pace": pace,
            "interval": interval,
            "chats": [chat for chat, _ in chats],
            "gaps": [gap for _, gap in chats],
            "patience": patience,
        },
    )
    return [(bool(r.granted), max(0.0, float(r.wait))) for r in result]


async def defer_chat(session: AsyncSession, chat_key: int, seconds: float) -> None:
    """Hold one chat back for `seconds` (Telegram's flood control for that chat)."""
    await session.execute(_DEFER, {"chat": chat_key, "seconds": seconds})


async def pause_all(session: AsyncSession, seconds: float) -> None:
    """Hold every send back for `seconds` (flood control for the whole bot)."""
    await session.execute(_PAUSE, {"s": seconds})


async def paused_for(session: AsyncSession) -> float:
    """Seconds every send is still held back (0 when not)."""
    return max(0.0, float((await session.execute(_PAUSED)).scalar_one()))


async def forget_past(session: AsyncSession, before: datetime) -> int:
    """Drop chats free since before `before` (they need no row); return how many."""
    result = await session.execute(delete(SendBudgetChat).where(SendBudgetChat.ready_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


async def reset(session: AsyncSession) -> None:
    """Forget every pace and chat (tests and benchmarks start from a clean budget)."""
    await session.execute(delete(SendBudgetChat))
    await session.execute(update(SendBudget).values(next_at=func.now(), paused_until=func.now()))


async def beat(session: AsyncSession, worker: str, sent_at: datetime) -> None:
    """Note that `worker` had a message accepted at `sent_at`."""
    stmt = insert_for(session, SenderHeartbeat).values(worker=worker, last_sent_at=sent_at)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[SenderHeartbeat.worker], set_={"last_sent_at": sent_at}
        )
    )


async def last_sent(session: AsyncSession) -> datetime | None:
    """When any sender last had a message accepted, or None."""
    latest: datetime | None = await session.scalar(select(func.max(SenderHeartbeat.last_sent_at)))
    return latest


async def forget_senders(session: AsyncSession, now: datetime, keep: timedelta) -> None:
    """Drop heartbeats of senders silent for longer than `keep` (each start names a new one)."""
    await session.execute(delete(SenderHeartbeat).where(SenderHeartbeat.last_sent_at < now - keep))
