"""Search in chat: /cari, plain text, paging, "Ikuti kata ini" and bad input, on both stores."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.ingest.indexing import index_missing
from storage import chats
from storage.chats import KEYWORD
from storage.models import Chat
from tests.bot.fakeapi import FakeBotAPI
from tests.bot.harness import BotHarness, add_story, make_settings, running_bot
from tests.bot.updates import USER_ID
from tests.dbs import database_url


@pytest.fixture(params=["sqlite", "postgresql"])
async def bot(
    request: pytest.FixtureRequest, tmp_path: Path, api: FakeBotAPI
) -> AsyncIterator[BotHarness]:
    async with (
        database_url(request.param, tmp_path) as url,
        running_bot(make_settings(tmp_path, database_url=url), api) as harness,
    ):
        yield harness


async def stories(bot: BotHarness) -> dict[str, int]:
    now = datetime.now(UTC)
    ids = {
        f"banjir{n}": await add_story(
            bot.resources,
            f"Banjir Rendam Desa {n}",
            published_at=now - timedelta(hours=n + 1),
            outlets=("Kompas", "Detik") if n == 0 else ("Kompas",),
        )
        for n in range(7)
    }
    ids["jakarta"] = await add_story(
        bot.resources, "Banjir Jakarta Utara", published_at=now - timedelta(days=3)
    )
    ids["pilih"] = await add_story(bot.resources, "Warga Antusias Memilih di TPS")
    ids["wangyi"] = await add_story(bot.resources, "Menlu Bertemu Wang Yi di Beijing")
    await index_missing(bot.resources.sessions)
    return ids


def numbered_titles(text: str) -> list[str]:
    return re.findall(r"^\d+\. .*?>([^<]+)</a>", text, flags=re.MULTILINE)


async def keywords(bot: BotHarness) -> list[str]:
    async with bot.resources.sessions() as s:
        chat = await chats.get_chat(s, USER_ID)
        assert isinstance(chat, Chat)
        return [v for k, v in await chats.subscriptions_of(s, chat.id) if k == KEYWORD]


async def test_cari_pages_through_results_and_follows_the_keyword(bot: BotHarness) -> None:
    await stories(bot)
    first = await bot.say("/cari banjir -jakarta")
    assert "Hasil pencarian «banjir -jakarta»" in first.text
    # Newest relevant first; the story two outlets carried is one result, with both outlets.
    assert numbered_titles(first.text) == [f"Banjir Rendam Desa {n}" for n in range(5)]
    assert "Kompas · Detik" in first.text and "Jakarta" not in first.text
    labels = [b["text"] for b in first.buttons()]
    assert labels == ["Berikutnya ›", "🔔 Ikuti kata ini"]

    second = await bot.say("/cari banjir -jakarta")  # a fresh copy, to tap its Next
    (nxt, _) = second.buttons()
    await bot.feed(bot.updates.callback(nxt["callback_data"]))
    page2 = bot.api.of("editMessageText")[-1]
    assert numbered_titles(page2.text) == ["Banjir Rendam Desa 5", "Banjir Rendam Desa 6"]
    assert page2.text.startswith("🔎") and "6. " in page2.text
    assert [b["text"] for b in page2.buttons()] == ["‹ Sebelumnya", "🔔 Ikuti kata ini"]
    (prev, follow) = page2.buttons()
    await bot.feed(bot.updates.callback(prev["callback_data"]))
    assert numbered_titles(bot.api.of("editMessageText")[-1].text)[0] == "Banjir Rendam Desa 0"

    await bot.feed(bot.updates.callback(follow["callback_data"]))
    assert "«banjir -jakarta»" in bot.api.last(USER_ID).text
    assert await keywords(bot) == ["banjir -jakarta"]


async def test_plain_text_in_a_private_chat_is_a_search(bot: BotHarness) -> None:
    await stories(bot)
    answer = await bot.say("pemilihan")  # stemmed: finds "Memilih"
    assert numbered_titles(answer.text) == ["Warga Antusias Memilih di TPS"]
    answer = await bot.say("Wang Yi")
    assert numbered_titles(answer.text) == ["Menlu Bertemu Wang Yi di Beijing"]


async def test_no_result_says_so_and_suggests_a_topic(bot: BotHarness) -> None:
    await stories(bot)
    none = await bot.say("/cari gerhana")
    assert "Tidak ada berita yang cocok dengan «gerhana»" in none.text
    assert "/topic" in none.text
    sport = await bot.say("/cari olahraga")
    assert "/latest Olahraga" in sport.text
    typed = await bot.say("halo apa kabar")
    assert "Tidak ada berita" in typed.text and "/help" in typed.text  # the old hint too


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/cari", "Kirim /cari dengan kata"),
        ("/cari ?!*()", "Tidak ada kata yang bisa dicari"),
        ("/cari -banjir", "bukan hanya yang dikecualikan"),
        ("/cari " + "banjir " * 400, "paling banyak 2000 karakter"),
        ("/cari " + " ".join(f"kata{n}" for n in range(20)), "paling banyak 12 kata"),
        ('/cari banjir" OR "1"="1', "Tidak ada berita"),  # "or" and "1" are words too
        ("/cari banjir'; DROP TABLE stories; --", "Tidak ada berita"),
        ("/cari banjir NEAR(desa, 2) *", "Tidak ada berita"),
        ('/cari "banjir rendam', "Hasil pencarian"),
    ],
)
async def test_bad_input_gets_results_or_a_clear_message(
    bot: BotHarness, typed: str, expected: str
) -> None:
    await stories(bot)
    answer = await bot.say(typed)
    assert expected in answer.text
    assert len(answer.text) < 4096


async def test_english_chat_and_forged_buttons(bot: BotHarness) -> None:
    await stories(bot)
    answer = await bot.say("/search wang yi", lang="en")
    assert "Search results for «wang yi»" in answer.text
    assert [b["text"] for b in answer.buttons()] == ["🔔 Follow this keyword"]
    for forged in ("q|x|banjir", "q|99999|banjir", "q|5|", "k|?!", "k|" + "a" * 62):
        calls = await bot.answers_to(bot.updates.callback(forged, lang="en"))
        answered = [c for c in calls if c.method == "answerCallbackQuery"]
        assert answered and "expired" in answered[-1].params.get("text", "")


async def test_subscribe_takes_exclusions_unquoted_and_refuses_empty_keywords(
    bot: BotHarness,
) -> None:
    assert "«banjir -jakarta»" in (await bot.say("/subscribe banjir -jakarta")).text
    assert "bukan hanya yang dikecualikan" in (await bot.say('/subscribe "-banjir"')).text
    assert "Tidak ada kata yang bisa dicari" in (await bot.say('/subscribe "?!"')).text
    assert await keywords(bot) == ["banjir -jakarta"]
