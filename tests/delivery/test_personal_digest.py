"""What the sender sends for the personal Berita Pilihan, on both stores and both send paths:
a digest says why it holds what it holds and carries 👍/👎 per item and the reset button; a
push carries "more / less like this"."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import outbox, personal
from bot.delivery.pilihan import local_day
from bot.delivery.service import utcnow
from bot.news.affinity import Signal
from storage.models import Chat, DigestItem
from tests.delivery.factory import add_chats, add_story, subscribe
from tests.delivery.harness import delivery_rig


async def test_a_digest_says_why_and_carries_feedback_buttons(
    sessions: async_sessionmaker[AsyncSession], send_path: str
) -> None:
    now = utcnow()
    async with sessions.begin() as s:
        await add_chats(s, 2, start=700)
        taught, fresh = (await s.scalars(select(Chat.id).order_by(Chat.id))).all()
        await subscribe(s, fresh, "pilihan", "")
        await subscribe(s, fresh, "topic", "region:bali")  # a follow explains picks as well
        goal = await add_story(
            s, "Gol di menit akhir", ["sepak-bola", "olahraga"], published_at=now
        )
        other = await add_story(s, "Sidang kabinet", ["politik"], published_at=now)
        await personal.learn(s, taught, goal, Signal.MORE, now)
        for pk in (taught, fresh):
            await outbox.enqueue_digest(
                s, pk, "2026-12-06T07:00", [goal, other], "2026-12-06", now
            )
        await s.execute(Chat.__table__.update().values(push_enabled=False))  # digests only
    async with delivery_rig(sessions) as rig:
        await rig.settle()
        [to_taught] = rig.api.sent(700)
        [to_fresh] = rig.api.sent(701)
    assert "<i>Karena Anda mengikuti Olahraga, Sepak Bola</i>" in to_taught.text
    assert "👍/👎 di bawah" in to_taught.text
    data = [b["callback_data"] for b in to_taught.buttons() if "callback_data" in b]
    assert data == [f"fb|+|{goal}", f"fb|+|{other}", f"fb|-|{goal}", f"fb|-|{other}", "fb|r"]
    # Nothing learned and no followed topic among the picks: no "because", nothing to reset.
    assert "Karena Anda" not in to_fresh.text
    assert "fb|r" not in [b.get("callback_data") for b in to_fresh.buttons()]


async def test_a_push_carries_more_and_less_like_this(
    sessions: async_sessionmaker[AsyncSession], send_path: str
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 1, start=800)
        await subscribe(s, 1, "topic", "ekonomi")
        story = await add_story(s, "Rupiah menguat", ["ekonomi"], published_at=utcnow())
    async with delivery_rig(sessions) as rig:
        await rig.settle_pushes()
        await rig.settle()
        [push] = rig.api.sent(800)
    assert [(b["text"], b.get("callback_data")) for b in push.buttons()][-2:] == [
        ("👍 Lebih banyak seperti ini", f"fb|+|{story}"),
        ("👎 Kurangi seperti ini", f"fb|-|{story}"),
    ]


async def test_a_page_of_chats_is_ranked_as_each_chat_alone_would_be(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    tz = ZoneInfo("Asia/Jakarta")
    async with sessions.begin() as s:
        await add_chats(s, 3, start=900)
        taught, given, fresh = (await s.scalars(select(Chat.id).order_by(Chat.id))).all()
        topics = (
            ["sepak-bola", "olahraga"],
            ["politik"],
            ["ekonomi"],
            ["regional", "region:bali"],
        )
        ids = [
            await add_story(
                s, f"Kabar {n}", topics[n % 4], published_at=now - timedelta(minutes=n)
            )
            for n in range(12)
        ]
        await personal.learn(s, taught, ids[0], Signal.MORE, now)
        await personal.learn(s, taught, ids[1], Signal.LESS, now)
        await s.execute(
            insert(DigestItem).values(chat_pk=given, day=local_day(now, tz), story_id=ids[0])
        )
    async with sessions() as s:
        page = await personal.picks_for_chats(s, [(taught, tz), (given, tz), (fresh, tz)], now=now)
        for pk in (taught, given, fresh):
            alone = await personal.pick_for_chat(s, chat_pk=pk, now=now, tz=tz)
            assert page[pk] == alone.picks
    assert ids[0] not in page[given].ids and ids[0] in page[fresh].ids
    assert page[taught].ids != page[fresh].ids
