"""storage.chats on SQLite (and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import chats
from storage.chats import KEYWORD, PILIHAN, TOPIC
from tests.dbs import database_engine

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def sessions(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with database_engine(request.param, tmp_path) as engine:
        yield async_sessionmaker(engine, expire_on_commit=False)


async def test_ensure_is_idempotent_and_keeps_settings(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        chat = await chats.ensure_chat(s, chat_id=5, type="private", now=NOW, language="en")
        await chats.update_chat(s, chat.id, NOW, timezone="Asia/Makassar")
    async with sessions.begin() as s:
        again = await chats.ensure_chat(s, chat_id=5, type="private", now=NOW, language="id")
        assert again.id == chat.id
        assert (again.language, again.timezone) == ("en", "Asia/Makassar")
        topic = await chats.ensure_chat(s, chat_id=-1003, thread_id=7, type="supergroup", now=NOW)
        assert topic.id != chat.id
    with pytest.raises(ValueError, match="not a chat setting"):
        async with sessions.begin() as s:
            await chats.update_chat(s, chat.id, NOW, chat_id=1)


async def test_subscribe_unsubscribe_and_counts(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        a = await chats.ensure_chat(s, chat_id=1, type="private", now=NOW)
        b = await chats.ensure_chat(s, chat_id=2, type="private", now=NOW)
        assert await chats.subscribe(s, a.id, TOPIC, "olahraga", NOW)
        assert not await chats.subscribe(s, a.id, TOPIC, "olahraga", NOW)
        await chats.subscribe(s, a.id, PILIHAN, "", NOW)
        await chats.subscribe(s, a.id, KEYWORD, "wang yi", NOW)
        await chats.subscribe(s, b.id, TOPIC, "olahraga", NOW)
        assert await chats.subscriptions_of(s, a.id) == [
            (PILIHAN, ""),
            (TOPIC, "olahraga"),
            (KEYWORD, "wang yi"),
        ]
        await chats.mark_inactive(s, 2, "blocked", NOW)
        assert await chats.followers_per_topic(s) == {"olahraga": 1, "pilihan": 1}
        assert await chats.count_chats(s) == {"private": 1, "inactive": 1}
        assert await chats.unsubscribe(s, a.id, TOPIC, "sepak-bola") == 0
        assert await chats.unsubscribe(s, a.id, KEYWORD) == 1
        assert await chats.unsubscribe(s, a.id) == 2
        assert await chats.subscriptions_of(s, a.id) == []


async def test_pages_follow_pk_order_and_filters(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        pks = [
            (await chats.ensure_chat(s, chat_id=i, type="private", now=NOW)).id
            for i in range(1, 8)
        ]
        for pk in pks[::2]:
            await chats.subscribe(s, pk, PILIHAN, "", NOW)
        await chats.mark_inactive(s, 3, "blocked", NOW)
        first = await chats.chats_page(s, 0, 3)
        assert [c.chat_id for c in first] == [1, 2, 4]
        rest = await chats.chats_page(s, first[-1].id, 10)
        assert [c.chat_id for c in rest] == [5, 6, 7]
        following = await chats.chats_page(s, 0, 10, following=PILIHAN)
        assert [c.chat_id for c in following] == [1, 5, 7]


async def test_migration_moves_rows_and_merges_into_an_existing_supergroup(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        group = await chats.ensure_chat(s, chat_id=-40, type="group", now=NOW)
        await chats.subscribe(s, group.id, PILIHAN, "", NOW)
        other = await chats.ensure_chat(s, chat_id=-41, type="group", now=NOW)
        await chats.subscribe(s, other.id, TOPIC, "hukum", NOW)
        # The new supergroup spoke first for -41: its row exists and must absorb the old one.
        early = await chats.ensure_chat(s, chat_id=-10041, type="supergroup", now=NOW)
        await chats.subscribe(s, early.id, TOPIC, "politik", NOW)
    async with sessions.begin() as s:
        assert await chats.migrate_chat(s, -40, -10040, NOW) == 1
        assert await chats.migrate_chat(s, -41, -10041, NOW) == 1
    async with sessions.begin() as s:
        moved = await chats.get_chat(s, -10040)
        assert moved is not None and moved.id == group.id and moved.type == "supergroup"
        assert await chats.subscriptions_of(s, moved.id) == [(PILIHAN, "")]
        assert await chats.get_chat(s, -40) is None and await chats.get_chat(s, -41) is None
        merged = await chats.get_chat(s, -10041)
        assert merged is not None
        assert await chats.subscriptions_of(s, merged.id) == [
            (TOPIC, "hukum"),
            (TOPIC, "politik"),
        ]
