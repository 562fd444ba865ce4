"""Quiet hours: pushes are held, then arrive once as "while you were away" when they end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import pushes, quiet
from storage import ledger
from storage.models import Delivery
from tests.delivery.factory import add_chats, add_story, subscribe
from tests.delivery.harness import delivery_rig

# 23:00 in Jayapura (WIT, UTC+9); 21:00 in Jakarta. The Jayapura reader sleeps 22:00–06:00.
NIGHT = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
MORNING_WIT = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)  # 06:00 WIT on the 25th


async def two_readers(session: AsyncSession) -> None:
    # Neither follows Berita Pilihan: the quiet one still gets what it missed.
    await add_chats(session, 1, start=1, timezone="Asia/Jayapura", quiet_start=22 * 60,
                    quiet_end=6 * 60)  # fmt: skip
    await add_chats(session, 1, start=2)
    for pk in (1, 2):
        await subscribe(session, pk, "topic", "nasional")


async def rows_of(sessions: async_sessionmaker[AsyncSession], chat_pk: int) -> list[Delivery]:
    async with sessions() as s:
        query = select(Delivery).where(Delivery.chat_pk == chat_pk).order_by(Delivery.id)
        return list((await s.scalars(query)).all())


async def test_pushes_in_quiet_hours_roll_into_one_message_at_their_end_in_the_chats_zone(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await two_readers(s)
        first = await add_story(s, "Banjir di Sentani", ["nasional"], published_at=NIGHT)
        second = await add_story(s, "Jalan Trans Papua dibuka", ["nasional"],
                                 published_at=NIGHT + timedelta(hours=6, minutes=59))  # fmt: skip
        dawn = await add_story(s, "Pagi cerah", ["nasional"], published_at=MORNING_WIT)
    async with sessions.begin() as s:
        assert await pushes.enqueue_pushes(s, [first], NIGHT) == 2
        # 05:59 WIT: still quiet.
        assert await pushes.enqueue_pushes(s, [second], MORNING_WIT - timedelta(minutes=1)) == 2
        # 06:00 WIT: pushed as usual.
        assert await pushes.enqueue_pushes(s, [dawn], MORNING_WIT) == 2
    quiet_rows = await rows_of(sessions, 1)
    assert [(r.story_id, r.status) for r in quiet_rows] == [
        (first, "held"),
        (second, "held"),
        (dawn, "pending"),
    ]
    assert {r.status for r in await rows_of(sessions, 2)} == {"pending"}  # Jakarta: no quiet

    async with sessions.begin() as s:
        assert await quiet.roll_held(s, MORNING_WIT - timedelta(seconds=1)) == 0
    async with sessions.begin() as s:
        assert await quiet.roll_held(s, MORNING_WIT) == 1
    async with sessions.begin() as s:
        assert await quiet.roll_held(s, MORNING_WIT + timedelta(hours=1)) == 0
    rows = await rows_of(sessions, 1)
    away = [r for r in rows if r.kind == "away"]
    assert len(away) == 1 and sorted(away[0].story_ids or []) == sorted([first, second])
    assert away[0].digest_key == "away:2026-11-24T21:00" and away[0].status == "pending"
    assert [r.status for r in rows if r.kind == "push"] == ["rolled", "rolled", "pending"]
    # Rolled rows keep their (chat, story) key: the same stories are never pushed again.
    async with sessions.begin() as s:
        assert await pushes.enqueue_pushes(s, [first, second], MORNING_WIT) == 0
        claimed = await ledger.claim(s, MORNING_WIT, 10)
    assert sorted(c.kind for c in claimed if c.chat_pk == 1) == ["away", "push"]


async def test_the_away_message_is_sent_once_with_every_held_story(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await two_readers(s)
        stories = [
            await add_story(s, title, ["nasional"], published_at=NIGHT)
            for title in ("Banjir di Sentani", "Jalan Trans Papua dibuka")
        ]
        await pushes.enqueue_pushes(s, stories, NIGHT)
        await s.execute(delete(Delivery).where(Delivery.chat_pk == 2))
    # The quiet hours of that night are long over: the service rolls and sends at once.
    async with delivery_rig(sessions) as rig:
        await rig.api.wait_until(lambda: bool(rig.api.sent(1)), "the away message")
        await rig.settle()
        rig.service.kick()
        await rig.settle()
        (message,) = rig.api.sent()
    assert message.chat_id == 1
    assert "Selama Anda tidak aktif" in message.text
    assert "Banjir di Sentani" in message.text and "Jalan Trans Papua dibuka" in message.text
