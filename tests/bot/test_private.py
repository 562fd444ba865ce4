"""Every command in a private chat, in Indonesian and English, with good and bad arguments."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from bot.cli.processes import set_menu
from bot.telegram.app import MENU
from storage import chats
from storage.models import Chat
from tests.bot.fakeapi import BOT_USERNAME
from tests.bot.harness import BotHarness, add_story
from tests.bot.updates import USER_ID

NASTY = '<b>Rp 1.000</b> & "AT&T"'


async def subs(
    bot: BotHarness, chat_id: int = USER_ID, thread_id: int = 0
) -> list[tuple[str, str]]:
    async with bot.resources.sessions() as s:
        chat = await chats.get_chat(s, chat_id, thread_id)
        return [] if chat is None else await chats.subscriptions_of(s, chat.id)


async def test_start_welcomes_with_follow_prompt_and_share_link(bot: BotHarness) -> None:
    answer = await bot.say("/start")
    assert "Halo" in answer.text and "Dapatkan Berita Pilihan di Telegram Anda" in answer.text
    follow, share = answer.buttons()
    assert follow == {"text": "Ikuti", "callback_data": "f|pilihan"}
    shared = parse_qs(urlsplit(share["url"]).query)
    assert share["url"].startswith("https://t.me/share/url?")
    assert shared["url"] == [f"https://t.me/{BOT_USERNAME}?start=pilihan"]
    assert shared["text"] == ["Berita Pilihan dari media Indonesia, langsung di Telegram"]
    assert await subs(bot) == []  # /start alone does not subscribe


async def test_start_in_english_for_an_english_client(bot: BotHarness) -> None:
    answer = await bot.say("/start", lang="en-GB")
    assert "Hello" in answer.text and "Get Berita Pilihan on your Telegram" in answer.text
    assert answer.buttons()[0]["text"] == "Follow"


@pytest.mark.parametrize(
    ("payload", "expected", "reply"),
    [
        ("pilihan", [("pilihan", "")], "Anda mengikuti Berita Pilihan"),
        ("topik-sepak-bola", [("topic", "sepak-bola")], "Sepak Bola"),
        ("topik-region-jawa-timur", [("topic", "region:jawa-timur")], "Jawa Timur"),
        ("topik-regional", [("topic", "regional")], "Regional"),
        ("topik-tidak-ada", [], "Topik «tidak-ada» tidak ada. Pilihan topik: "),
        ("topik-region-atlantis", [], "Topik «region-atlantis» tidak ada"),
        ("topik-", [], "Topik «» tidak ada"),
        ("sesuatu", [], "Halo"),
    ],
)
async def test_deep_links(
    bot: BotHarness, payload: str, expected: list[tuple[str, str]], reply: str
) -> None:
    answer = await bot.say(f"/start {payload}")
    assert reply in answer.text
    assert await subs(bot) == expected


async def test_deep_link_in_english(bot: BotHarness) -> None:
    answer = await bot.say("/start topik-region-jawa-timur", lang="en")
    assert "<b>Jawa Timur</b> stories" in answer.text
    answer = await bot.say("/start topik-nothing", lang="en")
    assert "There is no topic «nothing»" in answer.text


async def test_follow_button_subscribes(bot: BotHarness) -> None:
    await bot.say("/start")
    await bot.feed(bot.updates.callback("f|pilihan"))
    assert await subs(bot) == [("pilihan", "")]
    assert bot.api.of("answerCallbackQuery")
    assert "Anda mengikuti Berita Pilihan" in bot.api.last(USER_ID).text


async def test_subscribe_variants_and_unsubscribe(bot: BotHarness) -> None:
    assert "07:00, 12:00, 19:00" in (await bot.say("/subscribe")).text
    assert "sudah mengikuti" in (await bot.say("/subscribe")).text
    assert "Olahraga" in (await bot.say("/subscribe olahraga")).text
    assert "Sepak Bola" in (await bot.say("/subscribe Sepak Bola")).text  # two words
    assert "sudah mengikuti <b>Sepak Bola</b>" in (await bot.say("/subscribe football")).text
    assert "«wang yi»" in (await bot.say('/subscribe "Wang Yi"')).text
    assert "«prabowo»" in (await bot.say("/subscribe “Prabowo”")).text
    assert sorted(await subs(bot)) == [
        ("keyword", "prabowo"),
        ("keyword", "wang yi"),
        ("pilihan", ""),
        ("topic", "olahraga"),
        ("topic", "sepak-bola"),
    ]
    assert "berhenti mengikuti <b>Olahraga</b>" in (await bot.say("/unsubscribe olahraga")).text
    assert "tidak sedang mengikuti" in (await bot.say("/unsubscribe hukum")).text
    assert "berhenti mengikuti kata kunci" in (await bot.say('/unsubscribe "wang yi"')).text
    assert "berhenti mengikuti Berita Pilihan" in (await bot.say("/unsubscribe")).text
    assert "Semua langganan dihentikan" in (await bot.say("/stop")).text
    assert await subs(bot) == []
    assert "belum mengikuti apa pun" in (await bot.say("/stop")).text


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("/subscribe bolavoli antariksa", "Topik «bolavoli antariksa» tidak ada"),
        ("/subscribe <script>", "Topik «&lt;script&gt;» tidak ada"),
        ("/subscribe satu dua tiga empat lima", "Terlalu banyak argumen"),
        ('/subscribe "x"', "Kata kunci harus"),
        ("/latest 0", "antara 1 dan 20"),
        ("/latest 21", "antara 1 dan 20"),
        ("/latest -3", "antara 1 dan 20"),
        ("/latest 5 planet mars", "Topik «planet mars» tidak ada"),
        ("/latest 5 a b c d e", "Terlalu banyak argumen"),
        ("/stop sekarang", "Terlalu banyak argumen"),
        ("/pilihan besok", "Terlalu banyak argumen"),
        ("/start a b", "Terlalu banyak argumen"),
        ("/settings warna biru", "Pengaturan «warna» tidak dikenal"),
        ("/topic antah berantah", "tidak ada"),
        ("/frobnicate", "Perintah /frobnicate tidak dikenal"),
    ],
)
async def test_bad_arguments_get_a_helpful_reply(bot: BotHarness, text: str, needle: str) -> None:
    answer = await bot.say(text)
    assert needle in answer.text


LONG = "x" * 4000


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("/foo<b>", "Perintah /foo&lt;b&gt; tidak dikenal"),
        ("/a&b", "Perintah /a&amp;b tidak dikenal"),
        (f"/{LONG}", "tidak dikenal"),
        (f"/topic {LONG}", "Topik «xxxx"),
        (f"/topic <i>{LONG}", "Topik «&lt;i&gt;xxx"),
        (f"/subscribe {LONG}", "Topik «xxxx"),
        (f"/unsubscribe {LONG}", "Topik «xxxx"),
        (f"/latest 3 {LONG}", "Topik «xxxx"),
    ],
)
async def test_what_a_reader_typed_is_quoted_escaped_and_short(
    bot: BotHarness, text: str, needle: str
) -> None:
    answer = await bot.say(text)
    assert needle in answer.text
    assert "Maaf" not in answer.text
    if LONG in text:
        assert "x" * 64 not in answer.text and "…" in answer.text


async def test_channel_setup_quotes_a_long_topic_briefly(bot: BotHarness) -> None:
    from tests.bot.updates import CHANNEL_ID

    bot.api.chat_types[CHANNEL_ID] = "channel"
    bot.api.set_member(CHANNEL_ID, USER_ID, "creator")
    answer = await bot.say(f"/channel @kanalberita {LONG}")
    assert "Topik «xxx" in answer.text and "x" * 64 not in answer.text
    answer = await bot.say(f"/channel @{LONG}")
    assert "x" * 64 not in answer.text


async def test_bad_arguments_in_english(bot: BotHarness) -> None:
    assert "between 1 and 20" in (await bot.say("/latest 50", lang="en")).text
    answer = await bot.say("/latest 5 a b c d e", lang="en")
    assert answer.text == "Too many arguments. Example: /latest 5 sports"
    answer = await bot.say("/subscribe one two three four five", lang="en")
    assert answer.text == "Too many arguments. Example: /subscribe sports"
    answer = await bot.say("/unsubscribe one two three four five", lang="en")
    assert answer.text == "Too many arguments. Example: /unsubscribe sports"
    assert "There is no topic" in (await bot.say("/topic nowhere", lang="en")).text
    assert "I do not know /nope" in (await bot.say("/nope", lang="en")).text


async def test_latest_lists_escaped_stories_newest_first_with_more(bot: BotHarness) -> None:
    await add_story(bot.resources, NASTY, outlets=("Tribunnews", "Kompas", "Detik"))
    for n in range(7):
        await add_story(bot.resources, f"Berita nomor {n}", topics=("olahraga",))
    answer = await bot.say("/latest 3")
    assert answer.text.startswith("<b>Berita terbaru</b>")
    assert "1. " in answer.text and "3. " in answer.text and "4. " not in answer.text
    (more,) = answer.buttons()
    assert more["callback_data"].startswith("m|3|3|")
    assert len(more["callback_data"].encode()) <= 64
    await bot.feed(bot.updates.callback(more["callback_data"]))
    page2 = bot.api.last(USER_ID)
    assert "4. " in page2.text and "6. " in page2.text
    assert bot.api.of("editMessageReplyMarkup")  # the old button is taken away
    (more2,) = page2.buttons()
    await bot.feed(bot.updates.callback(more2["callback_data"]))
    page3 = bot.api.last(USER_ID)
    assert "7. " in page3.text and "8. " in page3.text and page3.buttons() == []
    assert "&lt;b&gt;Rp 1.000&lt;/b&gt; &amp; &quot;AT&amp;T&quot;" in page3.text
    assert "Tribunnews · Kompas · Detik" in page3.text


async def test_a_double_tap_on_more_sends_the_page_once(bot: BotHarness) -> None:
    from tests.bot.fakeapi import Failure

    for n in range(4):
        await add_story(bot.resources, f"Berita nomor {n}")
    (more,) = (await bot.say("/latest 2")).buttons()
    await bot.feed(bot.updates.callback(more["callback_data"]))
    assert len(bot.api.sent(USER_ID)) == 2
    # The second tap finds the button already gone: Telegram says "not modified".
    bot.api.fail(
        Failure(
            400,
            "Bad Request: message is not modified: specified new message content and reply "
            "markup are exactly the same as a current content and reply markup of the message",
        ),
        method="editMessageReplyMarkup",
    )
    calls = await bot.answers_to(bot.updates.callback(more["callback_data"]))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert len(bot.api.sent(USER_ID)) == 2 and "Maaf" not in bot.api.last(USER_ID).text


@pytest.mark.parametrize(
    "data",
    [
        "m|5|-3|{now}|",
        "m|0|0|{now}|",
        "m|21|0|{now}|",
        "m|5|1001|{now}|",
        "m|5|0|-1|",
        "m|5|0|99999999999999999|",
        "m|5|0|{now}|tidak-ada",
        "m|5|0|{now}|region:atlantis",
        "m|x|0|{now}|",
        "m|5|0",
    ],
)
async def test_forged_more_buttons_are_refused_politely(bot: BotHarness, data: str) -> None:
    import time

    await add_story(bot.resources, "Berita satu")
    calls = await bot.answers_to(bot.updates.callback(data.format(now=int(time.time()))))
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert calls[0].params["text"].startswith("Tombol ini")


async def test_latest_of_emoji_stories_fits_telegrams_limit(bot: BotHarness) -> None:
    for n in range(20):
        await add_story(bot.resources, f"{n} " + "😀" * 300, summary="🇮🇩" * 240)
    answer = await bot.say("/latest 20")
    assert answer.text.startswith("<b>Berita terbaru</b>")  # sent, not the apology
    (more,) = answer.buttons()  # what did not fit waits behind "more"
    await bot.feed(bot.updates.callback(more["callback_data"]))
    assert bot.api.last(USER_ID).text.startswith("<b>Berita terbaru</b>")


async def test_latest_of_a_topic_and_when_empty(bot: BotHarness) -> None:
    assert "Belum ada berita" in (await bot.say("/latest")).text
    await add_story(bot.resources, "Gol di menit akhir", topics=("sepak-bola", "olahraga"))
    await add_story(bot.resources, "Sidang kabinet", topics=("politik",))
    answer = await bot.say("/latest sepak bola")
    assert "Berita terbaru · Sepak Bola" in answer.text and "Gol di menit akhir" in answer.text
    assert "Sidang kabinet" not in answer.text
    answer = await bot.say("/latest politik 2")
    assert "Sidang kabinet" in answer.text and "Gol" not in answer.text


async def test_pilihan_ranks_outlets_and_pins(bot: BotHarness) -> None:
    assert "Belum ada Berita Pilihan" in (await bot.say("/pilihan")).text
    await add_story(bot.resources, "Satu media", outlets=("Tribunnews",))
    await add_story(bot.resources, "Tiga media", outlets=("Tribunnews", "Kompas", "Detik"))
    await add_story(bot.resources, "Pilihan editor", outlets=("Kompas",), pinned=True)
    answer = await bot.say("/pilihan")
    text = answer.text
    assert text.startswith("<b>Berita Pilihan</b> · ")
    assert text.index("Pilihan editor") < text.index("Tiga media") < text.index("Satu media")


async def test_help_lists_commands_and_topics(bot: BotHarness) -> None:
    text = (await bot.say("/help")).text
    for command in MENU:
        assert f"/{command}" in text
    assert "Sepak Bola" in text
    assert "Football" in (await bot.say("/help", user_id=99, lang="en")).text


async def test_indonesian_aliases(bot: BotHarness) -> None:
    assert "Perintah" in (await bot.say("/bantuan")).text
    assert "Olahraga" in (await bot.say("/ikuti olahraga")).text


async def test_chat_is_recorded_in_the_users_language(bot: BotHarness) -> None:
    await bot.say("/help", user_id=77, lang="en")
    await bot.say("/help", user_id=78, lang=None)
    async with bot.resources.sessions() as s:
        rows = {c.chat_id: c for c in (await s.scalars(select(Chat))).all()}
    assert rows[77].language == "en" and rows[78].language == "id"
    assert rows[77].type == "private" and rows[77].active


async def test_menu_is_set_in_both_languages(bot: BotHarness) -> None:
    await set_menu(bot.app)
    calls = bot.api.of("setMyCommands")
    assert len(calls) == 2
    default, english = calls
    assert "language_code" not in default.params
    assert english.params["language_code"] == "en"
    assert [c["command"] for c in default.params["commands"]] == list(MENU)
    described = {c["command"]: c["description"] for c in english.params["commands"]}
    assert described["latest"] == "Newest stories"
    assert {c["command"]: c["description"] for c in default.params["commands"]}["latest"] == (
        "Berita terbaru"
    )


async def test_plain_text_and_stale_buttons_get_an_answer(bot: BotHarness) -> None:
    assert "/help" in (await bot.say("halo, ada berita apa?")).text
    await bot.feed(bot.updates.callback("x|from-an-old-version"))
    assert bot.api.of("answerCallbackQuery")[-1].params["text"].startswith("Tombol ini")


async def test_a_failure_while_handling_is_logged_and_apologised_for(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.bot.fakeapi import server_error

    bot.api.fail(server_error(), method="sendMessage")
    answer = await bot.say("/help")
    assert answer.text == "Maaf, terjadi kesalahan. Silakan coba lagi sebentar lagi."
    assert "error while handling" in caplog.text and "Bad Gateway" in caplog.text


async def test_the_apology_is_in_the_chats_language_not_the_users(bot: BotHarness) -> None:
    from tests.bot.fakeapi import server_error
    from tests.bot.updates import ADMIN_ID, GROUP_ID

    bot.api.set_member(GROUP_ID, ADMIN_ID, "administrator")
    await bot.feed(bot.updates.group("/settings bahasa en", user_id=ADMIN_ID, lang="id"))
    bot.api.fail(server_error(), method="sendMessage", chat_id=GROUP_ID)
    calls = await bot.answers_to(bot.updates.group(f"/help@{BOT_USERNAME}", lang="id"))
    assert calls[-1].chat_id == GROUP_ID
    assert calls[-1].text == "Sorry, something went wrong. Please try again in a moment."
    # A private chat that chose Indonesian gets Indonesian, whatever the client's language.
    await bot.say("/settings bahasa id", lang="en")
    bot.api.fail(server_error(), method="sendMessage", chat_id=USER_ID)
    assert (await bot.say("/help", lang="en")).text.startswith("Maaf, terjadi kesalahan")
