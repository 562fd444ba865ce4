"""Paid broadcast at scale: the lean send path says what PTB says, a broadcast page is owed
with one INSERT … SELECT, and each broadcast's tally follows its ledger rows without counting
them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Bot

from bot.delivery import outbox
from bot.delivery.budget import PostgresBudget, SendBudget
from bot.delivery.compose import Outgoing
from bot.delivery.errors import Action, Verdict
from bot.delivery.pacing import Pacer
from bot.delivery.progress import Tally
from bot.delivery.transport import LeanTransport, PtbTransport
from bot.telegram.formatting import AppButton, Rendered
from bot.telegram.lean import LeanBotApi
from storage import ledger
from storage.audiences import EVERYONE
from storage.models import Broadcast, Chat, Delivery
from tests.bot import fakeapi
from tests.bot.fakeapi import BOT_TOKEN, FakeBotAPI
from tests.bot.fakeapi_http import bot_api_app
from tests.delivery.factory import NOW, add_chats
from tests.delivery.harness import delivery_rig
from tests.delivery.test_sender import start_broadcast


@asynccontextmanager
async def both_paths(api: FakeBotAPI) -> AsyncIterator[tuple[PtbTransport, LeanTransport]]:
    """PTB's Bot on the in-process fake, and the lean path to the same fake over HTTP."""
    runner = web.AppRunner(bot_api_app(api), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    bot = Bot(BOT_TOKEN, request=api, get_updates_request=api)
    await bot.initialize()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/bot{BOT_TOKEN}"
    lean = LeanTransport(LeanBotApi(url, connections=4))
    await lean.open()
    try:
        yield PtbTransport(bot), lean
    finally:
        await lean.close()
        await bot.shutdown()
        await runner.cleanup()


def outgoing(chat_id: int = 5001, thread_id: int = 0, **changes: Any) -> Outgoing:
    fields: dict[str, Any] = {"rendered": Rendered(text="<b>Halo</b> &amp; selamat pagi")}
    fields.update(changes)
    kind = "private" if chat_id > 0 else "supergroup"
    return Outgoing(1, 1, chat_id, thread_id, kind, 1, "broadcast", **fields)


MESSAGES = {
    "plain broadcast": outgoing(),
    "buttons and a preview": outgoing(
        rendered=Rendered(
            text="<b>Judul</b>\nRingkasan",
            buttons=[[("Kompas", "https://kompas.test/a"), ("Detik", "https://detik.test/b")]],
            preview_url="https://kompas.test/a.jpg",
        )
    ),
    "Mini App button in a private chat": outgoing(
        rendered=Rendered(
            text="Berita", app=AppButton("📖 Baca di sini", "https://app.test/app/?story=3", True)
        )
    ),
    "Mini App link in a forum topic": outgoing(
        chat_id=-100500,
        thread_id=7,
        rendered=Rendered(
            text="Berita", app=AppButton("📖 Baca di sini", "https://app.test/app/", False)
        ),
    ),
    "copied message": outgoing(rendered=None, copy_from=(777, 12)),
}


@pytest.mark.parametrize("name", list(MESSAGES))
@pytest.mark.parametrize("html", [True, False])
@pytest.mark.parametrize("paid", [True, False])
async def test_the_lean_path_sends_what_ptb_sends(name: str, html: bool, paid: bool) -> None:
    item = MESSAGES[name]
    if item.copy_from is not None and not html:
        pytest.skip("a copy has no parse mode")
    api = FakeBotAPI()
    async with both_paths(api) as (ptb, lean):
        by_ptb = await ptb.send(item, html=html, paid=paid)
        by_lean = await lean.send(item, html=html, paid=paid)
        again = await lean.send(item, html=html, paid=paid)  # its body serialised once, reused
    first, second, third = [c for c in api.calls if c.method != "getMe"]
    assert first.method == second.method == third.method
    assert first.params == second.params == third.params  # method, text, parse mode, buttons…
    assert by_ptb[0] == by_lean[0] == again[0] == Verdict(Action.SENT)
    assert (by_ptb[1], by_lean[1], again[1]) == (101, 102, 103)


FAILURES = {
    "flood control": fakeapi.retry_after(7),
    "blocked": fakeapi.blocked(),
    "kicked": fakeapi.kicked(),
    "chat not found": fakeapi.chat_not_found(),
    "migrated": fakeapi.migrated(-1009876),
    "server error": fakeapi.server_error(),
    "other bad request": fakeapi.Failure(400, "Bad Request: message text is empty"),
    "unknown parameters": fakeapi.Failure(400, "Bad Request: odd", {"foo": 1}),
    "unauthorized": fakeapi.Failure(401, "Unauthorized"),
    "conflict": fakeapi.Failure(409, "Conflict: terminated by other getUpdates request"),
}


@pytest.mark.parametrize("name", list(FAILURES))
async def test_the_lean_path_maps_every_error_as_ptb_does(name: str) -> None:
    api = FakeBotAPI()
    async with both_paths(api) as (ptb, lean):
        api.fail(FAILURES[name], times=2)
        by_ptb = await ptb.send(outgoing(), html=True, paid=True)
        by_lean = await lean.send(outgoing(), html=True, paid=True)
    assert by_ptb == by_lean and by_ptb[1] is None
    assert by_ptb[0].action is not Action.SENT


async def test_html_telegram_cannot_parse_and_a_dead_server_are_mapped_alike() -> None:
    api = FakeBotAPI()
    broken = outgoing(rendered=Rendered(text="<b>tidak ditutup"))
    async with both_paths(api) as (ptb, lean):
        assert await ptb.send(broken, html=True, paid=False) == await lean.send(
            broken, html=True, paid=False
        )
    # The server is gone (its port closed): a network error, retried like PTB's.
    refused = await lean.send(outgoing(), html=True, paid=False)
    assert refused[0].action is Action.RETRY and refused[1] is None


# -- the set-based enqueue ------------------------------------------------------------------


async def owed(sessions: async_sessionmaker[AsyncSession], broadcast_id: int) -> list[tuple]:
    """A broadcast's rows, as what they owe to whom (ids and the broadcast left out)."""
    async with sessions() as s:
        rows = (
            await s.scalars(
                select(Delivery)
                .where(Delivery.broadcast_id == broadcast_id)
                .order_by(Delivery.chat_pk)
            )
        ).all()
    return [
        (d.chat_pk, d.kind, d.status, d.priority, d.attempts, d.not_before, d.created_at,
         d.story_id, d.digest_key, d.story_ids, d.claimed_by, d.sent_at)
        for d in rows
    ]  # fmt: skip


async def test_a_page_is_owed_in_one_statement_with_the_rows_one_by_one_would_make(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 35, start=1)
        await s.execute(update(Chat).where(Chat.id.in_([3, 4, 20, 35])).values(active=False))
        paged = await outbox.create_broadcast(s, 1, NOW, text="Halo", audience=EVERYONE)
        by_rows = await outbox.create_broadcast(s, 1, NOW, text="Halo", audience=EVERYONE)
        await outbox.start_broadcast(s, paged.id)
    active = [pk for pk in range(1, 36) if pk not in (3, 4, 20, 35)]
    # The old way, for comparison: ids read into Python, one VALUES row each.
    async with sessions.begin() as s:
        await ledger.enqueue(
            s, [ledger.owed_row(pk, "broadcast", NOW, broadcast_id=by_rows.id) for pk in active]
        )
    inserts: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO DELIVERIES"):
            inserts.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        pages = []
        while True:
            async with sessions.begin() as s:
                page = await outbox.enqueue_broadcast_page(s, paged.id, NOW, limit=10)
            if not page:
                break
            pages.append(page)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert pages == [10, 10, 10, 1]
    assert len(inserts) == 4 and all("SELECT" in sql.upper() for sql in inserts)  # one each
    assert await owed(sessions, paged.id) == await owed(sessions, by_rows.id)
    async with sessions() as s:
        assert (await s.get(Broadcast, paged.id)).cursor == 34  # type: ignore[union-attr]
    # Owing the same chats again adds nothing (the unique key), however the cursor moved.
    async with sessions.begin() as s:
        await s.execute(update(Broadcast).where(Broadcast.id == paged.id).values(cursor=0))
        assert await outbox.enqueue_broadcast_page(s, paged.id, NOW, limit=100) == len(active)
    assert await owed(sessions, paged.id) == await owed(sessions, by_rows.id)


# -- tallies --------------------------------------------------------------------------------


def from_rows(counts: dict[str, int], total: int) -> Tally:
    """What the ledger's rows say (counted one by one), in the tally's terms."""
    sent, blocked = counts.get("sent", 0), counts.get("skipped", 0)
    failed, cancelled = counts.get("failed", 0), counts.get("cancelled", 0)
    remaining = max(0, total - sent - blocked - failed - cancelled)
    return Tally(sent, blocked, failed, cancelled, remaining, 0.0)


async def test_the_tally_follows_the_ledger_through_errors_and_a_cancel(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 40, start=1)  # chat pk n has Telegram id n
    async with delivery_rig(sessions, paid=False) as rig:  # 30/s: rows still queued at cancel
        rig.api.fail(fakeapi.blocked(), chat_id=2)
        rig.api.fail(fakeapi.chat_not_found(), chat_id=3)
        rig.api.fail(fakeapi.Failure(400, "Bad Request: message text is empty"), chat_id=4)
        broadcast_id = await start_broadcast(rig, text="Halo")
        await rig.api.wait_until(lambda: len(rig.api.sent()) >= 12, "a dozen sends")
        async with rig.sessions.begin() as s:
            await outbox.cancel_broadcast(s, broadcast_id, NOW)
        await rig.until_none_sending()
    async with sessions() as s:
        counts = await ledger.counts(s, broadcast_id=broadcast_id)
        tally = await ledger.tally(s, broadcast_id)
        total = (await s.get(Broadcast, broadcast_id)).total  # type: ignore[union-attr]
    assert counts.get("cancelled", 0) > 0 and counts.get("sent", 0) >= 9
    assert Tally.of_tally(tally, total, 0.0) == from_rows(counts, total)
    assert tally["blocked"] == 2 and tally["failed"] == 1


async def test_a_row_sent_while_cancelled_moves_from_cancelled_to_sent(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 3, start=1)
        b = await outbox.create_broadcast(s, 1, NOW, text="Halo", audience=EVERYONE)
        await outbox.start_broadcast(s, b.id)
        await outbox.enqueue_broadcast_page(s, b.id, NOW)
    async with sessions.begin() as s:
        claimed = await ledger.claim(s, NOW + timedelta(seconds=1), 3, worker="w")
    async with sessions.begin() as s:
        assert await outbox.cancel_broadcast(s, b.id, NOW) == 3  # all three in flight
    async with sessions.begin() as s:
        # Telegram had accepted two of them: sent, whatever the cancel said.
        tallies = await ledger.mark_sent_many(s, [(claimed[0].id, 9), (claimed[1].id, 10)], NOW)
        assert tallies == {b.id: {"sent": 2, "cancelled": -2}}
        await ledger.add_tallies(s, tallies)
        # Recorded twice (a second sender's late write): nothing changes the second time.
        assert await ledger.mark_sent_many(s, [(claimed[0].id, 9)], NOW) == {}
    async with sessions() as s:
        assert await ledger.tally(s, b.id) == {"sent": 2, "cancelled": 1}
        assert await ledger.counts(s, broadcast_id=b.id) == {"sent": 2, "cancelled": 1}


async def test_progress_edits_read_the_tally_not_the_ledger(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 30, start=1)
    async with delivery_rig(sessions) as rig:
        broadcast_id = await start_broadcast(rig, text="Halo")
        await rig.settle()
        async with sessions.begin() as s:
            await s.execute(
                update(Broadcast)
                .where(Broadcast.id == broadcast_id)
                .values(status="running", progress_chat_id=1, progress_message_id=77)
            )
        statements: list[str] = []
        me = asyncio.current_task()

        def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if asyncio.current_task() is me:  # not the sender's own work meanwhile
                statements.append(statement)

        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        try:
            await rig.service._show_progress(broadcast_id, final=False)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", seen)
        edit = rig.api.of("editMessageText")[-1]
    assert "Terkirim: 30 " in edit.text  # the sent count, from the tally
    assert statements and not [sql for sql in statements if "deliveries" in sql.lower()]


# -- the shared budget, a batch at a time ---------------------------------------------------


def postgres_only(sessions: async_sessionmaker[AsyncSession]) -> None:
    bind = sessions.kw["bind"]
    if bind.dialect.name != "postgresql":
        pytest.skip("the shared budget lives in PostgreSQL (SQLite runs one process)")


async def test_a_batch_of_shared_slots_is_what_one_by_one_would_give(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    postgres_only(sessions)
    budget = PostgresBudget(sessions, 1000.0)
    await budget.defer_chat(3, 30)  # flood control on chat 3, seen by every process
    chats = [(1, "private"), (2, "private"), (3, "private"), (4, "private"), (-5, "group")]
    taken = await budget.take_many(chats, paid=True, patience=60)
    granted = [wait for ok, wait in taken if ok]
    assert [ok for ok, _ in taken] == [True, True, False, True, True]
    assert 29 < taken[2][1] <= 30  # the held chat says when it is free, and takes no slot
    gaps = [b - a for a, b in zip(granted, granted[1:], strict=False)]
    assert all(abs(gap - budget._paid_interval) < 0.002 for gap in gaps)  # one slot each
    # The chats now hold their gaps for everyone: a reply to chat 1 waits about a second,
    # and the pace goes on after the batch.
    ok, wait = await budget.take(1, "private", paid=True, patience=0.1)
    assert not ok and 0.9 < wait <= 1.1
    ok, wait = await budget.take(9, "private", paid=True, patience=1)
    assert ok and wait >= granted[-1] - 0.05


async def test_a_paid_broadcast_on_the_shared_budget_reaches_everyone_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    postgres_only(sessions)
    async with sessions.begin() as s:
        await add_chats(s, 400, start=1)
    budget = SendBudget(Pacer(1000.0), PostgresBudget(sessions, 1000.0))
    async with delivery_rig(sessions, budget=budget, lean=True) as rig:
        rig.api.fail(fakeapi.retry_after(1), chat_id=7)  # one chat deferred on the way
        await start_broadcast(rig, text="Halo")
        await rig.settle(within=60)
        sent = [int(str(c.chat_id)) for c in rig.api.sent()]
    assert sorted(set(sent)) == list(range(1, 401))
    assert len(sent) == 401 and sent.count(7) == 2  # the refused try, then once more


async def test_a_pause_of_the_whole_bot_drops_the_slots_taken_before_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Slots taken ahead before a pause are stale after it. Retaken one stale row at a time,
    each with slots for rows further back, they put the shared pace seconds ahead of the
    queue: the bench's broadcast then crawled at a third of its rate."""
    postgres_only(sessions)
    async with sessions.begin() as s:
        await add_chats(s, 600, start=1)
    budget = SendBudget(Pacer(1000.0), PostgresBudget(sessions, 1000.0))
    async with delivery_rig(sessions, budget=budget, lean=True) as rig:
        # Two chats refused at once: flood control for the whole bot, a pause of a second.
        rig.api.fail(fakeapi.retry_after(1), chat_id=200)
        rig.api.fail(fakeapi.retry_after(1), chat_id=201)
        await start_broadcast(rig, text="Halo")
        await rig.settle(within=60)
        sent = [int(str(c.chat_id)) for c in rig.api.sent()]
        stats = rig.service.sender.stats
    assert sorted(set(sent)) == list(range(1, 601)) and len(sent) == 602
    assert stats["paused"] == 1
    # After the pause one round trip took fresh slots for the queue's next rows, not one per
    # stale row (96 of them before); the rows used slots taken beside the sends.
    assert stats["shared_stale"] <= 2
    assert stats["shared_ahead"] > 0.95 * len(sent)
