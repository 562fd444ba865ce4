"""storage.chats on SQLite (and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import chats, stories
from storage.chats import KEYWORD, PILIHAN, TOPIC
from storage.models import Chat, ChatAffinity, ChatFeedback, Delivery, DigestItem
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


async def _story(s: AsyncSession, title: str) -> int:
    row = {
        "title": title,
        "summary": "",
        "topics": [],
        "published_at": NOW,
        "first_seen_at": NOW,
        "updated_at": NOW,
        "outlet_count": 1,
    }
    return await stories.create_story(s, row)


def _owed(chat_pk: int, kind: str, status: str = "pending", **keys: object) -> Delivery:
    return Delivery(
        chat_pk=chat_pk,
        kind=kind,
        status=status,
        attempts=0,
        not_before=NOW,
        created_at=NOW,
        **keys,
    )


async def _group_with_history(s: AsyncSession, chat_id: int, story_ids: list[int]) -> int:
    """A group whose admins chose settings, that follows Pilihan and is owed two messages."""
    group = await chats.ensure_chat(s, chat_id=chat_id, type="group", now=NOW, language="en")
    await chats.update_chat(
        s,
        group.id,
        NOW,
        timezone="Asia/Makassar",
        pilihan_times=["06:00"],
        quiet_start=22 * 60,
        quiet_end=6 * 60,
        push_enabled=False,
    )
    await chats.subscribe(s, group.id, PILIHAN, "", NOW)
    s1, s2, s3 = story_ids
    s.add_all(
        [
            _owed(group.id, "push", story_id=s1),
            _owed(group.id, "push", story_id=s2),
            _owed(group.id, "digest", digest_key="2026-11-25T07:00", story_ids=[s2]),
            DigestItem(chat_pk=group.id, day="2026-11-25", story_id=s2),
            DigestItem(chat_pk=group.id, day="2026-11-25", story_id=s3),
        ]
    )
    await s.flush()
    return group.id


async def _owed_to(s: AsyncSession, chat_pk: int) -> list[tuple[str, int | None, str | None, str]]:
    rows = (await s.scalars(select(Delivery).where(Delivery.chat_pk == chat_pk))).all()
    return sorted((d.kind, d.story_id, d.digest_key, d.status) for d in rows)


async def _given_to(s: AsyncSession, chat_pk: int) -> list[tuple[str, int]]:
    rows = (await s.scalars(select(DigestItem).where(DigestItem.chat_pk == chat_pk))).all()
    return sorted((d.day, d.story_id) for d in rows)


def _settings(chat: Chat) -> tuple[object, ...]:
    return (
        chat.language,
        chat.timezone,
        chat.pilihan_times,
        chat.quiet_start,
        chat.quiet_end,
        chat.push_enabled,
    )


CHOSEN = ("en", "Asia/Makassar", ["06:00"], 22 * 60, 6 * 60, False)


async def test_migration_to_a_new_id_keeps_settings_and_what_is_owed(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        ids = [await _story(s, f"Berita {n}") for n in range(3)]
        pk = await _group_with_history(s, -60, ids)
    async with sessions.begin() as s:
        assert await chats.migrate_chat(s, -60, -10060, NOW) == 1
    async with sessions.begin() as s:
        moved = await chats.get_chat(s, -10060)
        assert moved is not None and moved.id == pk and moved.type == "supergroup"
        assert _settings(moved) == CHOSEN
        assert await _owed_to(s, pk) == [
            ("digest", None, "2026-11-25T07:00", "pending"),
            ("push", ids[0], None, "pending"),
            ("push", ids[1], None, "pending"),
        ]
        assert await _given_to(s, pk) == [("2026-11-25", ids[1]), ("2026-11-25", ids[2])]


async def test_migration_into_an_existing_supergroup_row_loses_nothing(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        ids = [await _story(s, f"Berita {n}") for n in range(3)]
        old_pk = await _group_with_history(s, -61, ids)
        # The supergroup spoke first: a row with default settings, which already got story 0
        # and has story 2 in today's digests.
        early = await chats.ensure_chat(s, chat_id=-10061, type="supergroup", now=NOW)
        await chats.subscribe(s, early.id, TOPIC, "politik", NOW)
        s.add_all(
            [
                _owed(early.id, "push", "sent", story_id=ids[0]),
                DigestItem(chat_pk=early.id, day="2026-11-25", story_id=ids[2]),
            ]
        )
    async with sessions.begin() as s:
        assert await chats.migrate_chat(s, -61, -10061, NOW) == 1
        assert await chats.migrate_chat(s, -61, -10061, NOW) == 0  # the second notice
    async with sessions.begin() as s:
        merged = await chats.get_chat(s, -10061)
        assert merged is not None and merged.id == early.id
        assert await chats.get_chat(s, -61) is None
        assert _settings(merged) == CHOSEN
        assert await chats.subscriptions_of(s, merged.id) == [(PILIHAN, ""), (TOPIC, "politik")]
        # Story 0 was already sent to the supergroup: the old pending copy is the same message.
        assert await _owed_to(s, merged.id) == [
            ("digest", None, "2026-11-25T07:00", "pending"),
            ("push", ids[0], None, "sent"),
            ("push", ids[1], None, "pending"),
        ]
        assert await _given_to(s, merged.id) == [("2026-11-25", ids[1]), ("2026-11-25", ids[2])]
        assert await _owed_to(s, old_pk) == [] and await _given_to(s, old_pk) == []


async def test_migration_into_an_existing_supergroup_carries_what_was_learned(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        story = await _story(s, "Berita dinilai")
        old = await chats.ensure_chat(s, chat_id=-62, type="group", now=NOW)
        early = await chats.ensure_chat(s, chat_id=-10062, type="supergroup", now=NOW)
        s.add_all(
            [
                ChatAffinity(chat_pk=old.id, feature="t:olahraga", weight=2.0, learned_at=NOW),
                ChatAffinity(chat_pk=old.id, feature="t:politik", weight=-1.0, learned_at=NOW),
                ChatAffinity(chat_pk=early.id, feature="t:olahraga", weight=0.5, learned_at=NOW),
                ChatFeedback(chat_pk=old.id, story_id=story, signal="vote", value=1, at=NOW),
                ChatFeedback(chat_pk=old.id, story_id=story, signal="read", value=1, at=NOW),
                ChatFeedback(chat_pk=early.id, story_id=story, signal="vote", value=-1, at=NOW),
            ]
        )
    async with sessions.begin() as s:
        assert await chats.migrate_chat(s, -62, -10062, NOW) == 1
    async with sessions() as s:
        rows = await s.execute(select(ChatAffinity.feature, ChatAffinity.weight))
        weights = {str(f): float(w) for f, w in rows}
        rows = await s.execute(select(ChatFeedback.signal, ChatFeedback.value))
        signals = sorted((str(k), int(v)) for k, v in rows)
    # The supergroup's own row wins where both learned the same; the rest comes along.
    assert weights == {"t:olahraga": 0.5, "t:politik": -1.0}
    assert signals == [("read", 1), ("vote", -1)]
