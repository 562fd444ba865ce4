"""The sources file brought into the store: renames keep history, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import articles, sources
from storage.models import CHAT, CONFIG, Source
from tests.storage.test_store import article_row

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


async def sync(sessions: async_sessionmaker[AsyncSession], *specs: dict[str, Any]) -> list[str]:
    async with sessions.begin() as s:
        return await sources.sync_sources(s, list(specs), NOW)


async def by_name(sessions: async_sessionmaker[AsyncSession]) -> dict[str, Source]:
    async with sessions() as s:
        return {src.name: src for src in await sources.all_sources(s)}


async def test_renaming_a_source_keeps_its_url_history_and_articles(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await sync(sessions, {"name": "Kompas", "url": "https://kompas.test/rss"})
    old = (await by_name(sessions))["Kompas"]
    async with sessions.begin() as s:
        await articles.insert_new_articles(s, [article_row(old.id, 1)])
        await sources.update_source(s, old.id, etag='"e1"', consecutive_failures=2)

    # The same URL under a new name: this used to crash every start-up on sources.url.
    added = await sync(sessions, {"name": "Kompas.com", "url": "https://kompas.test/rss"})
    assert added == []
    stored = await by_name(sessions)
    assert set(stored) == {"Kompas.com"}
    renamed = stored["Kompas.com"]
    assert renamed.id == old.id
    assert (renamed.etag, renamed.consecutive_failures) == ('"e1"', 2)
    async with sessions() as s:
        assert await articles.count_articles(s) == 1

    # Starting again with the same file changes nothing.
    assert await sync(sessions, {"name": "Kompas.com", "url": "https://kompas.test/rss"}) == []
    assert (await by_name(sessions))["Kompas.com"].id == old.id


async def test_two_sources_swapping_urls_and_a_rename_with_a_new_source(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await sync(
        sessions,
        {"name": "A", "url": "https://a.test/rss"},
        {"name": "B", "url": "https://b.test/rss"},
    )
    before = await by_name(sessions)
    added = await sync(
        sessions,
        {"name": "A", "url": "https://b.test/rss"},
        {"name": "B", "url": "https://a.test/rss"},
        {"name": "C", "url": "https://c.test/rss"},
    )
    assert added == ["C"]
    after = await by_name(sessions)
    assert after["A"].id == before["A"].id and after["A"].url == "https://b.test/rss"
    assert after["B"].id == before["B"].id and after["B"].url == "https://a.test/rss"

    # A renamed, and its old name reused for a new URL, in one go.
    added = await sync(
        sessions,
        {"name": "A2", "url": "https://b.test/rss"},
        {"name": "A", "url": "https://new-a.test/rss"},
        {"name": "B", "url": "https://a.test/rss"},
        {"name": "C", "url": "https://c.test/rss"},
    )
    final = await by_name(sessions)
    # "A" matches by name first, so it keeps its history and moves to the new URL; "A2" is new.
    assert added == ["A2"]
    assert final["A"].id == before["A"].id and final["A"].url == "https://new-a.test/rss"
    assert final["A2"].url == "https://b.test/rss"


async def test_a_url_held_by_a_source_no_longer_configured_is_not_taken(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await sync(
        sessions,
        {"name": "Lama", "url": "https://lama.test/rss"},
        {"name": "Baru", "url": "https://baru.test/rss"},
    )
    # "Lama" leaves the file, and "Baru" is pointed at Lama's URL: Lama's articles stay.
    await sync(sessions, {"name": "Baru", "url": "https://lama.test/rss"})
    stored = await by_name(sessions)
    assert stored["Lama"].url == "https://lama.test/rss"
    assert stored["Baru"].url == "https://baru.test/rss"
    assert stored["Baru"].last_error is not None and "'Lama'" in stored["Baru"].last_error


async def test_the_sources_file_marks_sources_trusted_and_chat_ones_are_not(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        added = await sources.add_source(s, {"name": "chat", "url": "https://c.test/rss"}, NOW)
    assert added is not None and added.origin == CHAT
    await sync(sessions, {"name": "file", "url": "https://f.test/rss"})
    stored = await by_name(sessions)
    assert (stored["chat"].origin, stored["file"].origin) == (CHAT, CONFIG)
    # Once the operator puts a chat-added source into the file, it is theirs.
    await sync(
        sessions,
        {"name": "file", "url": "https://f.test/rss"},
        {"name": "chat", "url": "https://c.test/rss"},
    )
    assert (await by_name(sessions))["chat"].origin == CONFIG
