"""The Pilihan job: which chats are due at which slot in their zone, owed once, no repeats."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from bot.telegram.jobs import (
    INGEST_AT_LEAST,
    INGEST_AT_MOST,
    due_slot,
    enqueue_due_digests,
    until_next_poll,
)
from storage import chats
from storage.models import Delivery, DigestItem, Source
from tests.bot.harness import BotHarness, add_story

WIB = ZoneInfo("Asia/Jakarta")
MORNING = datetime(2026, 11, 25, 0, 5, tzinfo=UTC)  # 07:05 WIB, 09:05 WIT


def test_due_slot_in_the_chats_zone_within_grace() -> None:
    times = [time(7), time(12), time(19)]
    assert due_slot(MORNING, WIB, times) == ("2026-11-25T07:00", "2026-11-25")
    assert due_slot(MORNING + timedelta(minutes=40), WIB, times) is None  # past the grace
    assert due_slot(MORNING - timedelta(minutes=10), WIB, times) is None  # 06:55
    late = datetime(2026, 11, 25, 12, 10, tzinfo=UTC)  # 19:10 WIB
    assert due_slot(late, WIB, times) == ("2026-11-25T19:00", "2026-11-25")
    wit = ZoneInfo("Asia/Jayapura")
    assert due_slot(MORNING, wit, [time(9)]) == ("2026-11-25T09:00", "2026-11-25")


async def owed(bot: BotHarness) -> list[tuple[int, str | None, list[int] | None]]:
    async with bot.resources.sessions() as s:
        rows = (await s.scalars(select(Delivery).order_by(Delivery.id))).all()
        return [(r.chat_pk, r.digest_key, r.story_ids) for r in rows]


async def test_digests_owed_once_per_slot_without_repeats(bot: BotHarness) -> None:
    sessions, settings = bot.resources.sessions, bot.app.bot_data.settings
    assert settings is not None
    first = [
        await add_story(bot.resources, f"Pagi {n}", published_at=MORNING - timedelta(hours=n + 1))
        for n in range(3)
    ]
    old = await add_story(bot.resources, "Kemarin", published_at=MORNING - timedelta(days=2))
    async with sessions.begin() as s:
        wib = await chats.ensure_chat(s, chat_id=1, type="private", now=MORNING)
        wit = await chats.ensure_chat(s, chat_id=2, type="private", now=MORNING)
        await chats.update_chat(
            s, wit.id, MORNING, timezone="Asia/Jayapura", pilihan_times=["09:00"]
        )
        later = await chats.ensure_chat(s, chat_id=3, type="private", now=MORNING)
        await chats.update_chat(s, later.id, MORNING, pilihan_times=["08:00"])
        gone = await chats.ensure_chat(s, chat_id=4, type="private", now=MORNING)
        silent = await chats.ensure_chat(s, chat_id=5, type="private", now=MORNING)
        await chats.subscribe(s, silent.id, "topic", "olahraga", MORNING)
        for chat in (wib, wit, later, gone):
            await chats.subscribe(s, chat.id, "pilihan", "", MORNING)
        await chats.mark_inactive(s, 4, "blocked", MORNING)

    assert await enqueue_due_digests(sessions, settings, MORNING) == 2
    assert await enqueue_due_digests(sessions, settings, MORNING + timedelta(minutes=1)) == 0
    rows = await owed(bot)
    assert [(pk, key) for pk, key, _ in rows] == [
        (wib.id, "2026-11-25T07:00"),
        (wit.id, "2026-11-25T09:00"),
    ]
    assert sorted(rows[0][2] or []) == sorted(first) and old not in (rows[0][2] or [])

    # Noon: the morning's stories are not repeated; only what is new is picked.
    noon = MORNING + timedelta(hours=5)
    assert await enqueue_due_digests(sessions, settings, noon) == 0  # nothing new
    fresh = await add_story(bot.resources, "Siang", published_at=noon - timedelta(minutes=30))
    assert await enqueue_due_digests(sessions, settings, noon) == 1
    assert (await owed(bot))[-1] == (wib.id, "2026-11-25T12:00", [fresh])
    async with sessions() as s:
        given = (
            await s.scalars(select(DigestItem.story_id).where(DigestItem.chat_pk == wib.id))
        ).all()
    assert sorted(given) == sorted([*first, fresh])


async def test_the_next_ingest_run_is_when_the_next_source_falls_due(bot: BotHarness) -> None:
    sessions = bot.resources.sessions
    async with sessions.begin() as s:
        await s.execute(delete(Source))
    assert await until_next_poll(sessions, MORNING) == INGEST_AT_MOST.total_seconds()
    async with sessions.begin() as s:
        for name, due, enabled in (
            ("soon", MORNING + timedelta(seconds=12), True),
            ("paused", MORNING + timedelta(seconds=2), False),
            ("later", MORNING + timedelta(hours=1), True),
        ):
            s.add(Source(name=name, url=f"http://{name}.test/rss", enabled=enabled,
                         next_due_at=due, created_at=MORNING))  # fmt: skip
    assert await until_next_poll(sessions, MORNING) == 12.0
    overdue = MORNING + timedelta(minutes=5)
    assert await until_next_poll(sessions, overdue) == INGEST_AT_LEAST.total_seconds()
