"""`newsbot search`: the readers' search for operators, and rebuilding the index."""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterator, Sequence

from rich.console import Console

from bot.cli.listings import PLAIN_STORY_COLUMNS, print_stanzas, story_row
from bot.cli.output import Format, print_json, print_plain
from bot.config import Settings
from bot.i18n import as_plain, default_catalogue
from bot.ingest.cycle import utcnow
from bot.ingest.indexing import reindex
from bot.news.search import ANALYSIS_VERSION
from bot.news.search.query import MAX_CHARS, MAX_TERMS, QueryError, parse_query
from bot.runtime import open_database
from storage import search, stories
from storage.db import session_factory
from storage.stories import StoryView


async def rebuild(settings: Settings) -> int:
    """Analyse every story again and rewrite its index entry; say how many and how long."""
    async with open_database(settings) as engine:
        started = time.perf_counter()
        done = await reindex(session_factory(engine))
    elapsed = time.perf_counter() - started
    Console(stderr=True).print(f"search index rebuilt: {done} stories in {elapsed:.1f} s")
    return 0


async def find(settings: Settings, fmt: Format, words: Sequence[str], *, limit: int) -> int:
    """Print the stories a reader searching `words` would get, best first."""
    typed = " ".join(words)
    try:
        query = parse_query(typed)
    except QueryError as error:
        print(f"newsbot: {_reason(error)}", file=sys.stderr)
        return 2
    async with open_database(settings) as engine, session_factory(engine)() as session:
        page = await search.search_stories(session, query, limit=limit, now=utcnow())
        views = await stories.views_by_ids(session, page.story_ids)
        missing = await search.unindexed(session, version=ANALYSIS_VERSION, limit=1)
    scores = dict(zip(page.story_ids, (h.score for h in page.hits), strict=True))
    if missing:
        # Said on stderr, so scripts reading stdout are not confused by it.
        print(
            "newsbot: some stories are not indexed yet (the ingest cycle adds them); "
            "`newsbot search --reindex` indexes every one now",
            file=sys.stderr,
        )
    if fmt == "json":
        print_json(
            {
                "query": dict(query.as_json()),
                "results": [{**v.as_json(), "score": scores[v.id]} for v in views],
                "has_more": page.has_more,
            }
        )
    elif fmt == "plain":
        print_plain(("score", *PLAIN_STORY_COLUMNS), ())
        for v in views:
            print_plain((), ((f"{scores[v.id]:.4f}", *story_row(v, settings)),))
    elif not await print_stanzas(_each(views), settings):
        Console().print(f"no stored story matches {typed!r}")
    return 0


async def _each(views: list[StoryView]) -> AsyncIterator[StoryView]:
    for view in views:
        yield view


def _reason(error: QueryError) -> str:
    """The readers' English message for a refused query, as plain text."""
    text = default_catalogue().text("en", error.key, max_chars=MAX_CHARS, max_terms=MAX_TERMS)
    return as_plain(text)
