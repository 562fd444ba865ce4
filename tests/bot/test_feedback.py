"""The personal Berita Pilihan through the real Application, both stores: 👍/👎 taps, /pilihan
ranked for the chat, reset, groups taught by admins only, signals from inline shares, and the
reader's data (/datasaya shows what was learned, /hapusdata deletes it)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from bot.delivery import personal
from storage.models import Chat, ChatAffinity, ChatFeedback, Story
from tests.bot.fakeapi import Call
from tests.bot.harness import BotHarness, add_story, make_settings, running_bot
from tests.bot.updates import CHANNEL_ID, GROUP_ID, USER_ID, chat
from tests.dbs import database_url

ADMINS_ONLY = "Hanya admin yang bisa mengajari Berita Pilihan di sini; tidak ada yang berubah."


@pytest.fixture(params=["sqlite", "postgresql"])
async def bot(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with database_url(request.param, tmp_path) as url:
        settings = make_settings(tmp_path, database_url=url)
        async with running_bot(settings) as harness:
            yield harness


def answers(calls: list[Call]) -> list[str]:
    return [str(c.params.get("text", "")) for c in calls if c.method == "answerCallbackQuery"]


async def weights(bot: BotHarness, chat_id: int = USER_ID) -> dict[str, float]:
    async with bot.resources.sessions() as s:
        rows = await s.execute(
            select(ChatAffinity.feature, ChatAffinity.weight)
            .join(Chat, Chat.id == ChatAffinity.chat_pk)
            .where(Chat.chat_id == chat_id)
        )
        return {str(f): float(w) for f, w in rows}


async def tap(bot: BotHarness, data: str, **kw: Any) -> list[str]:
    return answers(await bot.answers_to(bot.updates.callback(data, **kw)))


async def test_more_and_less_teach_the_chat_once_per_story(bot: BotHarness) -> None:
    await bot.say("/start")
    story = await add_story(bot.resources, "Persebaya juara", topics=("sepak-bola", "olahraga"))
    assert await tap(bot, f"fb|+|{story}") == ["👍 Dicatat: lebih banyak berita seperti ini."]
    learned = await weights(bot)
    assert learned["t:sepak-bola"] == pytest.approx(1.0) and learned["o:Tribunnews"] > 0
    assert await tap(bot, f"fb|+|{story}") == ["Sudah dicatat sebelumnya."]
    assert await weights(bot) == pytest.approx(learned)  # a second tap counts nothing
    assert await tap(bot, f"fb|-|{story}") == ["👎 Dicatat: lebih sedikit berita seperti ini."]
    flipped = await weights(bot)
    assert flipped["t:sepak-bola"] == pytest.approx(-1.0)  # the first vote undone, then this one
    async with bot.resources.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(ChatFeedback)) == 1


async def test_pilihan_is_ranked_for_the_chat_and_says_why(bot: BotHarness) -> None:
    await bot.say("/start")
    now = datetime.now(UTC)
    # The editors' ranking: politics carried by many outlets first, football last.
    big = ("Kompas", "Detik", "Tempo", "Antara")
    politics = [
        await add_story(bot.resources, f"Sidang DPR {n}", topics=("politik",), outlets=big,
                        published_at=now - timedelta(minutes=n + 1))
        for n in range(6)
    ]  # fmt: skip
    football = [
        await add_story(bot.resources, f"Liga Satu pekan {n}", topics=("sepak-bola",),
                        published_at=now - timedelta(hours=3, minutes=n))
        for n in range(6)
    ]  # fmt: skip
    editorial = await bot.say("/pilihan")
    assert "Karena Anda" not in editorial.text
    assert [b["callback_data"] for b in editorial.buttons()][:1] == [f"fb|+|{politics[0]}"]
    assert not any(b["callback_data"] == "fb|r" for b in editorial.buttons())
    await tap(bot, f"fb|+|{football[0]}")
    await tap(bot, f"fb|-|{politics[1]}")
    mine = await bot.say("/pilihan")
    shown = [int(b["callback_data"].split("|")[2]) for b in mine.buttons()[:5]]
    assert sum(1 for i in shown if i in football) == 4  # four of five are the chat's habit…
    assert sum(1 for i in shown if i in politics) == 1  # …and one the editors' best otherwise
    assert "<i>Karena Anda mengikuti Sepak Bola</i>" in mine.text
    assert mine.buttons()[-1] == {"text": "↺ Atur ulang pilihan saya", "callback_data": "fb|r"}


async def test_reset_forgets_and_older_buttons_teach_nothing(bot: BotHarness) -> None:
    await bot.say("/start")
    story = await add_story(bot.resources, "Gempa di Bali", topics=("regional", "region:bali"))
    await tap(bot, f"fb|+|{story}")
    assert await weights(bot)
    before_reset = bot.updates.now - 5
    assert await tap(bot, "fb|r") == [
        "Pilihan Anda diatur ulang: Berita Pilihan kembali ke pilihan redaksi."
    ]
    assert await weights(bot) == {}
    assert await tap(bot, "fb|r") == ["Belum ada yang dipelajari; tidak ada yang diatur ulang."]
    old = bot.updates.callback(f"fb|+|{story}")
    old["callback_query"]["message"]["date"] = before_reset  # a button under an older message
    assert answers(await bot.answers_to(old)) == [
        "Tombol ini dari sebelum pilihan Anda diatur ulang; tidak ada yang berubah."
    ]
    assert await weights(bot) == {}


async def test_feedback_on_a_deleted_story_changes_nothing(bot: BotHarness) -> None:
    await bot.say("/start")
    story = await add_story(bot.resources, "Kabar yang dihapus", topics=("hukum",))
    async with bot.resources.sessions.begin() as s:
        await s.execute(delete(Story).where(Story.id == story))
    assert await tap(bot, f"fb|-|{story}") == [
        "Berita ini sudah tidak tersimpan; tidak ada yang berubah."
    ]
    assert await weights(bot) == {}
    # Not our button at all (a story id too long to be one): the stale-button answer, no error.
    calls = await bot.answers_to(bot.updates.callback("fb|+|" + "9" * 30))
    assert len(answers(calls)) == 1 and await weights(bot) == {}


async def test_in_groups_only_admins_teach(bot: BotHarness) -> None:
    group = chat(GROUP_ID, "group")
    await bot.feed(bot.updates.group("/help"))
    story = await add_story(bot.resources, "Harga cabai naik", topics=("ekonomi",))
    member = 31337
    said = await tap(bot, f"fb|+|{story}", chat_data=group, user_id=member)
    assert said == [ADMINS_ONLY]
    assert await weights(bot, GROUP_ID) == {}
    bot.api.set_member(GROUP_ID, USER_ID, "administrator")
    assert await tap(bot, f"fb|+|{story}", chat_data=group) == [
        "👍 Dicatat: lebih banyak berita seperti ini."
    ]
    assert (await weights(bot, GROUP_ID))["t:ekonomi"] == pytest.approx(1.0)
    assert await weights(bot, USER_ID) == {}  # the admin's own private chat learned nothing


async def test_an_inline_share_teaches_the_readers_private_chat_only(bot: BotHarness) -> None:
    story = await add_story(bot.resources, "Timnas menang", topics=("sepak-bola",))
    await bot.feed(bot.updates.chosen_inline_result(f"s{story}", user_id=4242))
    async with bot.resources.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(ChatAffinity)) == 0  # no chat
    await bot.say("/start")
    await bot.feed(bot.updates.chosen_inline_result(f"s{story}"))
    await bot.feed(bot.updates.chosen_inline_result(f"s{story}"))  # counted once per story
    assert (await weights(bot))["t:sepak-bola"] == pytest.approx(0.5)
    await bot.feed(bot.updates.chosen_inline_result("not-ours"))
    assert (await weights(bot))["t:sepak-bola"] == pytest.approx(0.5)


async def test_the_reader_sees_and_deletes_what_was_learned(bot: BotHarness) -> None:
    await bot.say("/start")
    where = ("regional", "region:jawa-tengah")
    story = await add_story(bot.resources, "Banjir di Semarang", topics=where)
    await tap(bot, f"fb|+|{story}")
    calls = await bot.answers_to(bot.updates.private("/datasaya"))
    [sent] = [c for c in calls if c.method == "sendDocument"]
    [(_, body)] = sent.params["_files"].values()
    learned = json.loads(body)["places"][0]["personal_berita_pilihan"]
    assert learned["affinities"]["p:jawa-tengah"]["weight"] == pytest.approx(1.0)
    assert learned["signals_given"] == {"more": 1}
    before_erasure = bot.updates.now - 5
    taught = len(await weights(bot)) + 1  # every weight, and the one signal
    prompt = [c for c in await bot.answers_to(bot.updates.private("/hapusdata"))][-1]
    button = next(b["callback_data"] for b in prompt.buttons() if b["text"] == "🗑 Ya, hapus")
    calls = await bot.answers_to(bot.updates.callback(button))
    [done] = [c.text for c in calls if c.method == "editMessageText"]
    assert f"{taught} catatan selera" in done
    assert await weights(bot) == {}
    async with bot.resources.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(ChatFeedback)) == 0
    old = bot.updates.callback(f"fb|+|{story}")
    old["callback_query"]["message"]["date"] = before_erasure
    assert answers(await bot.answers_to(old)) == [
        "Data chat ini sudah dihapus; tombol lama tidak mengubah apa pun."
    ]
    assert await weights(bot) == {}


async def test_in_channels_only_admins_teach(bot: BotHarness) -> None:
    channel = chat(CHANNEL_ID, "channel", username="kanalberita")
    story = await add_story(bot.resources, "Jadwal KRL berubah", topics=("nasional",))
    said = await tap(bot, f"fb|-|{story}", chat_data=channel)  # a subscriber, not an admin
    assert said == [ADMINS_ONLY]
    assert await weights(bot, CHANNEL_ID) == {}
    bot.api.set_member(CHANNEL_ID, USER_ID, "administrator")
    assert await tap(bot, f"fb|-|{story}", chat_data=channel) == [
        "👎 Dicatat: lebih sedikit berita seperti ini."
    ]
    assert (await weights(bot, CHANNEL_ID))["t:nasional"] < 0


async def test_a_heavy_tapper_keeps_only_the_strongest_weights(bot: BotHarness) -> None:
    await bot.say("/start")
    stories = personal.MAX_LEARNED // 3 + 3  # three new headline words each: past the cap
    words = [f"kata{chr(97 + n // 26 % 26)}{chr(97 + n % 26)}" for n in range(3 * stories)]
    for n in range(stories):  # one topic and one outlet run through all of them
        title = " ".join(words[3 * n : 3 * n + 3])
        story = await add_story(bot.resources, title, topics=("ekonomi",), outlets=("Kompas",))
        await tap(bot, f"fb|+|{story}")
    learned = await weights(bot)
    assert len(learned) == personal.MAX_LEARNED
    assert learned["t:ekonomi"] == pytest.approx(stories, rel=0.01)
    assert learned["o:Kompas"] == pytest.approx(0.2 * stories, rel=0.01)
