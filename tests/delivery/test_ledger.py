"""The ledger and outbox on SQLite and PostgreSQL: one row per owed message, claimed once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import outbox, pushes, quiet
from storage import ledger
from storage.audiences import EVERYONE
from storage.models import Broadcast, Chat, Delivery, DigestItem
from tests.delivery.factory import NOW, add_chats, add_story, subscribe


async def delivery_count(sessions: async_sessionmaker[AsyncSession], **where: object) -> int:
    async with sessions() as s:
        query = select(func.count()).select_from(Delivery)
        for key, value in where.items():
            query = query.where(getattr(Delivery, key) == value)
        return int((await s.execute(query)).scalar_one())


async def test_pushes_match_topics_and_keywords_once_per_chat_and_story(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 6)
        await subscribe(s, 1, "topic", "ekonomi")
        await subscribe(s, 1, "keyword", "rupiah")  # both match: still one push
        await subscribe(s, 2, "keyword", "Rupiah")
        await subscribe(s, 3, "topic", "olahraga")  # does not match
        await subscribe(s, 4, "topic", "ekonomi")
        await subscribe(s, 5, "topic", "ekonomi")
        await subscribe(s, 6, "keyword", "rupi")  # not a whole word
        await s.execute(update(Chat).where(Chat.id == 4).values(active=False))
        await s.execute(update(Chat).where(Chat.id == 5).values(push_enabled=False))
        story = await add_story(s, "Rupiah menguat pagi ini", ["ekonomi"])
    async with sessions.begin() as s:
        assert await pushes.enqueue_pushes(s, [story], NOW) == 2
    async with sessions.begin() as s:
        assert await pushes.enqueue_pushes(s, [story], NOW) == 0
        rows = (await s.scalars(select(Delivery).order_by(Delivery.chat_pk))).all()
        assert [(r.chat_pk, r.kind, r.story_id, r.status) for r in rows] == [
            (1, "push", story, "pending"),
            (2, "push", story, "pending"),
        ]


async def test_quiet_hours_hold_the_push_until_they_end(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        # NOW is 10:00 in Jakarta: chat 1 is quiet 09:00–11:00, chat 2 22:00–06:00, chat 3 in
        # Jayapura (12:00 there) is quiet 11:30–13:00.
        await add_chats(s, 1, start=1, quiet_start=9 * 60, quiet_end=11 * 60)
        await add_chats(s, 1, start=2, quiet_start=22 * 60, quiet_end=6 * 60)
        await add_chats(
            s, 1, start=3, quiet_start=11 * 60 + 30, quiet_end=13 * 60, timezone="Asia/Jayapura"
        )
        for pk in (1, 2, 3):
            await subscribe(s, pk, "topic", "nasional")
        story = await add_story(s, "Sidang kabinet", ["nasional"])
        assert await pushes.enqueue_pushes(s, [story], NOW) == 3
        rows = (await s.scalars(select(Delivery).order_by(Delivery.chat_pk))).all()
        assert [(r.chat_pk, r.status) for r in rows] == [(1, "held"), (2, "pending"), (3, "held")]
        # 11:00 in Jakarta and 13:00 in Jayapura are both 04:00 UTC.
        assert rows[0].not_before == rows[2].not_before == NOW + timedelta(hours=1)
    async with sessions.begin() as s:
        assert [c.chat_pk for c in await ledger.claim(s, NOW + timedelta(days=1), 10)] == [2]


def test_quiet_hours_wrap_past_midnight() -> None:
    tz = pushes.DEFAULT_TZ
    late = NOW.replace(hour=16)  # 23:00 WIB
    assert quiet.in_quiet_hours(late, 22 * 60, 6 * 60, tz)
    assert not quiet.in_quiet_hours(NOW, 22 * 60, 6 * 60, tz)
    assert not quiet.in_quiet_hours(NOW, None, None, tz)
    # 06:00 WIB the next morning is 23:00 UTC the same day.
    assert quiet.quiet_ends_at(late, 6 * 60, tz) == NOW.replace(hour=23)


async def test_concurrent_enqueuers_and_claimers_never_double_a_row(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 300)
        for pk in range(1, 301):
            await subscribe(s, pk, "topic", "nasional")
        stories = [await add_story(s, f"Berita {i}", ["nasional"]) for i in range(3)]

    async def enqueue() -> int:
        async with sessions.begin() as s:
            return await pushes.enqueue_pushes(s, stories, NOW)

    added = await asyncio.gather(enqueue(), enqueue())
    assert sum(added) == 900
    assert await delivery_count(sessions) == 900

    async def claimer() -> list[int]:
        got: list[int] = []
        while True:
            async with sessions.begin() as s:
                batch = await ledger.claim(s, NOW, 37)
            if not batch:
                return got
            got += [c.id for c in batch]
            await asyncio.sleep(0)

    first, second = await asyncio.gather(claimer(), claimer())
    assert not set(first) & set(second)
    assert len(first) + len(second) == 900
    assert await delivery_count(sessions, status="sending") == 900


async def test_claim_respects_not_before_and_recover_returns_only_lapsed_claims(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 2)
        story = await add_story(s, "Gempa", ["nasional"])
        later = ledger.owed_row(2, "push", NOW + timedelta(hours=9), story_id=story)
        await ledger.enqueue(s, [ledger.owed_row(1, "push", NOW, story_id=story), later])
    lease = timedelta(minutes=2)
    async with sessions.begin() as s:
        claimed = await ledger.claim(s, NOW, 10, worker="a")
        assert [(c.chat_pk, c.attempts) for c in claimed] == [(1, 1)]
    async with sessions.begin() as s:
        assert await ledger.claim(s, NOW, 10) == []
        assert await ledger.recover(s, NOW + timedelta(minutes=1), lease) == 0  # a's is live
        assert await ledger.recover(s, NOW + timedelta(minutes=3), lease) == 1  # a is gone
    async with sessions.begin() as s:
        claimed = await ledger.claim(s, NOW, 10, worker="b")
        assert [(c.chat_pk, c.attempts) for c in claimed] == [(1, 2)]
        await ledger.mark_failed(s, claimed[0].id, "late", worker="a")  # not a's any more
        await ledger.mark_sent(s, claimed[0].id, 555, NOW)
        await ledger.mark_sent(s, claimed[0].id, 777, NOW)  # the first message id stays
    async with sessions.begin() as s:
        assert await ledger.recover(s, NOW + timedelta(hours=1), lease) == 0
        assert await ledger.counts(s) == {"sent": 1, "pending": 1}
        sent = (await s.scalars(select(Delivery).where(Delivery.status == "sent"))).one()
        assert (sent.telegram_message_id, sent.sent_at) == (555, NOW)


async def test_digest_is_owed_once_and_remembers_its_stories(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 1)
        ids = [await add_story(s, f"S{i}", []) for i in range(3)]
        assert await outbox.enqueue_digest(s, 1, "2026-11-25T07:00", ids, "2026-11-25", NOW)
    async with sessions.begin() as s:
        again = await outbox.enqueue_digest(s, 1, "2026-11-25T07:00", ids, "2026-11-25", NOW)
        assert not again
        row = (await s.scalars(select(Delivery))).one()
        assert (row.kind, row.story_ids) == ("digest", ids)
        items = (await s.scalars(select(DigestItem.story_id).order_by(DigestItem.story_id))).all()
        assert list(items) == ids


async def test_broadcast_enqueued_in_pages_by_cursor_even_by_two_feeders(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 2500)
        await s.execute(update(Chat).where(Chat.id == 7).values(active=False))
        b = await outbox.create_broadcast(s, 1, NOW, text="<b>Halo</b>", audience=EVERYONE)
        assert await outbox.start_broadcast(s, b.id) == 2499

    async def feeder() -> int:
        total = 0
        while True:
            async with sessions.begin() as s:
                n = await outbox.enqueue_broadcast_page(s, b.id, NOW, limit=400)
            if not n:
                return total
            total += n

    await asyncio.gather(feeder(), feeder())
    assert await delivery_count(sessions, broadcast_id=b.id) == 2499
    async with sessions.begin() as s:
        assert (await s.get_one(Broadcast, b.id)).cursor == 2500
        assert not await outbox.finish_if_done(s, b.id, NOW)
        claimed = await ledger.claim(s, NOW, 10)
        for c in claimed:
            await ledger.mark_sent(s, c.id, 1, NOW)
        assert await outbox.cancel_broadcast(s, b.id, NOW) == 2489
        assert await outbox.running_broadcasts(s) == []
        assert await ledger.counts(s, broadcast_id=b.id) == {"sent": 10, "cancelled": 2489}


async def test_finished_broadcast_is_marked_done(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 3)
        b = await outbox.create_broadcast(s, 1, NOW, source=(42, 7), audience=EVERYONE)
        await outbox.start_broadcast(s, b.id)
        assert await outbox.enqueue_broadcast_page(s, b.id, NOW) == 3
        for c in await ledger.claim(s, NOW, 10):
            await ledger.mark_sent(s, c.id, 1, NOW)
        assert await outbox.finish_if_done(s, b.id, NOW)
        assert (await s.get_one(Broadcast, b.id)).status == "done"


async def test_pushes_and_digests_are_claimed_before_broadcast_rows(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 60)
        b = await outbox.create_broadcast(s, 1, NOW, text="Siaran", audience=EVERYONE)
        await outbox.start_broadcast(s, b.id)
        assert await outbox.enqueue_broadcast_page(s, b.id, NOW - timedelta(minutes=5)) == 60
        story = await add_story(s, "Gempa", ["nasional"])
        await subscribe(s, 60, "topic", "nasional")
        assert await pushes.enqueue_pushes(s, [story], NOW) == 1
        assert await outbox.enqueue_digest(s, 59, "2026-11-25T10:00", [story], "2026-11-25", NOW)
    async with sessions.begin() as s:
        # Older broadcast rows, lower ids: still the push and the digest go first.
        first = await ledger.claim(s, NOW, 3)
        assert [c.kind for c in first] == ["push", "digest", "broadcast"]
        rest = await ledger.claim(s, NOW, 100)
        assert {c.kind for c in rest} == {"broadcast"} and len(rest) == 59
