"""Inline mode and Berita Pilihan on demand, through the real Application on both stores.

`@bot kata` in any chat answers article results that are sent as the story with a follow
button; the empty query and /pilihan rank today's stories when no digest has gone out; a
chosen result counts one share for today.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from telegram import Update

from bot.cli.processes import build_budget
from bot.handlers.inline import CACHE_TIME, PAGE
from bot.ingest.indexing import index_missing
from bot.runtime import open_resources
from bot.telegram.app import build_application
from storage.models import DigestItem, ShareCount, Story
from tests.bot.fakeapi import BOT_USERNAME, Call, FakeBotAPI, inline_results, retry_after
from tests.bot.harness import BotHarness, add_story, make_settings, running_bot
from tests.bot.updates import ADMIN_ID, USER_ID, Updates
from tests.dbs import database_url

FOLLOW = f"https://t.me/{BOT_USERNAME}?start=pilihan"


@pytest.fixture(params=["sqlite", "postgresql"])
async def bot(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The bot on a SQLite file, or on a throw-away PostgreSQL database."""
    async with database_url(request.param, tmp_path) as url:
        settings = make_settings(tmp_path, database_url=url, admin_ids=str(ADMIN_ID))
        async with running_bot(settings) as harness:
            yield harness


async def ask(bot: BotHarness, query: str, **kw: Any) -> Call:
    """Type `@bot <query>`; the bot's answerInlineQuery call."""
    calls = await bot.answers_to(bot.updates.inline_query(query, **kw))
    answers = [c for c in calls if c.method == "answerInlineQuery"]
    assert len(answers) == 1, calls
    return answers[0]


def titles(answer: Call) -> list[str]:
    return [r["title"] for r in inline_results(answer)]


async def ranked_day(bot: BotHarness) -> None:
    """Four stories of the last day: coverage, a pin and recency each decide a place."""
    now = datetime.now(UTC)
    await add_story(bot.resources, "Satu media, lama", published_at=now - timedelta(hours=20))
    await add_story(bot.resources, "Satu media, baru", published_at=now - timedelta(minutes=10))
    await add_story(
        bot.resources,
        "Tiga media",
        outlets=("Tribunnews", "Kompas", "Detik"),
        published_at=now - timedelta(hours=10),
    )
    await add_story(
        bot.resources, "Pilihan editor", pinned=True, published_at=now - timedelta(hours=20)
    )


RANKED = ["Pilihan editor", "Tiga media", "Satu media, baru", "Satu media, lama"]


async def test_pilihan_before_any_digest_ranks_pins_coverage_recency(bot: BotHarness) -> None:
    await ranked_day(bot)
    async with bot.resources.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(DigestItem)) == 0
    text = (await bot.say("/pilihan")).text
    assert text.startswith("<b>Berita Pilihan</b> · ")
    assert "Belum ada" not in text
    places = [text.index(title) for title in RANKED]
    assert places == sorted(places), text


async def test_pilihan_on_a_day_without_news_ranks_the_last_day_that_had_some(
    bot: BotHarness,
) -> None:
    assert "Belum ada Berita Pilihan" in (await bot.say("/pilihan")).text  # nothing stored
    then = datetime(2017, 4, 17, 5, 0, tzinfo=UTC)
    await add_story(bot.resources, "Banjir kemarin dulu", published_at=then - timedelta(hours=3))
    await add_story(
        bot.resources, "Gempa dua media", outlets=("Antara", "Tempo"), published_at=then
    )
    await add_story(bot.resources, "Jauh sebelumnya", published_at=then - timedelta(days=3))
    text = (await bot.say("/pilihan")).text
    assert text.startswith("<b>Berita Pilihan</b> · 17 Apr 2017\n<i>Belum ada berita dalam 24")
    assert text.index("Gempa dua media") < text.index("Banjir kemarin dulu")
    assert "Jauh sebelumnya" not in text  # outside that day's window
    english = (await bot.say("/pilihan", user_id=77, lang="en")).text
    assert "No news in the last 24 hours" in english


async def test_inline_empty_query_is_todays_pilihan(bot: BotHarness) -> None:
    await ranked_day(bot)
    answer = await ask(bot, "")
    assert titles(answer) == RANKED
    assert answer.params["cache_time"] == CACHE_TIME
    assert answer.params.get("is_personal") in (None, False)
    assert answer.params.get("next_offset", "") == ""
    button = answer.params["button"]
    assert button["start_parameter"] == "pilihan" and "Ikuti Berita Pilihan" in button["text"]
    # The same for a reader whose Telegram is in English: Telegram caches one answer for all.
    assert inline_results(await ask(bot, "", user_id=99, lang="en")) == inline_results(answer)


async def test_inline_query_finds_matching_stories(bot: BotHarness) -> None:
    await add_story(bot.resources, "Wang Yi kunjungi Rusia", summary="Menlu China bertemu Lavrov.")
    await add_story(bot.resources, "Harga beras naik", summary="Pedagang di Jakarta mengeluh.")
    await add_story(bot.resources, "Banjir di Kudus", summary="Wang Yi tidak terkait.")
    await index_missing(bot.resources.sessions)
    found = titles(await ask(bot, "wang yi"))
    assert sorted(found) == ["Banjir di Kudus", "Wang Yi kunjungi Rusia"]
    assert found[0] == "Wang Yi kunjungi Rusia"  # in the title: weighs more than the summary
    assert titles(await ask(bot, "  BERAS  ")) == ["Harga beras naik"]
    # The search /cari runs: stems ("kunjungan" finds "kunjungi"), -exclusions, phrases.
    assert titles(await ask(bot, "kunjungan")) == ["Wang Yi kunjungi Rusia"]
    assert titles(await ask(bot, "wang yi -banjir")) == ["Wang Yi kunjungi Rusia"]
    assert titles(await ask(bot, '"yi wang"')) == []
    # Typed on past the terms one search takes: its first words are searched.
    twelve = "presiden menteri gubernur bupati hakim polisi petani nelayan guru warga pasar beras"
    await add_story(bot.resources, "Rapat besar", summary=twelve.capitalize() + ".")
    await index_missing(bot.resources.sessions)
    assert titles(await ask(bot, twelve + " listrik kereta bandara pelabuhan")) == ["Rapat besar"]
    empty = await ask(bot, "tidak ada yang cocok")
    assert inline_results(empty) == []
    assert empty.params["button"]["start_parameter"] == "pilihan"


async def test_results_are_shared_as_the_story_with_a_follow_button(bot: BotHarness) -> None:
    picture = "https://img.example/gempa.jpg"
    await add_story(
        bot.resources,
        "Gempa <M5> di Sulawesi & Maluku",
        outlets=("Antara", "Kompas"),
        summary="Gempa terasa hingga Ternate. Tidak ada korban. BMKG memantau.",
        image_url=picture,
    )
    earlier = datetime.now(UTC) - timedelta(hours=1)
    await add_story(bot.resources, "Gempa susulan tanpa gambar", published_at=earlier)
    await index_missing(bot.resources.sessions)
    with_image, without = inline_results(await ask(bot, "gempa"))
    assert with_image["thumbnail_url"] == picture
    assert "thumbnail_url" not in without
    assert with_image["title"] == "Gempa <M5> di Sulawesi & Maluku"  # plain text, not HTML
    assert with_image["description"].startswith("Antara · Kompas\nGempa terasa hingga Ternate.")
    content = with_image["input_message_content"]
    assert content["parse_mode"] == "HTML"
    link = f"https://antara.example/{with_image['id'][1:]}-0"
    assert content["message_text"].startswith(
        f'<a href="{link}"><b>Gempa &lt;M5&gt; di Sulawesi &amp; Maluku</b></a>\nAntara · Kompas'
    )
    assert content["link_preview_options"]["url"] == picture
    buttons = [b for row in with_image["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == [
        {"text": "Baca selengkapnya", "url": link},
        {"text": "Ikuti Berita Pilihan", "url": FOLLOW},
    ]


async def test_pages_follow_next_offset(bot: BotHarness) -> None:
    now = datetime.now(UTC)
    for n in range(45):
        await add_story(bot.resources, f"Banjir {n:02}", published_at=now - timedelta(minutes=n))
    await index_missing(bot.resources.sessions)
    seen: list[str] = []
    offset, pages = "", 0
    while True:
        answer = await ask(bot, "banjir", offset=offset)
        page = titles(answer)
        assert 1 <= len(page) <= PAGE
        seen += page
        pages += 1
        offset = answer.params.get("next_offset", "")
        if not offset:
            break
    assert pages == 3 and seen == [f"Banjir {n:02}" for n in range(45)]
    # The empty query pages the same way through the day's ranking.
    first = await ask(bot, "")
    second = await ask(bot, "", offset=first.params["next_offset"])
    assert len(titles(first)) == PAGE and len(titles(second)) == PAGE
    assert not set(titles(first)) & set(titles(second))
    # An offset the bot never gave is no page: an empty answer, not an error.
    for forged in ("abc", "7", "-20", "99999999", "２０"):
        assert inline_results(await ask(bot, "banjir", offset=forged)) == []


HOSTILE = [
    "banjir " * 300,  # 2,100 characters
    "<b>banjir</b><script>alert(1)</script>",
    '"banjir" NEAR/3 hujan* OR -kota AND (',
    "banjir'; DROP TABLE stories; --",
    "100% _banjir_ \\ %",
    '"""',
    "\u0000\u202e\ufeff",
]


@pytest.mark.parametrize("query", HOSTILE)
async def test_hostile_queries_answer_without_error(
    bot: BotHarness, query: str, caplog: pytest.LogCaptureFixture
) -> None:
    await add_story(bot.resources, "Banjir <b>bandang</b> di Garut")
    await index_missing(bot.resources.sessions)
    with caplog.at_level(logging.WARNING):
        answer = await ask(bot, query)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert isinstance(inline_results(answer), list)
    async with bot.resources.sessions() as s:  # the query was a value, never SQL
        assert await s.scalar(select(func.count()).select_from(Story)) == 1
    assert "Banjir" in (await bot.say("/latest")).text


async def test_chosen_result_counts_one_share_today_and_stats_shows_it(bot: BotHarness) -> None:
    story = await add_story(bot.resources, "Berita yang dibagikan")
    for _ in range(3):
        await bot.feed(bot.updates.chosen_inline_result(f"s{story}", query="berita"))
    today = datetime.now(UTC).astimezone(bot.app.bot_data.settings.tz).date().isoformat()
    async with bot.resources.sessions() as s:
        rows = (await s.execute(select(ShareCount.day, ShareCount.count))).all()
    assert [tuple(r) for r in rows] == [(today, 3)]  # a count per day, nothing about who
    shown = (await bot.say("/stats", user_id=ADMIN_ID)).text
    assert "Dibagikan lewat mode inline: 3 hari ini" in shown
    english = (await bot.say("/stats", user_id=ADMIN_ID, lang="en")).text
    assert "Shared through inline mode: 3 today" in english


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_inline_answers_draw_on_the_one_sending_budget(tmp_path: Path, backend: str) -> None:
    """As `newsbot run` builds the bot: the answer goes through the budget's rate limiter."""
    api = FakeBotAPI()
    api.fail(retry_after(1), method="answerInlineQuery")
    async with database_url(backend, tmp_path) as url:
        settings = make_settings(tmp_path, database_url=url)
        async with open_resources(settings, sync_sources=False) as resources:
            budget = build_budget(settings, resources)
            app = build_application(settings, resources, request=api, budget=budget)
            await app.initialize()
            try:
                held_before = budget.pacer.paused_until
                update = Updates().inline_query("", user_id=USER_ID)
                await app.process_update(Update.de_json(update, app.bot))
            finally:
                await app.shutdown()
    # The 429 was waited out and the answer made again (without the limiter PTB would have
    # raised RetryAfter after one call), and the hold was put on the whole bot's budget.
    assert len(api.of("answerInlineQuery")) == 2
    assert budget.pacer.paused_until > held_before
    assert budget.pacer.ready_at(USER_ID) == 0.0  # a call to no chat: an overall slot only


async def test_help_tells_readers_about_inline_mode(bot: BotHarness) -> None:
    assert f"<code>@{BOT_USERNAME} kata</code>" in (await bot.say("/help")).text
    english = (await bot.say("/help", user_id=99, lang="en")).text
    assert f"<code>@{BOT_USERNAME} word</code>" in english
