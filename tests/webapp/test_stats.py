"""The aggregates behind the admins' charts, on both stores."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.telegram.jobs import snapshot_followers
from storage import chats, ledger, stats
from tests.dbs import engine, sessions
from tests.delivery.factory import NOW, add_chats, subscribe

__all__ = ["engine", "sessions"]
WIB = ZoneInfo("Asia/Jakarta")


async def test_the_follower_snapshot_is_the_days_last_count(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 3)
        await subscribe(s, 1, "topic", "olahraga")
        await subscribe(s, 2, "topic", "olahraga")
        await subscribe(s, 3, "pilihan", "")
    await snapshot_followers(sessions, WIB, NOW - timedelta(days=1))
    await snapshot_followers(sessions, WIB, NOW)
    async with sessions.begin() as s:
        await chats.unsubscribe(s, 2)  # later the same day: the snapshot is taken again
    await snapshot_followers(sessions, WIB, NOW + timedelta(hours=1))
    async with sessions() as s:
        history = await stats.follower_history(s, "2026-11-24")
    assert history == {
        "2026-11-24": {"olahraga": 2, "pilihan": 1},
        "2026-11-25": {"olahraga": 1, "pilihan": 1},
    }


async def test_hourly_outcomes_add_up_to_the_days(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await ledger.add_outcomes(s, "2026-11-25", {"sent": 3}, at=NOW)
        await ledger.add_outcomes(s, "2026-11-25", {"sent": 2, "failed": 1}, at=NOW)
        later = NOW + timedelta(minutes=75)
        await ledger.add_outcomes(s, "2026-11-25", {"sent": 4, "retried": 0}, at=later)
        await ledger.add_outcomes(s, "2026-11-25", {"sent": 10})  # without a time: daily only
    async with sessions() as s:
        day = await ledger.outcomes(s, "2026-11-25")
        hourly = await stats.hourly_outcomes(s, NOW - timedelta(hours=1))
    assert day == {"sent": 19, "failed": 1}
    hour = NOW.replace(minute=0)
    assert hourly == [
        (hour, "failed", 1),
        (hour, "sent", 5),
        (hour + timedelta(hours=1), "sent", 4),
    ]
