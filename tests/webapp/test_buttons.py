"""Where the Mini App opens from: pushes, digests, /pilihan and /start (with PUBLIC_URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.compose import Composer
from storage import ledger
from storage.models import Delivery
from tests.bot.fakeapi import BOT_USERNAME, FakeBotAPI
from tests.bot.harness import add_story as add_bot_story
from tests.bot.harness import make_settings, running_bot
from tests.bot.updates import GROUP_ID, USER_ID
from tests.dbs import engine, sessions
from tests.delivery.factory import NOW, add_chats
from tests.delivery.factory import add_story as add_delivery_story
from tests.delivery.harness import delivery_rig

__all__ = ["engine", "sessions"]
APP = "https://berita.example"


def app_buttons(buttons: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(label, kind, url) of every button that opens the app."""
    found = []
    for b in buttons:
        if "web_app" in b:
            found.append((b["text"], "web_app", b["web_app"]["url"]))
        elif str(b.get("url", "")).startswith(APP):
            found.append((b["text"], "url", b["url"]))
    return found


async def test_pushes_and_digests_open_the_story_in_the_app(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 1, start=USER_ID)  # a private chat
        await add_chats(s, 1, start=GROUP_ID, type="group")
        story = await add_delivery_story(s, "Gempa di Cianjur", ["nasional"], "Satu. Dua.")
        rows = [
            ledger.owed_row(1, "push", NOW, story_id=story),
            ledger.owed_row(2, "push", NOW, story_id=story),
            ledger.owed_row(1, "digest", NOW, digest_key="2026-11-25T07:00", story_ids=[story]),
        ]
        await s.execute(insert(Delivery), rows)
    composer = Composer(
        tz=ZoneInfo("Asia/Jakarta"),
        bot_username=lambda: BOT_USERNAME,
        clock=lambda: NOW,
        public_url=APP,
    )
    async with delivery_rig(sessions, composer=composer) as rig:
        await rig.settle()
        private = [app_buttons(c.buttons()) for c in rig.api.sent(USER_ID)]
        group = [app_buttons(c.buttons()) for c in rig.api.sent(GROUP_ID)]
    assert sorted(private) == [
        [("📖 Baca Berita Pilihan di sini", "web_app", f"{APP}/app/?view=pilihan")],
        [("📖 Baca di sini", "web_app", f"{APP}/app/?story={story}")],
    ]
    # Telegram takes web_app buttons only in private chats: a group gets the page as a link.
    assert group == [[("📖 Baca di sini", "url", f"{APP}/app/?story={story}")]]


async def test_without_public_url_no_message_carries_an_app_button(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 1, start=USER_ID)
        story = await add_delivery_story(s, "Gempa di Cianjur", ["nasional"], "Satu. Dua.")
        await s.execute(insert(Delivery), [ledger.owed_row(1, "push", NOW, story_id=story)])
    async with delivery_rig(sessions) as rig:
        await rig.settle()
        sent = rig.api.sent(USER_ID)
    assert len(sent) == 1 and app_buttons(sent[0].buttons()) == []


async def test_start_and_pilihan_open_the_app(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, public_url=APP)
    async with running_bot(settings, FakeBotAPI()) as bot:
        await add_bot_story(bot.resources, "Gempa di Cianjur", outlets=("Kompas", "Detik"))
        start = app_buttons((await bot.say("/start")).buttons())
        assert start == [("📱 Buka aplikasi berita", "web_app", f"{APP}/app/")]
        pilihan = app_buttons((await bot.say("/pilihan")).buttons())
        assert pilihan == [
            ("📖 Baca Berita Pilihan di sini", "web_app", f"{APP}/app/?view=pilihan")
        ]
        calls = await bot.answers_to(bot.updates.group("/start@" + BOT_USERNAME))
        group = [app_buttons(c.buttons()) for c in calls if c.method == "sendMessage"]
        assert group == [[("📱 Buka aplikasi berita", "url", f"{APP}/app/")]]
