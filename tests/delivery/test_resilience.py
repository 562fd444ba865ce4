"""One bad row, a flooded chat or a flooded bot never stops delivery to everyone else."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import outbox, pushes
from bot.delivery.compose import Composer
from bot.delivery.errors import MAX_ATTEMPTS
from bot.delivery.service import utcnow
from bot.telegram.formatting import render_story
from storage.models import Delivery, EventLog
from tests.bot import fakeapi
from tests.bot.fakeapi import BOT_USERNAME
from tests.delivery.factory import add_chats, add_story, subscribe
from tests.delivery.harness import delivery_rig
from tests.delivery.test_sender import start_broadcast

# Each test runs on both of the sender's paths to Telegram (PTB, and the lean one).
pytestmark = pytest.mark.usefixtures("send_path")


def exploding_renderer(view: Any, **kw: Any) -> Any:
    """render_story, except that a story titled "Meledak" cannot be rendered."""
    if view.title == "Meledak":
        raise ValueError("no template for this story")
    return render_story(view, **kw)


async def ledger_rows(sessions: async_sessionmaker[AsyncSession]) -> list[Delivery]:
    async with sessions() as s:
        return list((await s.scalars(select(Delivery).order_by(Delivery.id))).all())


async def test_a_row_that_cannot_be_composed_fails_alone_and_delivery_goes_on(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    async with sessions.begin() as s:
        await add_chats(s, 3, start=500)
        for pk in (1, 2, 3):
            await subscribe(s, pk, "topic", "nasional")
        bad = await add_story(s, "Meledak", ["nasional"], published_at=now)
        good = await add_story(s, "Baik-baik saja", ["nasional"], published_at=now)
    composer = Composer(
        tz=pushes.DEFAULT_TZ,
        bot_username=lambda: BOT_USERNAME,
        clock=utcnow,
        story_renderer=exploding_renderer,
    )
    async with delivery_rig(sessions, composer=composer) as rig:
        await rig.settle_pushes()
        await rig.settle()
        assert rig.alive()
        assert sorted(c.chat_id for c in rig.api.sent()) == [500, 501, 502]  # type: ignore[type-var]
        assert all("Baik-baik saja" in c.text for c in rig.api.sent())
        # Delivery goes on after the failure: a later story reaches everyone.
        async with sessions.begin() as s:
            await add_story(s, "Berita berikutnya", ["nasional"], published_at=utcnow())
        rig.service.kick()
        await rig.settle_pushes()
        await rig.settle()
        assert len(rig.api.sent()) == 6
    rows = await ledger_rows(sessions)
    failed = [r for r in rows if r.story_id == bad]
    assert [r.status for r in failed] == ["failed"] * 3
    assert all(
        "ValueError" in (r.error or "") and "no template" in (r.error or "") for r in failed
    )
    assert {r.status for r in rows if r.story_id == good} == {"sent"}
    async with sessions() as s:
        logged = (await s.scalars(select(EventLog).where(EventLog.kind == "delivery"))).all()
    assert logged and all(f"story {bad}" in e.message for e in logged)
    # A restart does not try the failed rows again.
    async with delivery_rig(sessions, composer=composer) as again:
        await again.settle()
        assert again.api.sent() == []


async def test_a_flooded_chat_hands_its_rows_back_and_others_are_served(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    async with sessions.begin() as s:
        await add_chats(s, 11, start=1)  # pk n has Telegram id n
        await subscribe(s, 1, "topic", "ekonomi")
        for n in range(40):
            await add_story(s, f"Ekonomi {n}", ["ekonomi"], published_at=now)
        for pk in range(2, 12):
            await subscribe(s, pk, "topic", "olahraga")
        await add_story(s, "Bola", ["olahraga"], published_at=now)
    api = fakeapi.FakeBotAPI()
    api.fail(fakeapi.retry_after(3600), chat_id=1)
    async with delivery_rig(sessions, paid=False, api=api) as rig:  # 30/s: a small queue
        await rig.settle_pushes()
        await rig.settle(until_open=40)
        sent_to = sorted(c.chat_id for c in rig.api.sent())  # type: ignore[type-var]
        assert sent_to == list(range(1, 12))  # chat 1's one refused try, and the ten others
        assert rig.alive()
    rows = [r for r in await ledger_rows(sessions) if r.chat_pk == 1]
    assert len(rows) == 40 and {r.status for r in rows} == {"pending"}
    # Back in the ledger, due after the hour Telegram asked for, with no attempt used up.
    assert all(r.not_before - now > timedelta(minutes=55) for r in rows)
    assert all(r.attempts == 0 and r.claimed_by is None for r in rows)


async def test_429s_on_two_chats_pause_the_whole_bot(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    async with sessions.begin() as s:
        await add_chats(s, 30, start=1)
    api = fakeapi.FakeBotAPI()
    api.fail(fakeapi.retry_after(3600), chat_id=1)
    api.fail(fakeapi.retry_after(3600), chat_id=2)
    async with delivery_rig(sessions, paid=False, api=api) as rig:
        await start_broadcast(rig, text="Siaran")
        await api.wait_until(lambda: bool(api.sent(1) and api.sent(2)), "both refusals")
        await rig.until_none_sending()
        concurrency = rig.service.sender.concurrency
        assert len(rig.api.sent()) <= 2 + concurrency  # sends already under way finish
        assert rig.service.sender.stats["paused"] >= 1
    rows = await ledger_rows(sessions)
    waiting = [r for r in rows if r.status == "pending"]
    assert len(waiting) >= 30 - concurrency and not [r for r in rows if r.status == "sending"]
    assert all(r.not_before - now > timedelta(minutes=55) for r in waiting)


async def test_flood_control_does_not_use_up_the_retries(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 1, start=77)
    api = fakeapi.FakeBotAPI()
    api.fail(fakeapi.retry_after(1), chat_id=77, times=MAX_ATTEMPTS + 2)
    async with delivery_rig(sessions, api=api) as rig:
        await start_broadcast(rig, text="Sabar")
        await rig.settle(within=60)
    (row,) = await ledger_rows(sessions)
    assert row.status == "sent" and row.attempts == 1
    assert len(api.sent(77)) == MAX_ATTEMPTS + 3


async def test_cancel_stops_the_rows_already_queued(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 150, start=1000)
    async with delivery_rig(sessions, paid=False) as rig:  # 30/s: 32 rows queued ahead
        b = await start_broadcast(rig, text="Siaran")
        await rig.api.wait_until(lambda: len(rig.api.sent()) >= 10, "the first sends")
        async with sessions.begin() as s:
            await outbox.cancel_broadcast(s, b, utcnow())
        rig.service.kick()  # what the Cancel button does
        at_cancel = len(rig.api.sent())
        await rig.until_none_sending()
        await rig.settle()
        after = len(rig.api.sent()) - at_cancel
        assert after <= rig.service.sender.concurrency  # only sends already under way
        assert rig.alive()
    rows = await ledger_rows(sessions)
    statuses = Counter(r.status for r in rows)
    assert statuses["sent"] == len(rig.api.sent())  # one sent in flight is recorded as sent
    assert statuses["sent"] + statuses["cancelled"] == 150
