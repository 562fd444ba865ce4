"""Pushes are owed durably: marked with the story in one transaction, owed once, fresh only."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import pushes
from bot.delivery.service import utcnow
from storage import stories
from storage.models import Delivery, Story
from tests.delivery.factory import NOW, add_chats, add_story, subscribe
from tests.delivery.harness import delivery_rig

MAX_AGE = timedelta(hours=6)


async def owed_marks(sessions: async_sessionmaker[AsyncSession]) -> list[int]:
    async with sessions() as s:
        query = select(Story.id).where(Story.pushes_owed.is_(True)).order_by(Story.id)
        return list((await s.scalars(query)).all())


async def test_a_story_is_created_owing_its_pushes(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        row = {
            "title": "Gempa di Cianjur",
            "summary": "",
            "image_url": None,
            "topics": [],
            "published_at": NOW,
            "first_seen_at": NOW,
            "updated_at": NOW,
            "outlet_count": 1,
        }
        story = await stories.create_story(s, row, topics=["nasional"])  # as clustering does
    assert await owed_marks(sessions) == [story]


async def test_owed_pushes_are_owed_once_and_old_stories_are_not_pushed(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 2)
        await subscribe(s, 1, "topic", "nasional")
        await subscribe(s, 2, "keyword", "banjir")
        fresh = await add_story(s, "Banjir surut", ["nasional"], published_at=NOW)
        backlog = await add_story(
            s, "Banjir tahun lalu", ["nasional"], published_at=NOW - timedelta(hours=7)
        )
    async with sessions.begin() as s:
        assert await pushes.enqueue_owed_pushes(s, NOW, max_age=MAX_AGE) == (2, 2)
    async with sessions.begin() as s:
        assert await pushes.enqueue_owed_pushes(s, NOW, max_age=MAX_AGE) == (0, 0)
        rows = (await s.scalars(select(Delivery).order_by(Delivery.chat_pk))).all()
    assert [(r.chat_pk, r.story_id) for r in rows] == [(1, fresh), (2, fresh)]
    assert backlog not in {r.story_id for r in rows}
    assert await owed_marks(sessions) == []


async def test_two_workers_owe_each_push_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 40)
        for pk in range(1, 41):
            await subscribe(s, pk, "topic", "nasional")
        for n in range(120):
            await add_story(s, f"Berita {n}", ["nasional"], published_at=NOW)

    async def worker() -> int:
        added = 0
        while True:
            async with sessions.begin() as s:
                handled, rows = await pushes.enqueue_owed_pushes(s, NOW, max_age=MAX_AGE)
            added += rows
            if not handled:
                return added

    first, second = await asyncio.gather(worker(), worker())
    assert first + second == 40 * 120
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Delivery)) == 40 * 120
    assert await owed_marks(sessions) == []


async def test_pushes_of_a_story_stored_before_a_crash_go_out_after_restart(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # Ingest stored the story and the process died before delivery heard of it.
    async with sessions.begin() as s:
        await add_chats(s, 2, start=40)
        await subscribe(s, 1, "topic", "ekonomi")
        await add_story(s, "IHSG naik", ["ekonomi"], published_at=utcnow())
    async with delivery_rig(sessions) as rig:
        await rig.settle_pushes()
        await rig.settle()
        assert [c.chat_id for c in rig.api.sent()] == [40]
    async with delivery_rig(sessions) as rig:
        await rig.settle()
        assert rig.api.sent() == []


async def test_keywords_match_as_the_search_does(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    follows = {
        1: "banjir -jakarta",  # an exclusion
        2: "pemilihan",  # stemmed: matches "memilih"
        3: '"wang yi"',  # a phrase: the words in a row
        4: "wang yi",  # both words, anywhere
        5: "yang",  # only a common word: matches nothing (and breaks nothing)
    }
    async with sessions.begin() as s:
        await add_chats(s, len(follows))
        for pk, keyword in follows.items():
            await subscribe(s, pk, "keyword", keyword)
        jakarta = await add_story(s, "Banjir rendam Jakarta Utara", [])
        bandung = await add_story(s, "Banjir bandang di Bandung", [])
        vote = await add_story(s, "Warga antusias memilih", [])
        wang_yi = await add_story(s, "Menlu bertemu Wang Yi", [])
        apart = await add_story(s, "Pedagang Wang", [], "Yi Jianlian hadir.")
    async with sessions.begin() as s:
        await pushes.enqueue_owed_pushes(s, NOW, max_age=MAX_AGE)
        rows = (await s.execute(select(Delivery.chat_pk, Delivery.story_id))).all()
    got: dict[int, set[int]] = {}
    for chat_pk, story_id in rows:
        got.setdefault(chat_pk, set()).add(story_id)
    assert got == {1: {bandung}, 2: {vote}, 3: {wang_yi}, 4: {wang_yi, apart}}
    assert jakarta not in got[1]
