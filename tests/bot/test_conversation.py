"""A new reader's first minutes with the bot, as a script."""

from __future__ import annotations

from tests.bot.harness import BotHarness, add_story
from tests.bot.updates import USER_ID


async def test_a_new_readers_first_minutes(bot: BotHarness) -> None:
    for n in range(6):
        await add_story(bot.resources, f"Timnas menang {n}-0", topics=("sepak-bola", "olahraga"))
    await add_story(
        bot.resources,
        '<b>Rp 1.000</b> & "AT&T"',
        topics=("ekonomi",),
        outlets=("Tribunnews", "Kompas", "Detik"),
    )

    # A friend forwarded a story; its prompt link opens the bot with ?start=pilihan.
    hello = await bot.say("/start pilihan")
    assert "Anda mengikuti Berita Pilihan" in hello.text

    # She looks around.
    welcome = await bot.say("/start")
    assert "Halo" in welcome.text and welcome.buttons()[0]["text"] == "Ikuti"
    latest = await bot.say("/latest")
    assert (
        "&lt;b&gt;Rp 1.000&lt;/b&gt;" in latest.text
        and "Tribunnews · Kompas · Detik" in latest.text
    )
    (more,) = latest.buttons()
    await bot.feed(bot.updates.callback(more["callback_data"]))
    assert "6. " in bot.api.last(USER_ID).text

    # She likes football: opens the topics, taps Sepak Bola.
    topics = await bot.say("/topic")
    assert "Sepak Bola" in [b["text"] for b in topics.buttons()]
    await bot.feed(bot.updates.callback("t|sepak-bola"))
    assert "✅ Sepak Bola" in [
        b["text"] for b in bot.api.of("editMessageReplyMarkup")[-1].buttons()
    ]

    # She lives in Makassar and wants the digest only in the evening.
    await bot.say("/settings")
    await bot.feed(bot.updates.callback("s|tz|WITA"))
    settings = await bot.say("/settings pilihan 19:00")
    assert "Zona waktu: WITA" in settings.text and "Berita Pilihan: 19:00" in settings.text

    # Today's picks, then a keyword, then help.
    assert "Berita Pilihan" in (await bot.say("/pilihan")).text
    assert "«wang yi»" in (await bot.say('/subscribe "Wang Yi"')).text
    assert "/latest" in (await bot.say("/help")).text

    # A typo gets a way forward, not silence.
    assert "/help" in (await bot.say("/latset")).text

    # Enough for today.
    assert "Semua langganan dihentikan" in (await bot.say("/stop")).text
    assert not [c for c in bot.api.calls if "Maaf" in c.text]  # no apology anywhere
