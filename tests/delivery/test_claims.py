"""Claims carry their sender and a lease: a second process never takes a live sender's rows."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import ledger
from storage.models import Delivery
from tests.bot.fakeapi import FakeBotAPI
from tests.delivery.factory import add_chats
from tests.delivery.harness import delivery_rig
from tests.delivery.test_sender import start_broadcast

CHATS = 150


async def held_by(sessions: async_sessionmaker[AsyncSession], worker: str) -> int:
    async with sessions() as s:
        query = select(func.count()).where(
            Delivery.status == "sending", Delivery.claimed_by == worker
        )
        return int((await s.execute(query)).scalar_one())


def per_chat(*apis: FakeBotAPI) -> Counter[int]:
    return Counter(int(str(c.chat_id)) for api in apis for c in api.sent())


async def test_a_second_service_starting_leaves_the_first_ones_rows_alone(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, CHATS, start=1000)
    async with delivery_rig(sessions, paid=False) as first:  # 30/s: it holds rows a while
        await start_broadcast(first, text="Siaran")
        await first.api.wait_until(lambda: len(first.api.sent()) >= 10, "the first sends")
        worker = first.service.sender.worker
        assert await held_by(sessions, worker) > 0
        async with delivery_rig(sessions, paid=False) as second:
            # Its start-up recovery found no lapsed claim: the first keeps what it holds.
            assert await held_by(sessions, worker) > 0
            await first.settle(within=60)
            await second.settle(within=60)
            assert first.alive() and second.alive()
            counts = per_chat(first.api, second.api)
    assert set(counts) == set(range(1000, 1000 + CHATS))
    assert set(counts.values()) == {1}  # nobody twice
    async with sessions() as s:
        statuses = (await s.scalars(select(Delivery.status).distinct())).all()
    assert list(statuses) == ["sent"]


async def test_a_sender_that_sees_its_own_rows_again_sends_each_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, CHATS, start=1000)
    async with delivery_rig(sessions, paid=False) as rig:
        await start_broadcast(rig, text="Siaran")
        await rig.api.wait_until(lambda: len(rig.api.sent()) >= 10, "the first sends")
        # A mistaken recovery (lease zero) returns every claimed row, queued and in flight,
        # to pending: the same sender claims them again while it still holds them.
        async with sessions.begin() as s:
            assert await ledger.recover(s, rig.clock() + timedelta(hours=1), timedelta(0)) > 0
        rig.service.kick()
        await rig.settle(within=60)
        assert rig.alive()
        counts = per_chat(rig.api)
    assert set(counts) == set(range(1000, 1000 + CHATS))
    assert set(counts.values()) == {1}
