"""Sending through the real PTB Bot against the fake Bot API: outcomes land in the ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import outbox
from bot.delivery.service import utcnow
from storage.audiences import EVERYONE
from storage.models import Broadcast, Chat, Delivery
from tests.bot import fakeapi
from tests.delivery.factory import NOW, add_chats, add_story, subscribe
from tests.delivery.harness import Rig, delivery_rig

# Each test runs on both of the sender's paths to Telegram (PTB, and the lean one).
pytestmark = pytest.mark.usefixtures("send_path")


async def start_broadcast(
    rig: Rig, text: str | None = None, source: tuple[int, int] | None = None
) -> int:
    async with rig.sessions.begin() as s:
        b = await outbox.create_broadcast(s, 1, NOW, text=text, source=source, audience=EVERYONE)
        await outbox.start_broadcast(s, b.id)
    rig.service.kick()
    return b.id


async def rows(sessions: async_sessionmaker[AsyncSession]) -> dict[int, Delivery]:
    async with sessions() as s:
        return {d.chat_pk: d for d in (await s.scalars(select(Delivery))).all()}


async def test_broadcast_reaches_every_chat_once_with_message_ids(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 25, start=1000)
    async with delivery_rig(sessions) as rig:
        await start_broadcast(rig, text="<b>Pengumuman</b> penting")
        await rig.settle()
        sent = rig.api.sent()
        assert sorted(c.chat_id for c in sent) == list(range(1000, 1025))  # type: ignore[type-var]
        assert all(c.params["parse_mode"] == "HTML" for c in sent)
        assert all(c.params["allow_paid_broadcast"] is True for c in sent)
        assert await rig.broadcast_status("done") == "done"
    ledger_rows = await rows(sessions)
    assert {d.status for d in ledger_rows.values()} == {"sent"}
    assert len({d.telegram_message_id for d in ledger_rows.values()}) == 25


async def test_copied_broadcast_uses_copy_message(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 3, start=50)
    async with delivery_rig(sessions) as rig:
        await start_broadcast(rig, source=(777, 12))
        await rig.settle()
        copies = rig.api.of("copyMessage")
        assert sorted(int(c.params["chat_id"]) for c in copies) == [50, 51, 52]
        assert {(c.params["from_chat_id"], c.params["message_id"]) for c in copies} == {(777, 12)}


async def test_errors_are_mapped_deferred_skipped_migrated_retried(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 6, start=1)  # chat pk n has Telegram id n
    async with delivery_rig(sessions) as rig:
        rig.api.fail(fakeapi.blocked(), chat_id=2)
        rig.api.fail(fakeapi.retry_after(86_400), chat_id=3)
        rig.api.fail(fakeapi.migrated(-1001234), chat_id=4)
        rig.api.fail(fakeapi.server_error(), chat_id=5)
        rig.api.fail(fakeapi.chat_not_found(), chat_id=6)
        await start_broadcast(rig, text="Halo")
        await rig.settle(until_open=2)  # the deferred row and the retried one
        rig.clock.offset += timedelta(seconds=10)  # the 5xx backoff (2 s) has passed
        rig.service.kick()
        await rig.settle(until_open=1)
        ledger_rows = await rows(sessions)
        stats = dict(rig.service.sender.stats)
    assert ledger_rows[1].status == "sent"
    assert ledger_rows[2].status == "skipped"
    # A day of flood control defers, never drops.
    assert ledger_rows[3].status == "pending"
    assert ledger_rows[3].not_before - NOW > timedelta(hours=20)
    assert ledger_rows[4].status == "sent"
    assert ledger_rows[5].status == "sent" and ledger_rows[5].attempts == 2
    assert ledger_rows[6].status == "skipped"
    sent_to = [c.chat_id for c in rig.api.sent()]
    assert -1001234 in sent_to and sent_to.count(5) == 2  # the failed try, then the retry
    async with sessions() as s:
        chats = {c.id: c for c in (await s.scalars(select(Chat))).all()}
    assert not chats[2].active and not chats[6].active and chats[1].active
    assert (chats[4].chat_id, chats[4].type) == (-1001234, "supergroup")
    assert stats["sent"] == 3 and stats["blocked"] == 1 and stats["chat_not_found"] == 1
    assert stats["deferred"] == 1
    assert stats["migrated"] == 1 and stats["retried"] == 1


async def test_unparsable_html_is_resent_as_plain_text(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 1, start=9)
    async with delivery_rig(sessions) as rig:
        await start_broadcast(rig, text="<b>Harga &amp; kurs <i>naik</b>")
        await rig.settle()
        first, second = rig.api.sent(9)
        assert first.params["parse_mode"] == "HTML"
        assert "parse_mode" not in second.params
        assert second.text == "Harga & kurs naik"
        assert rig.service.sender.stats["plain_text"] == 1
    assert (await rows(sessions))[1].status == "sent"


async def test_new_story_is_pushed_once_to_followers(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 3, start=300)
        await subscribe(s, 1, "topic", "ekonomi")
        await subscribe(s, 2, "keyword", "rupiah")
        await add_story(
            s, "Rupiah & IHSG <menguat>", ["ekonomi"], "Rupiah naik.", published_at=utcnow()
        )
    async with delivery_rig(sessions) as rig:
        # Stored with its pushes owed: the service owes them on its own, once.
        await rig.settle_pushes()
        assert await rig.service.push_owed() == 0
        await rig.settle()
        sent = rig.api.sent()
        assert sorted(c.chat_id for c in sent) == [300, 301]  # type: ignore[type-var]
        assert "Rupiah &amp; IHSG &lt;menguat&gt;" in sent[0].text or "menguat" in sent[0].text


async def test_rows_left_sending_by_a_crash_are_sent_on_start(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    from storage import ledger

    async with sessions.begin() as s:
        await add_chats(s, 2, start=70)
        b = await outbox.create_broadcast(s, 1, NOW, text="x", audience=EVERYONE)
        await outbox.start_broadcast(s, b.id)
        await outbox.enqueue_broadcast_page(s, b.id, NOW)
        await ledger.claim(s, NOW, 10)  # a process claimed them, then died (long ago)
    async with delivery_rig(sessions) as rig:
        await rig.settle()
        assert sorted(c.chat_id for c in rig.api.sent()) == [70, 71]  # type: ignore[type-var]


async def test_only_broadcasts_are_paid_and_progress_edits_are_paced(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 3, start=60)
        await subscribe(s, 1, "topic", "ekonomi")
        await add_story(s, "Rupiah menguat", ["ekonomi"], published_at=utcnow())
    async with delivery_rig(sessions, paid=True) as rig:
        await rig.settle_pushes()
        await rig.settle()
        (push,) = rig.api.sent()
        assert "allow_paid_broadcast" not in push.params  # pushes cost no Stars
        b = await start_broadcast(rig, text="Pengumuman")
        async with sessions.begin() as s:
            await s.execute(
                update(Broadcast)
                .where(Broadcast.id == b)
                .values(progress_chat_id=999, progress_message_id=5)
            )
        await rig.settle()
        assert await rig.broadcast_status("done") == "done"
        broadcast = [c for c in rig.api.sent() if c.text == "Pengumuman"]
        assert len(broadcast) == 3
        assert all(c.params["allow_paid_broadcast"] is True for c in broadcast)
        await rig.api.wait_until(lambda: bool(rig.api.of("editMessageText", 999)), "the report")
        # The edit took a send slot and counts against the admin chat's own limit.
        assert rig.service.sender.pacer.ready_at(999) > 0
