"""Any text a reader may type runs on both stores: results or a QueryError, never a store error."""

from __future__ import annotations

import random

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ingest.indexing import index_stories
from bot.news.search.query import QueryError, parse_query
from storage import search
from tests.search.stories import NOW, add_story

PIECES = [
    '"', "'", "-", "*", "(", ")", ":", "^", "+", "NEAR", "OR", "AND", "NOT", "&", "|", "!",
    "<->", "\\", ";", "--", "/*", "%", "_", "banjir", "jakarta", "2024", "wang", "yi", "é",
    "ß", "İ", "東京", "١٢", "²", "\u200b", "\x00", " ", "  ", "\n", "\t", "{title}", "col:x",
]  # fmt: skip


def typed(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14)))


async def test_random_queries_never_fail_in_the_store(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        ids = [
            await add_story(s, "Banjir Jakarta 2024", "Wang Yi di Tokyo 東京 ²"),
            await add_story(s, "NEAR OR AND NOT", "kata-kata aneh: col x title"),
        ]
        await index_stories(s, ids)
    rng = random.Random(12)
    ran = refused = 0
    async with sessions() as s:
        for _ in range(300):
            text = typed(rng)
            try:
                query = parse_query(text)
            except QueryError:
                refused += 1
                continue
            page = await search.search_stories(s, query, limit=5, now=NOW)
            assert set(page.story_ids) <= set(ids), text
            ran += 1
    assert ran > 100 and refused > 10  # both paths were exercised
