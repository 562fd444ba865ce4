"""Keep the search index in step with the stories: analyse them (bot.news.search), store the
tokens (storage.search).

A story is indexed in the transaction that creates it or adds an outlet to it, so a story is
searchable, and matched by keyword pushes, as soon as it exists. Stories without an entry
(stored before migration 0010_search, copied with `newsbot db copy`, or analysed by an older
`ANALYSIS_VERSION`) are filled in by `index_missing`, which every ingest cycle runs a batch
of; `newsbot search --reindex` rebuilds the whole index.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.news.search import ANALYSIS_VERSION
from bot.news.search.document import story_document
from storage import search

log = logging.getLogger(__name__)
BATCH = 200  # stories analysed and written per transaction


async def index_stories(session: AsyncSession, story_ids: Sequence[int]) -> int:
    """(Re)index these stories in the caller's transaction; return how many were indexed."""
    texts = await search.story_texts(session, story_ids)
    entries = [entry_of(text) for text in texts]
    await search.put_entries(session, entries, version=ANALYSIS_VERSION)
    return len(entries)


def entry_of(text: search.StoryText) -> search.IndexEntry:
    """A story's index entry: its analysed headlines, summary and body."""
    document = story_document(text.titles, text.summary, text.body)
    return search.IndexEntry(
        story_id=text.story_id,
        published_at=text.published_at,
        title=document.title,
        summary=document.summary,
        body=document.body,
    )


async def index_missing(
    sessions: async_sessionmaker[AsyncSession], *, limit: int | None = None
) -> int:
    """Index stories that have no current entry, a batch per transaction; return how many.

    `limit` bounds the work of one call (an ingest cycle does a share, then moves on).
    """
    return await _walk(sessions, every=False, limit=limit)


async def reindex(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Rebuild the index: analyse every story again, a batch per transaction.

    Entries are replaced in place, so search keeps answering while it runs; entries of
    deleted stories went with them (the foreign key cascades).
    """
    done = await _walk(sessions, every=True, limit=None)
    async with sessions.begin() as session:
        await search.optimise(session)
    return done


async def _walk(
    sessions: async_sessionmaker[AsyncSession], *, every: bool, limit: int | None
) -> int:
    done, after = 0, 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        async with sessions.begin() as session:
            if every:
                ids = await search.story_ids(session, after=after, limit=size)
            else:
                ids = await search.unindexed(
                    session, version=ANALYSIS_VERSION, limit=size, after=after
                )
            if not ids:
                break
            done += await index_stories(session, ids)
        after = ids[-1]
    if done:
        log.info("search index: %d stories indexed", done)
    return done
