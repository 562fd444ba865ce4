"""What the sender sends for the personal Berita Pilihan, on both stores and both send paths:
a digest says why it holds what it holds and carries 👍/👎 per item and the reset button; a
push carries "more / less like this"."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import outbox, personal
from bot.delivery.service import utcnow
from bot.news.affinity import Signal
from storage.models import Chat
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
