"""Choosing a broadcast's audience as an admin does, through the real Application, both stores.

The issue's newsroom: a supergroup that added the bot but never subscribed, and a forum whose
topic 7 subscribed. A broadcast reaches the forum once, in topic 7, and the supergroup never.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from bot.delivery.service import build_service
from storage.models import Broadcast, Delivery
from tests.bot.fakeapi import BOT_USERNAME, Call
from tests.bot.harness import BotHarness, make_settings, running_bot
from tests.bot.updates import ADMIN_ID, FORUM_ID, SUPERGROUP_ID, USER_ID
from tests.dbs import database_url

READER, EN_READER = 9001, 9002


async def newsroom(bot: BotHarness) -> None:
    """A reader on Berita Pilihan, an English reader on a keyword, the supergroup, the forum."""
    await bot.feed(bot.updates.private("/subscribe", user_id=READER))
    await bot.feed(
        bot.updates.private('/subscribe "banjir bandang"', user_id=EN_READER, lang="en")
    )
    await bot.feed(bot.updates.supergroup(f"/help@{BOT_USERNAME}"))
    await bot.feed(bot.updates.group(f"/help@{BOT_USERNAME}", chat_id=FORUM_ID, kind="supergroup"))
    bot.api.set_member(FORUM_ID, USER_ID, "administrator")
    await bot.feed(bot.updates.forum("/subscribe olahraga", thread_id=7))
    await bot.feed(bot.updates.forum(f"/help@{BOT_USERNAME}", thread_id=9))


@asynccontextmanager
async def newsroom_bot(
    backend: str, tmp_path: Path, *, deliver: bool = True
) -> AsyncIterator[BotHarness]:
    """The bot on one store, with one admin and the newsroom; delivery runs if `deliver`."""
    async with database_url(backend, tmp_path) as url:
        settings = make_settings(
            tmp_path,
            database_url=url,
            admin_ids=str(ADMIN_ID),
            send_rate=1000,
            paid_broadcast=True,
        )
        async with running_bot(settings) as harness:
            await newsroom(harness)
            if not deliver:
                yield harness
                return
            service = build_service(
                harness.app.bot,
                harness.resources.sessions,
                settings,
                bot_username=lambda: BOT_USERNAME,
            )
            harness.app.bot_data.delivery = service
            await service.start()
            try:
                yield harness
            finally:
                await service.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
async def bot(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The newsroom with delivery running."""
    async with newsroom_bot(request.param, tmp_path) as harness:
        yield harness


@pytest.fixture(params=["sqlite", "postgresql"])
async def idle_bot(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The newsroom with nothing sending: a confirmed broadcast stays running."""
    async with newsroom_bot(request.param, tmp_path, deliver=False) as harness:
        yield harness


def buttons(call: Call) -> dict[str, str]:
    return {b["text"]: b.get("callback_data", "") for b in call.buttons()}


async def broadcast(bot: BotHarness, text: str) -> Call:
    """Send `/broadcast …` as the admin; return the preview's reach line (or the refusal)."""
    calls = await bot.answers_to(bot.updates.private(text, user_id=ADMIN_ID))
    return [c for c in calls if c.method == "sendMessage"][-1]


async def done(bot: BotHarness) -> Broadcast:
    for _ in range(400):
        async with bot.resources.sessions() as s:
            found = (await s.scalars(select(Broadcast))).one()
        if found.status == "done":
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"broadcast is {found.status}")


async def owed(bot: BotHarness) -> int:
    async with bot.resources.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(Delivery)) or 0)


def got(bot: BotHarness, chat_id: int, text: str) -> list[Call]:
    return [c for c in bot.api.sent(chat_id) if c.params.get("text") == text]


async def test_followers_only_and_the_forum_once_in_its_topic(bot: BotHarness) -> None:
    preview = await broadcast(bot, "/broadcast Halo pembaca")
    assert "<b>3</b>" in preview.text and "semua pengikut" in preview.text
    await bot.feed(bot.updates.callback(buttons(preview)["✅ Kirim"], user_id=ADMIN_ID))
    finished = await done(bot)
    assert finished.total == 3 == await owed(bot)
    for reader in (READER, EN_READER):
        assert len(got(bot, reader, "Halo pembaca")) == 1
    forum = got(bot, FORUM_ID, "Halo pembaca")
    assert [c.params.get("message_thread_id") for c in forum] == [7]  # never General, nor 9
    assert not got(bot, SUPERGROUP_ID, "Halo pembaca")  # it never followed anything
    assert not got(bot, ADMIN_ID, "Halo pembaca")[1:]  # only the preview


async def test_every_chat_is_an_explicit_choice(bot: BotHarness) -> None:
    preview = await broadcast(bot, "/broadcast audiens:semua Halo semua")
    # The readers, the admin's own chat, the supergroup and the forum's topic 7 (once).
    assert "<b>5</b>" in preview.text and "semua obrolan" in preview.text
    await bot.feed(bot.updates.callback(buttons(preview)["✅ Kirim"], user_id=ADMIN_ID))
    assert (await done(bot)).total == 5 == await owed(bot)
    assert len(got(bot, SUPERGROUP_ID, "Halo semua")) == 1
    forum = got(bot, FORUM_ID, "Halo semua")
    assert [c.params.get("message_thread_id") for c in forum] == [7]


@pytest.mark.parametrize(
    ("typed", "reach", "receivers"),
    [
        ("topik:olahraga", 1, [FORUM_ID]),
        ('kata:"banjir bandang"', 1, [EN_READER]),
        ("bahasa:en", 1, [EN_READER]),
        ("jenis:pribadi", 2, [READER, EN_READER]),
        ("jenis:grup", 1, [FORUM_ID]),
    ],
)
async def test_typed_audiences(
    bot: BotHarness, typed: str, reach: int, receivers: list[int]
) -> None:
    preview = await broadcast(bot, f"/broadcast {typed} Kabar khusus")
    assert f"<b>{reach}</b>" in preview.text
    await bot.feed(bot.updates.callback(buttons(preview)["✅ Kirim"], user_id=ADMIN_ID))
    assert (await done(bot)).total == reach == await owed(bot)
    for chat_id in (READER, EN_READER, FORUM_ID, SUPERGROUP_ID):
        assert len(got(bot, chat_id, "Kabar khusus")) == (chat_id in receivers), chat_id


async def test_a_province_nobody_follows_is_refused_before_a_draft(bot: BotHarness) -> None:
    answer = await broadcast(bot, "/broadcast wilayah:papua Kabar Papua")
    assert "Tidak ada obrolan dalam audiens ini" in answer.text and "Papua" in answer.text
    assert not [c for c in bot.api.sent(ADMIN_ID) if c.params.get("text") == "Kabar Papua"]
    async with bot.resources.sessions() as s:
        assert (await s.scalars(select(Broadcast))).first() is None


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("topik:xyz Halo", "Topik “xyz” tidak dikenal"),
        ("wilayah:atlantis Halo", "Wilayah “atlantis” tidak dikenal"),
        ("bahasa:fr Halo", "bahasa:id atau bahasa:en"),
        ("jenis:forum Halo", "jenis:pribadi"),
        ("topik:olahraga kata:banjir Halo", "satu topik"),
        ("topik:<b>x</b>Halo", "tidak dikenal"),
    ],
)
async def test_bad_audiences_say_why_and_draft_nothing(
    bot: BotHarness, typed: str, says: str
) -> None:
    answer = await broadcast(bot, f"/broadcast {typed}")
    assert says in answer.text
    async with bot.resources.sessions() as s:
        assert (await s.scalars(select(Broadcast))).first() is None
    assert await owed(bot) == 0


async def test_buttons_change_the_audience_and_the_reach(bot: BotHarness) -> None:
    preview = await broadcast(bot, "/broadcast Halo pembaca")
    choices = buttons(preview)
    topics = choices["🏷 Topik…"]
    calls = await bot.answers_to(bot.updates.callback(topics, user_id=ADMIN_ID, message_id=600))
    page = buttons([c for c in calls if c.method == "editMessageText"][-1])
    calls = await bot.answers_to(
        bot.updates.callback(page["Olahraga"], user_id=ADMIN_ID, message_id=600)
    )
    edited = [c for c in calls if c.method == "editMessageText"][-1]
    assert "pengikut topik Olahraga" in edited.text and "<b>1</b>" in edited.text
    assert "✓ 🏷 Topik…" not in buttons(edited)  # back on the main page
    # Narrowed to private chats too: nobody is left, and Confirm says so and sends nothing.
    calls = await bot.answers_to(
        bot.updates.callback(buttons(edited)["Pribadi"], user_id=ADMIN_ID, message_id=600)
    )
    empty = [c for c in calls if c.method == "editMessageText"][-1]
    assert "Audiens ini kosong" in empty.text and "✓ Pribadi" in buttons(empty)
    calls = await bot.answers_to(
        bot.updates.callback(buttons(empty)["✅ Kirim"], user_id=ADMIN_ID, message_id=600)
    )
    alert = [c for c in calls if c.method == "answerCallbackQuery"][-1]
    assert "kosong" in alert.params["text"] and await owed(bot) == 0
    # Every chat, private only: the two readers and the admin.
    calls = await bot.answers_to(
        bot.updates.callback(buttons(empty)["🌐 Semua obrolan"], user_id=ADMIN_ID, message_id=600)
    )
    wide = [c for c in calls if c.method == "editMessageText"][-1]
    assert "<b>3</b>" in wide.text and "obrolan pribadi saja" in wide.text
    await bot.feed(bot.updates.callback(buttons(wide)["✅ Kirim"], user_id=ADMIN_ID))
    assert (await done(bot)).total == 3 == await owed(bot)
    # A tap on the preview's buttons after Confirm changes nothing.
    calls = await bot.answers_to(
        bot.updates.callback(buttons(wide)["Grup"], user_id=ADMIN_ID, message_id=600)
    )
    assert "sudah tidak menunggu" in [c for c in calls if c.method == "editMessageText"][-1].text
    async with bot.resources.sessions() as s:
        assert (await s.scalars(select(Broadcast))).one().audience == {
            "everyone": True,
            "chat_type": "private",
        }


async def test_a_non_admin_cannot_tap_an_audience(bot: BotHarness) -> None:
    preview = await broadcast(bot, "/broadcast Halo pembaca")
    calls = await bot.answers_to(bot.updates.callback(buttons(preview)["Grup"], user_id=READER))
    assert not [c for c in calls if c.method == "editMessageText"]
    async with bot.resources.sessions() as s:
        assert (await s.scalars(select(Broadcast))).one().audience == {}


async def test_stats_and_progress_use_the_previews_count(idle_bot: BotHarness) -> None:
    bot = idle_bot
    preview = await broadcast(bot, "/broadcast topik:olahraga Kabar olahraga")
    assert "<b>1</b>" in preview.text
    calls = await bot.answers_to(
        bot.updates.callback(buttons(preview)["✅ Kirim"], user_id=ADMIN_ID, message_id=700)
    )
    progress = [c for c in calls if c.method == "editMessageText"][-1]
    assert "ke pengikut topik Olahraga: 1 obrolan" in progress.text
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(" ".join(statement.lower().split()))

    engine = bot.resources.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        stats = await bot.say("/stats", user_id=ADMIN_ID)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert "Siaran berjalan: #1 ke pengikut topik Olahraga: 1 obrolan, sisa 1" in stats.text
    # The running broadcast's line reads its tally, not a count of its (million) ledger rows.
    assert any("from broadcast_tallies" in sql for sql in statements)
    assert not [sql for sql in statements if "from deliveries" in sql and "broadcast_id" in sql]
