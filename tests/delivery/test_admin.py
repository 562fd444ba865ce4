"""Admin commands through the real Application and the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.delivery.service import build_service
from storage.models import Broadcast, EventLog, Source, Story
from tests.bot.fakeapi import BOT_USERNAME, Call
from tests.bot.harness import BotHarness, add_story, make_settings, running_bot
from tests.bot.updates import ADMIN_ID, USER_ID

READERS = (9001, 9002, 9003)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The bot with one admin (ADMIN_IDS), three readers, and delivery running."""
    settings = make_settings(
        tmp_path, admin_ids=str(ADMIN_ID), send_rate=1000, paid_broadcast=True
    )
    async with running_bot(settings) as harness:
        for reader in READERS:
            await harness.feed(harness.updates.private("/start", user_id=reader))
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


def buttons(call: Call) -> dict[str, str]:
    return {b["text"]: b.get("callback_data", "") for b in call.buttons()}


async def wait_for(harness: BotHarness, status: str) -> Broadcast:
    for _ in range(400):
        async with harness.resources.sessions() as s:
            found = (await s.scalars(select(Broadcast))).one()
        if found.status == status:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"broadcast is {found.status}, not {status}")


async def test_non_admin_is_refused_politely_and_logged(bot: BotHarness) -> None:
    for command in ("/broadcast halo", "/stats", "/source add http://x.test/rss", "/admin add 1"):
        answer = await bot.say(command)
        assert answer.text == "Maaf, perintah ini tidak tersedia untuk Anda."
    async with bot.resources.sessions() as s:
        logged = (await s.scalars(select(EventLog.message))).all()
        assert len(logged) == 4 and all(str(USER_ID) in m for m in logged)
        assert (await s.scalars(select(Broadcast))).first() is None


async def test_broadcast_preview_confirm_progress_and_report(bot: BotHarness) -> None:
    for reader in READERS:
        await bot.say("/subscribe", user_id=reader)
    update = bot.updates.private("/broadcast Halo pembaca", user_id=ADMIN_ID)
    # Formatting arrives as entities: "Halo" in bold is kept as HTML.
    update["message"]["entities"].append({"type": "bold", "offset": 11, "length": 4})
    calls = await bot.answers_to(update)
    sent_preview, preview = [c for c in calls if c.method == "sendMessage"]
    assert sent_preview.params["text"] == "<b>Halo</b> pembaca"
    assert "<b>3</b>" in preview.text  # the readers; the admin's own chat follows nothing
    labels = buttons(preview)
    confirm = labels["✅ Kirim"]
    assert confirm.startswith("bc:go:") and labels["✖ Batal"].startswith("bc:cancel:")
    await bot.feed(bot.updates.callback(confirm, user_id=ADMIN_ID, message_id=500))
    done = await wait_for(bot, "done")
    assert (done.progress_chat_id, done.progress_message_id) == (ADMIN_ID, 500)
    for reader in READERS:
        assert [c.params["text"] for c in bot.api.sent(reader)][-1] == "<b>Halo</b> pembaca"
    for _ in range(100):
        edits = [c for c in bot.api.of("editMessageText") if c.params.get("message_id") == 500]
        if edits and "selesai" in edits[-1].text:
            break
        await asyncio.sleep(0.05)
    assert "Terkirim: 3" in edits[-1].text and "selesai" in edits[-1].text
    assert not bot.api.sent(ADMIN_ID)[-1].text.startswith("<b>Halo")  # not to the admin


async def test_broadcast_as_reply_is_copied_and_cancel_before_confirm(bot: BotHarness) -> None:
    update = bot.updates.private("/broadcast", user_id=ADMIN_ID)
    photo = [{"file_id": "p", "file_unique_id": "u", "width": 10, "height": 10}]
    original: dict[str, Any] = {
        "message_id": 321,
        "date": update["message"]["date"],
        "chat": update["message"]["chat"],
        "photo": photo,
        "caption": "Foto <i>hari ini</i>",
    }
    update["message"]["reply_to_message"] = original
    calls = await bot.answers_to(update)
    copies = [c for c in calls if c.method == "copyMessage"]
    assert [(c.params["from_chat_id"], c.params["message_id"]) for c in copies] == [
        (ADMIN_ID, 321)
    ]
    cancel = buttons(calls[-1])["✖ Batal"]
    await bot.feed(bot.updates.callback(cancel, user_id=ADMIN_ID, message_id=501))
    assert (await wait_for(bot, "cancelled")).status == "cancelled"
    assert "dibatalkan" in bot.api.of("editMessageText")[-1].text
    assert not any(bot.api.of("copyMessage", reader) for reader in READERS)


async def test_admin_add_gives_rights(bot: BotHarness) -> None:
    assert "sekarang admin" in (await bot.say("/admin add 4242", user_id=ADMIN_ID)).text
    stats = await bot.say("/stats")  # 4242 is the default test user
    assert "Statistik" in stats.text and "5 aktif" in stats.text  # the new admin's chat too


async def test_source_add_refuses_private_addresses(bot: BotHarness) -> None:
    refused = (
        "http://127.0.0.1/rss",
        "http://10.1.2.3/rss",
        "http://169.254.169.254/x",
        "http://[::1]/rss",
        "file:///etc/passwd",
        "http://localhost:8080/rss",
    )
    for url in refused:
        answer = await bot.say(f"/source add {url}", user_id=ADMIN_ID)
        assert "tidak diizinkan" in answer.text, url
    added = await bot.say("/source add https://93.184.216.34/rss ekonomi", user_id=ADMIN_ID)
    assert "ditambahkan" in added.text
    async with bot.resources.sessions() as s:
        source = (await s.scalars(select(Source))).one()
        assert (source.url, source.topic) == ("https://93.184.216.34/rss", "ekonomi")
    name = source.name
    assert "dijeda" in (await bot.say(f"/source pause {name}", user_id=ADMIN_ID)).text
    listing = await bot.say("/sources", user_id=ADMIN_ID)
    assert "⏸" in listing.text and name in listing.text
    assert "dilanjutkan" in (await bot.say(f"/source resume {name}", user_id=ADMIN_ID)).text
    assert "dihapus" in (await bot.say(f"/source remove {name}", user_id=ADMIN_ID)).text
    assert "Tidak ada" in (await bot.say(f"/source remove {name}", user_id=ADMIN_ID)).text


async def test_private_sources_allowed_when_configured(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, admin_ids=str(ADMIN_ID), allow_private_sources=True)
    async with running_bot(settings) as harness:
        answer = await harness.say("/source add http://127.0.0.1:8080/rss", user_id=ADMIN_ID)
        assert "ditambahkan" in answer.text


async def test_pick_pins_a_story_and_pilihan_now_owes_digests(bot: BotHarness) -> None:
    story = await add_story(bot.resources, "Banjir Jakarta surut")
    assert "Banjir Jakarta surut" in (await bot.say(f"/pick {story}", user_id=ADMIN_ID)).text
    assert "tidak ditemukan" in (await bot.say("/pick 99999", user_id=ADMIN_ID)).text
    async with bot.resources.sessions() as s:
        assert (await s.get_one(Story, story)).pinned_at is not None
    for reader in READERS[:2]:
        await bot.say("/subscribe", user_id=reader)
    answer = await bot.say("/pilihan_now", user_id=ADMIN_ID)
    assert "untuk 2 obrolan" in answer.text
    for _ in range(100):
        if all(any("Banjir" in c.text for c in bot.api.sent(r)) for r in READERS[:2]):
            break
        await asyncio.sleep(0.05)
    for reader in READERS[:2]:
        assert any("Banjir Jakarta surut" in c.text for c in bot.api.sent(reader))
    assert not any("Banjir" in c.text for c in bot.api.sent(READERS[2]))
