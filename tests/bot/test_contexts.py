"""The reading and changing commands in every kind of chat, in both languages.

Groups, supergroups and forum topics take changes from their admins only; channels from posts
(only admins can post) and from admins' taps. Answers go to the chat and topic asked from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from storage import chats
from storage.models import Chat
from tests.bot.fakeapi import BOT_USERNAME, Call
from tests.bot.harness import BotHarness, add_story
from tests.bot.updates import (
    ADMIN_ID,
    CHANNEL_ID,
    FORUM_ID,
    GROUP_ID,
    SUPERGROUP_ID,
    USER_ID,
    chat,
)

THREAD = 9


@dataclass(frozen=True, slots=True)
class Where:
    """One kind of chat the bot lives in."""

    name: str
    chat_id: int
    thread_id: int = 0

    def chat_data(self) -> dict[str, Any]:
        if self.name == "channel":
            return chat(self.chat_id, "channel", username="kanalberita")
        if self.name == "forum":
            return chat(self.chat_id, "supergroup", is_forum=True)
        return chat(self.chat_id, self.name)

    def message(
        self, bot: BotHarness, text: str, *, user_id: int = ADMIN_ID, lang: str = "id"
    ) -> dict[str, Any]:
        if self.name == "channel":
            return bot.updates.channel_post(text, chat_id=self.chat_id)
        if self.name == "forum":
            return bot.updates.forum(text, thread_id=THREAD, user_id=user_id, lang=lang)
        return bot.updates.group(
            text, chat_id=self.chat_id, kind=self.name, user_id=user_id, lang=lang
        )

    def tap(self, bot: BotHarness, data: str, *, user_id: int, lang: str = "id") -> dict[str, Any]:
        thread = self.thread_id or None
        return bot.updates.callback(
            data, chat_data=self.chat_data(), user_id=user_id, lang=lang, thread_id=thread
        )


GROUPS = [
    Where("group", GROUP_ID),
    Where("supergroup", SUPERGROUP_ID),
    Where("forum", FORUM_ID, THREAD),
]
EVERYWHERE = [*GROUPS, Where("channel", CHANNEL_ID)]


async def said(bot: BotHarness, where: Where, text: str, **kw: Any) -> Call:
    """Feed a message there; the bot's last message, checked to be in the same chat and topic."""
    calls = await bot.answers_to(where.message(bot, text, **kw))
    answers = [c for c in calls if c.method in ("sendMessage", "editMessageText")]
    assert answers, f"no answer to {text!r} in {where.name}: {calls}"
    answer = answers[-1]
    assert answer.chat_id == where.chat_id
    assert answer.params.get("message_thread_id", 0) == where.thread_id
    return answer


async def row_of(bot: BotHarness, where: Where) -> Chat:
    async with bot.resources.sessions() as s:
        row = await chats.get_chat(s, where.chat_id, where.thread_id)
    assert row is not None
    return row


async def subs(bot: BotHarness, where: Where) -> list[tuple[str, str]]:
    async with bot.resources.sessions() as s:
        row = await chats.get_chat(s, where.chat_id, where.thread_id)
        return [] if row is None else await chats.subscriptions_of(s, row.id)


def admins(bot: BotHarness, where: Where) -> None:
    bot.api.set_member(where.chat_id, ADMIN_ID, "administrator")


WORDS = {
    "id": {
        "topics": "Pilih topik",
        "economy": "Berita terbaru · Ekonomi",
        "follow": "🔔 Ikuti Ekonomi",
        "pilihan": "<b>Berita Pilihan</b> · ",
        "settings": "Zona waktu: WIB",
        "followed": "<b>Ekonomi</b> akan dikirim",
        "unfollowed": "berhenti mengikuti <b>Ekonomi</b>",
        "zone": "Zona waktu: WITA",
        "stopped": "Semua langganan dihentikan",
        "refused": "Hanya admin grup ini",
    },
    "en": {
        "topics": "Choose topics",
        "economy": "Latest stories · Economy",
        "follow": "🔔 Follow Economy",
        "pilihan": "<b>Berita Pilihan</b> · ",
        "settings": "Time zone: WIB",
        "followed": "<b>Economy</b> stories will be sent",
        "unfollowed": "no longer follow <b>Economy</b>",
        "zone": "Time zone: WITA",
        "stopped": "Every subscription stopped",
        "refused": "Only this group's admins",
    },
}


async def _speak(bot: BotHarness, where: Where, lang: str) -> None:
    """Make the chat's language `lang` (a group takes its first speaker's; a channel is told)."""
    admins(bot, where)
    if where.name == "channel" and lang == "en":
        await said(bot, where, "/settings bahasa en")
    else:
        await said(bot, where, f"/help@{BOT_USERNAME}", lang=lang)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("where", EVERYWHERE, ids=lambda w: w.name)
async def test_reading_commands(bot: BotHarness, where: Where, lang: str) -> None:
    words = WORDS[lang]
    await add_story(bot.resources, "Harga beras naik", topics=("ekonomi",), outlets=("A", "B"))
    await _speak(bot, where, lang)
    answer = await said(bot, where, "/topic", lang=lang)
    assert words["topics"] in answer.text and len(answer.buttons()) == 18
    answer = await said(bot, where, f"/topic@{BOT_USERNAME} ekonomi", lang=lang)
    assert words["economy"] in answer.text and "Harga beras naik" in answer.text
    assert answer.buttons()[0]["text"] == words["follow"]
    answer = await said(bot, where, "/pilihan", lang=lang)
    assert answer.text.startswith(words["pilihan"]) and "Harga beras naik" in answer.text
    answer = await said(bot, where, "/settings", lang=lang)
    assert words["settings"] in answer.text
    # Reading is for everyone: a plain member gets the same answers.
    if where.name != "channel":
        answer = await said(bot, where, "/pilihan", user_id=USER_ID, lang=lang)
        assert "Harga beras naik" in answer.text


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("where", EVERYWHERE, ids=lambda w: w.name)
async def test_admins_change_subscriptions_and_settings(
    bot: BotHarness, where: Where, lang: str
) -> None:
    words = WORDS[lang]
    await _speak(bot, where, lang)
    assert words["followed"] in (await said(bot, where, "/subscribe ekonomi", lang=lang)).text
    await said(bot, where, "/subscribe", lang=lang)
    assert await subs(bot, where) == [("pilihan", ""), ("topic", "ekonomi")]
    answer = await said(bot, where, "/unsubscribe ekonomi", lang=lang)
    assert words["unfollowed"] in answer.text
    assert words["zone"] in (await said(bot, where, "/settings zona WITA", lang=lang)).text
    assert words["stopped"] in (await said(bot, where, "/stop", lang=lang)).text
    assert await subs(bot, where) == []
    row = await row_of(bot, where)
    assert (row.timezone, row.language) == ("Asia/Makassar", lang)
    # The admin's taps work as well.
    await bot.feed(where.tap(bot, "t|hukum", user_id=ADMIN_ID, lang=lang))
    await bot.feed(where.tap(bot, "s|push", user_id=ADMIN_ID, lang=lang))
    assert await subs(bot, where) == [("topic", "hukum")]
    assert not (await row_of(bot, where)).push_enabled


CHANGES = [
    "/subscribe",
    "/subscribe ekonomi",
    '/subscribe "wang yi"',
    "/unsubscribe",
    "/unsubscribe politik",
    "/stop",
    "/settings zona WITA",
    "/settings bahasa en",
    "/settings pilihan 06:00",
    "/settings tenang off",
    "/start pilihan",
    "/start topik-ekonomi",
]
TAPS = ["t|ekonomi", "tf|ekonomi", "f|pilihan", "s|push", "s|lang", "s|tz|WIT", "s|times"]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("where", GROUPS, ids=lambda w: w.name)
async def test_members_are_refused_every_change(bot: BotHarness, where: Where, lang: str) -> None:
    words = WORDS[lang]
    await _speak(bot, where, lang)
    await said(bot, where, "/subscribe politik", lang=lang)
    await said(bot, where, "/settings tenang 22:00-06:00", lang=lang)
    before = await row_of(bot, where)
    for text in CHANGES:
        answer = await said(bot, where, text, user_id=USER_ID, lang=lang)
        assert answer.text.startswith(words["refused"]), text
    for data in TAPS:
        calls = await bot.answers_to(where.tap(bot, data, user_id=USER_ID, lang=lang))
        assert [c.method for c in calls] == ["getChatMember", "answerCallbackQuery"], data
        assert calls[-1].params["text"].startswith(words["refused"])
    after = await row_of(bot, where)
    assert await subs(bot, where) == [("topic", "politik")]
    assert (
        after.language,
        after.timezone,
        after.pilihan_times,
        after.quiet_start,
        after.push_enabled,
    ) == (before.language, before.timezone, before.pilihan_times, before.quiet_start, True)
