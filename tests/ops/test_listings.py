"""`newsbot stats` and `newsbot chats` through the real CLI, on SQLite and PostgreSQL.

`stats` must say what the admins' `/stats` says; `chats` counts and never shows one reader.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from bot.delivery.outcomes import OUTCOMES
from bot.delivery.pilihan import local_day
from storage import chats, ledger
from storage.models import Chat, EventLog, Source
from tests.bot.harness import add_story, make_settings, running_bot
from tests.bot.updates import ADMIN_ID
from tests.dbs import database_url
from tests.delivery.factory import add_chats, subscribe
from tests.ingest.process import newsbot, on_terminal

SECRET_TITLE = "Grup Rahasia Budi"  # a reader's data: never in any output
SECRET_KEYWORD = "budi santoso"
SECRET_CHAT_ID = 987654321


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with database_url(request.param, tmp_path) as url:
        yield url


async def seed_chats(sessions: Any, now: datetime) -> int:
    """3 active private chats, a group, a forum topic, 2 chats that blocked the bot.

    Returns the first private chat's pk.
    """
    async with sessions.begin() as s:
        await add_chats(s, 3, start=SECRET_CHAT_ID)  # pks 1-3
        await add_chats(s, 2, start=5000, active=False, inactive_reason="Forbidden: blocked")
        common = {"language": "id", "active": True, "push_enabled": True}
        times = {"created_at": now, "updated_at": now}
        await s.execute(
            insert(Chat).values(
                chat_id=-100, thread_id=0, type="group", title=SECRET_TITLE, **common, **times
            )
        )
        await s.execute(
            insert(Chat).values(
                chat_id=-200, thread_id=5, type="supergroup", username="budi_s", **common, **times
            )
        )
        pks = {c.chat_id: c.id for c in (await s.scalars(select(Chat))).all()}
        first, second, third = (pks[SECRET_CHAT_ID + i] for i in range(3))
        await subscribe(s, first, chats.PILIHAN, "")
        await subscribe(s, second, chats.PILIHAN, "")
        await subscribe(s, first, chats.TOPIC, "olahraga")
        await subscribe(s, third, chats.TOPIC, "olahraga")
        await subscribe(s, pks[-100], chats.TOPIC, "ekonomi")
        await subscribe(s, second, chats.KEYWORD, SECRET_KEYWORD)
        await subscribe(s, second, chats.KEYWORD, "banjir")
        await subscribe(s, pks[5000], chats.TOPIC, "olahraga")  # inactive: not a follower
        await chats.update_chat(
            s, first, now, language="en", push_enabled=False, timezone="Asia/Makassar",
            quiet_start=22 * 60, quiet_end=6 * 60, pilihan_times=["06:00"],
        )  # fmt: skip
        # A reset to the default times is stored as JSON null: not times of its own.
        await chats.update_chat(s, second, now, pilihan_times=None)
        await s.execute(update(Chat).where(Chat.id == third).values(timezone="Asia/Jayapura"))
    return first


async def test_stats_reports_what_slash_stats_shows(tmp_path: Path, db_url: str) -> None:
    settings = make_settings(tmp_path, database_url=db_url, admin_ids=str(ADMIN_ID))
    now = datetime.now(UTC)
    today = local_day(now, settings.tz)
    async with running_bot(settings) as bot:
        sessions = bot.resources.sessions
        reader = await seed_chats(sessions, now)
        story = await add_story(bot.resources, "Hari ini satu", published_at=now)
        await add_story(bot.resources, "Hari ini dua", published_at=now)
        await add_story(bot.resources, "Kemarin", published_at=now - timedelta(days=2))
        async with sessions.begin() as s:
            await ledger.add_outcomes(s, today, {"sent": 7, "blocked": 1, "deferred": 2})
            await ledger.add_outcomes(s, "2020-01-01", {"sent": 999})
            await ledger.enqueue(s, [ledger.owed_row(reader, "push", now, story_id=story)])
            s.add(EventLog(kind="delivery", message="old", created_at=now - timedelta(days=2)))
            s.add(EventLog(kind="delivery", message="story 9: ValueError('x')", created_at=now))
            s.add(EventLog(kind="admin", message="not a delivery error", created_at=now))
            await s.execute(
                update(Source)
                .where(Source.name == "Tribunnews")
                .values(consecutive_failures=3, last_error="HTTP 500")
            )
        # Two stories shared through inline mode today (a count per day, never who).
        for result in ("s1", "s2"):
            await bot.feed(bot.updates.chosen_inline_result(result, user_id=SECRET_CHAT_ID))
        shown = (await bot.say("/stats", user_id=ADMIN_ID)).text

    code, out, err = await newsbot(tmp_path, "stats", "--json", DATABASE_URL=db_url)
    assert code == 0, err
    report = json.loads(out)
    # 4 private: the three seeded and the admin's own, made by /stats.
    active_by_type = {"group": 1, "private": 4, "supergroup": 1}
    counted = {"sent": 7, "blocked": 1, "deferred": 2}
    assert report == {
        "day": today,
        "timezone": "Asia/Jakarta",
        "chats": {"active": 6, "inactive": 2, "active_by_type": active_by_type},
        "followers": {"pilihan": 2, "topics": {"olahraga": 2, "ekonomi": 1}},
        "stories_today": 2,
        "messages_today": {n: counted.get(n, 0) for n in OUTCOMES},
        "pending": 1,
        "last_delivery_error": "story 9: ValueError('x')",
        "failing_sources": [{"name": "Tribunnews", "failures": 3}],
        "shares_today": 2,
        "shares_by_day": {
            (now.astimezone(settings.tz).date() - timedelta(days=n)).isoformat(): 0 if n else 2
            for n in reversed(range(7))
        },
    }
    assert str(SECRET_CHAT_ID) not in out  # who shared is not kept anywhere
    # The same numbers as the chat command.
    assert "Obrolan: 6 aktif, 2 tidak aktif (group 1, private 4, supergroup 1)" in shown
    assert "Pengikut Berita Pilihan: 2" in shown and "olahraga 2, ekonomi 1" in shown
    assert "Berita hari ini: 2" in shown
    assert "7 terkirim, 1 diblokir, 0 obrolan tidak ada, 0 pindah, 2 ditunda (429)" in shown
    assert "Menunggu dikirim: 1" in shown and "Sumber bermasalah: Tribunnews" in shown
    assert "Galat pengiriman terakhir: story 9: ValueError(&#x27;x&#x27;)" in shown  # HTML
    local = now.astimezone(settings.tz)
    assert "Dibagikan lewat mode inline: 2 hari ini; per hari: " in shown
    assert shown.endswith(f"{local:%d}/{local:%m} 2")

    code, out, err = await newsbot(tmp_path, "stats", DATABASE_URL=db_url)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "name\tvalue"
    pairs = dict(line.split("\t", 1) for line in lines[1:])
    assert pairs["chats.active"] == "6" and pairs["chats.active_by_type.private"] == "4"
    assert pairs["followers.topics.olahraga"] == "2" and pairs["messages_today.sent"] == "7"
    assert pairs["failing_sources"] == "Tribunnews (3)" and pairs["pending"] == "1"
    assert pairs["shares_today"] == "2" and pairs[f"shares_by_day.{today}"] == "2"
    assert pairs["day"] == today


async def test_chats_reports_aggregates_and_never_a_reader(tmp_path: Path, db_url: str) -> None:
    settings = make_settings(tmp_path, database_url=db_url)
    async with running_bot(settings) as bot:
        await seed_chats(bot.resources.sessions, datetime.now(UTC))

    code, out, err = await newsbot(tmp_path, "chats", "--json", DATABASE_URL=db_url)
    assert code == 0, err
    assert json.loads(out) == {
        "total": 7,
        "active": 5,
        "inactive": 2,
        "by_type": {
            "group": {"active": 1, "inactive": 0},
            "private": {"active": 3, "inactive": 2},
            "supergroup": {"active": 1, "inactive": 0},
        },
        "forum_topics": 1,
        "language": {"en": 1, "id": 4},
        "push": {"on": 4, "off": 1},
        "timezone": {"Asia/Jayapura": 1, "Asia/Makassar": 1, "default": 3},
        "quiet_hours": 1,
        "own_pilihan_times": 1,
        "following": {
            "pilihan": 2,
            "topics": {"olahraga": 2, "ekonomi": 1},
            "keywords": {"chats": 1, "subscriptions": 2},
            "nothing": 1,
        },
    }
    leaks = (SECRET_TITLE, "Budi", "budi", str(SECRET_CHAT_ID), "banjir", "-100", "-200")
    assert not any(leak in out for leak in leaks)

    code, out, err = await newsbot(tmp_path, "chats", DATABASE_URL=db_url)
    assert code == 0, err
    pairs = dict(line.split("\t", 1) for line in out.splitlines()[1:])
    assert pairs["by_type.private.inactive"] == "2" and pairs["following.nothing"] == "1"
    assert pairs["following.keywords.subscriptions"] == "2" and pairs["push.off"] == "1"
    assert not any(leak in out for leak in leaks)

    # On a terminal: a table of the same figures.
    code, shown = await asyncio.to_thread(on_terminal, tmp_path, "chats", DATABASE_URL=db_url)
    assert code == 0, shown
    assert "┃ name" in shown and "│ by_type.private.inactive" in shown
    assert not any(leak in shown for leak in leaks)


async def test_listings_on_an_empty_database(tmp_path: Path) -> None:
    code, out, err = await newsbot(tmp_path, "chats", "--json")
    assert code == 0, err
    empty = json.loads(out)
    assert empty["total"] == 0 and empty["following"]["topics"] == {}
    code, out, err = await newsbot(tmp_path, "stats", "--json")
    assert code == 0, err
    assert json.loads(out)["failing_sources"] == [] and json.loads(out)["pending"] == 0
    code, out, err = await newsbot(tmp_path, "latest")
    assert code == 0, err
    assert out.splitlines() == ["id\tpublished\ttopics\tsources\tsections\ttitle\tsummary\tlinks"]
    code, out, err = await newsbot(tmp_path, "latest", "--json")
    assert code == 0 and json.loads(out) == []
