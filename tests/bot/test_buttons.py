"""Inline buttons: topics toggled in place, follow/unfollow, settings cycling and typed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from storage import chats
from storage.models import Chat
from tests.bot.fakeapi import BOT_USERNAME, FakeBotAPI
from tests.bot.harness import BotHarness, add_story
from tests.bot.updates import GROUP_ID, USER_ID, chat


async def row(bot: BotHarness, chat_id: int = USER_ID) -> Chat:
    async with bot.resources.sessions() as s:
        found = await chats.get_chat(s, chat_id)
    assert found is not None
    return found


def labels(api: FakeBotAPI) -> list[str]:
    return [b["text"] for b in api.of("editMessageReplyMarkup")[-1].buttons()]


async def test_topic_buttons_toggle_in_place(bot: BotHarness) -> None:
    answer = await bot.say("/topic")
    assert len(answer.buttons()) == 18
    assert all(len(b["callback_data"].encode()) <= 64 for b in answer.buttons())
    await bot.feed(bot.updates.callback("t|olahraga"))
    assert "✅ Olahraga" in labels(bot.api)
    await bot.feed(bot.updates.callback("t|hukum"))
    assert {"✅ Olahraga", "✅ Hukum"} <= set(labels(bot.api))
    await bot.feed(bot.updates.callback("t|olahraga"))
    assert "Olahraga" in labels(bot.api) and "✅ Hukum" in labels(bot.api)
    async with bot.resources.sessions() as s:
        assert await chats.subscriptions_of(s, (await row(bot)).id) == [("topic", "hukum")]
    texts = [c.params.get("text") for c in bot.api.of("answerCallbackQuery")]
    assert "✅ Berita Olahraga akan dikirim begitu terbit." in texts


async def test_stale_or_forged_button_data_is_refused_politely(bot: BotHarness) -> None:
    await bot.say("/topic")
    await bot.feed(bot.updates.callback("t|tidak-ada"))
    assert bot.api.of("answerCallbackQuery")[-1].params["text"].startswith("Tombol ini")
    await bot.feed(bot.updates.callback("s|warna"))
    assert bot.api.of("answerCallbackQuery")[-1].params["text"].startswith("Tombol ini")


async def test_topic_view_follow_button(bot: BotHarness) -> None:
    await add_story(bot.resources, "Harga beras naik", topics=("ekonomi",))
    answer = await bot.say("/topic ekonomi")
    assert "Harga beras naik" in answer.text
    button, share = answer.buttons()
    assert button == {"text": "🔔 Ikuti Ekonomi", "callback_data": "tf|ekonomi"}
    assert share["text"] == "📣 Bagikan Ekonomi"
    shared = parse_qs(urlsplit(share["url"]).query)
    assert shared["url"] == [f"https://t.me/{BOT_USERNAME}?start=topik-ekonomi"]
    await bot.feed(bot.updates.callback("tf|ekonomi"))
    assert labels(bot.api) == ["🔕 Berhenti mengikuti Ekonomi", "📣 Bagikan Ekonomi"]
    answer = await bot.say("/topic economy")
    assert answer.buttons()[0]["text"] == "🔕 Berhenti mengikuti Ekonomi"
    await bot.feed(bot.updates.callback("tf|ekonomi"))
    assert labels(bot.api) == ["🔔 Ikuti Ekonomi", "📣 Bagikan Ekonomi"]
    # A region's link uses a payload Telegram allows; following it subscribes to the region.
    answer = await bot.say("/topic jawa timur")
    link = parse_qs(urlsplit(answer.buttons()[1]["url"]).query)["url"][0]
    assert link.endswith("?start=topik-region-jawa-timur")
    await bot.say(f"/start {link.rsplit('=', 1)[1]}")
    async with bot.resources.sessions() as s:
        followed = await chats.subscriptions_of(s, (await row(bot)).id)
    assert ("topic", "region:jawa-timur") in followed


async def test_group_members_cannot_toggle(bot: BotHarness) -> None:
    group = chat(GROUP_ID, "group")
    await bot.feed(bot.updates.callback("t|olahraga", chat_data=group))
    assert bot.api.of("answerCallbackQuery")[-1].params.get("show_alert") is True
    assert not bot.api.of("editMessageReplyMarkup")


async def test_settings_buttons_cycle_and_redraw(bot: BotHarness) -> None:
    answer = await bot.say("/settings")
    assert "Berita langsung: aktif" in answer.text and "Zona waktu: WIB" in answer.text
    assert [b["callback_data"] for b in answer.buttons()] == [
        "s|push",
        "s|times",
        "s|quiet",
        "s|tz|WIB",
        "s|tz|WITA",
        "s|tz|WIT",
        "s|lang",
    ]
    await bot.feed(bot.updates.callback("s|push"))
    assert "Berita langsung: mati" in bot.api.last(USER_ID).text
    await bot.feed(bot.updates.callback("s|times"))
    assert "Berita Pilihan: 07:00\n" in bot.api.last(USER_ID).text
    await bot.feed(bot.updates.callback("s|quiet"))
    assert "Jam tenang: 22:00–06:00" in bot.api.last(USER_ID).text
    await bot.feed(bot.updates.callback("s|tz|WITA"))
    assert "Zona waktu: WITA" in bot.api.last(USER_ID).text
    await bot.feed(bot.updates.callback("s|lang"))
    edited = bot.api.last(USER_ID)
    assert edited.method == "editMessageText" and "Settings" in edited.text
    assert "✅ WITA" in [b["text"] for b in edited.buttons()]
    saved = await row(bot)
    assert (saved.push_enabled, saved.pilihan_times, saved.quiet_start, saved.quiet_end) == (
        False,
        ["07:00"],
        22 * 60,
        6 * 60,
    )
    assert (saved.timezone, saved.language) == ("Asia/Makassar", "en")
    # Every later answer is in English.
    assert "Commands" in (await bot.say("/help")).text


async def test_settings_typed(bot: BotHarness) -> None:
    answer = await bot.say("/settings pilihan 18:00,06:30")
    assert "Berita Pilihan: 06:30, 18:00" in answer.text
    answer = await bot.say("/settings tenang 23:00-05:00")
    assert "Jam tenang: 23:00–05:00" in answer.text
    answer = await bot.say("/settings zona wit")
    assert "Zona waktu: WIT" in answer.text
    answer = await bot.say("/settings tenang off")
    assert "Jam tenang: tidak ada" in answer.text
    assert "«25:00» bukan jam" in (await bot.say("/settings pilihan 25:00")).text
    answer = await bot.say("/settings bahasa en")
    assert "Language: English" in answer.text
    # The Pilihan time now shows in the chosen zone and confirms with the chosen times.
    assert "06:30, 18:00" in (await bot.say("/subscribe")).text


async def test_unchanged_edit_is_harmless(bot: BotHarness) -> None:
    from tests.bot.fakeapi import Failure

    await bot.say("/topic")
    bot.api.fail(
        Failure(400, "Bad Request: message is not modified"), method="editMessageReplyMarkup"
    )
    await bot.feed(bot.updates.callback("t|olahraga"))
    assert "Maaf" not in bot.api.last(USER_ID).text


@pytest.mark.parametrize(
    ("typed", "indonesian", "english"),
    [
        (
            "zona PST",
            "Zona waktu «PST» tidak dikenal. Pilih WIB, WITA, WIT, misalnya /settings zona WITA",
            "There is no time zone «PST». Choose WIB, WITA, WIT, e.g. /settings tz WITA",
        ),
        (
            "pilihan 99:00",
            "«99:00» bukan jam seperti 07:00. Contoh: /settings pilihan 07:00,19:00",
            "«99:00» is not a time like 07:00. Example: /settings times 07:00,19:00",
        ),
        (
            "pilihan 07:00,08:00,09:00,10:00,11:00,12:00,13:00",
            "Paling banyak 6 jam Berita Pilihan",
            "At most 6 Berita Pilihan times",
        ),
        (
            "tenang 22:00",
            "«22:00» bukan jam tenang seperti 22:00-06:00",
            "«22:00» is not a quiet-hours span like 22:00-06:00",
        ),
        ("tenang 22:00-22:00", "bukan jam tenang", "is not a quiet-hours span"),
        (
            "bahasa jawa",
            "Bahasa «jawa» tidak tersedia. Pilih id (Indonesia) atau en (English)",
            "There is no language «jawa». Choose id (Indonesian) or en (English)",
        ),
        ("zona", "Tulis juga nilainya. Contoh: /settings pilihan", "Write the value too."),
        ("zona WIB WITA", "Terlalu banyak argumen untuk «zona»", "Too many arguments for «zona»"),
        (
            "warna <b>biru</b>",
            "Pengaturan «warna» tidak dikenal. Contoh: /settings pilihan 07:00,19:00 · "
            "/settings tenang 22:00-06:00 · /settings zona WITA · /settings bahasa en",
            "There is no setting «warna». Examples: /settings times 07:00,19:00 · "
            "/settings quiet 22:00-06:00 · /settings tz WITA · /settings language id",
        ),
        ("<i>x", "Pengaturan «&lt;i&gt;x» tidak dikenal", "There is no setting «&lt;i&gt;x»"),
    ],
)
async def test_settings_mistakes_are_named_in_the_chats_language(
    bot: BotHarness, typed: str, indonesian: str, english: str
) -> None:
    assert indonesian in (await bot.say(f"/settings {typed}")).text
    assert english in (await bot.say(f"/settings {typed}", user_id=99, lang="en")).text
    saved = await row(bot)
    assert (saved.timezone, saved.pilihan_times, saved.quiet_start, saved.language) == (
        None,
        None,
        None,
        "id",
    )


async def test_settings_typed_with_spaces_and_english_words(bot: BotHarness) -> None:
    answer = await bot.say("/settings times 19:00, 07:00", lang="en")
    assert "Berita Pilihan: 07:00, 19:00" in answer.text
    answer = await bot.say("/settings quiet 22:00 - 05:30", lang="en")
    assert "Quiet hours: 22:00–05:30" in answer.text
    answer = await bot.say("/settings language indonesia", lang="en")
    assert "Bahasa: Indonesia" in answer.text
