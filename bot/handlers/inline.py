"""Inline mode: `@bot kata` in any chat finds stories to share; an empty query, Berita Pilihan.

The words are searched as `/cari` searches them (bot.news.search, storage.search): stemmed
Indonesian, "phrases", -exclusions, newest relevant first.

Answers are the same for every reader: Telegram caches one per query text and page for
CACHE_TIME and hands it to the next reader who types the same (`is_personal` off). So they are
written in the bot's default language and TIMEZONE, never a reader's. Answering draws on the
bot's one sending budget like every other call (bot.telegram.rate_limiter: an overall slot).

A reader choosing a result arrives as `chosen_inline_result` (when inline feedback is on in
@BotFather): it counts one share for today, and nothing about who shared or what.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineQueryResultsButton, Update

from bot.delivery import personal
from bot.delivery.pilihan import local_day, pilihan_on_demand
from bot.i18n import DEFAULT_LANGUAGE
from bot.news.affinity import Signal
from bot.news.search.query import MAX_TERMS, QueryError, parse_query
from bot.telegram.deep_links import PILIHAN_PAYLOAD
from bot.telegram.inline_results import story_of_result, story_results
from bot.telegram.typed_context import BotContext
from storage import stats
from storage.search import search_stories
from storage.stories import StoryView, views_by_ids

PAGE = 20  # results per answer (Telegram takes at most 50)
MAX_SHOWN = 100  # results a reader can scroll through, five pages
CACHE_TIME = 300  # seconds Telegram may hand an answer to everyone who types the same
QUERY_MAX = 256  # Telegram's own bound on an inline query; anything longer is cut here


def page_offset(offset: str) -> int | None:
    """Where a page starts: "" is the first; our own `next_offset`s; None for anything else."""
    if not offset:
        return 0
    if not offset.isascii() or not offset.isdigit() or len(offset) > 4:
        return None
    start = int(offset)
    return start if start < MAX_SHOWN and start % PAGE == 0 else None


def query_words(text: str) -> str:
    """The query as the reader meant it: whitespace collapsed, at most QUERY_MAX characters.

    Control and format characters (NUL, bidi overrides, BOM) go: they mean nothing in a
    search, and PostgreSQL refuses a NUL in any text parameter.
    """
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)
    return " ".join(kept[: QUERY_MAX * 4].split())[:QUERY_MAX].strip()


async def answer_inline(update: Update, ctx: BotContext) -> None:
    """Up to PAGE stories for the query (today's Berita Pilihan when it is empty), paged."""
    query = update.inline_query
    if query is None:
        return
    lang = DEFAULT_LANGUAGE
    button = InlineQueryResultsButton(
        text=ctx.text(lang, "inline.open_bot"), start_parameter=PILIHAN_PAYLOAD
    )
    start = page_offset(query.offset)
    if start is None:  # not an offset we gave: nothing further to show
        await query.answer([], cache_time=CACHE_TIME, is_personal=False, next_offset="")
        return
    words = query_words(query.query)
    async with ctx.sessions() as session:
        if words:
            views, more = await find_stories(session, words, limit=PAGE, offset=start)
        else:
            picked = await pilihan_on_demand(
                session, now=ctx.now(), tz=ctx.settings.tz, size=PAGE, offset=start
            )
            views, more = picked.views, picked.more
    results = story_results(
        views,
        lang=lang,
        tz=ctx.settings.tz,
        bot_username=ctx.bot.username,
        catalogue=ctx.state.catalogue,
    )
    if not results and start == 0:
        button = InlineQueryResultsButton(
            text=ctx.text(lang, "inline.no_results"), start_parameter=PILIHAN_PAYLOAD
        )
    after = start + PAGE
    await query.answer(
        results,
        cache_time=CACHE_TIME,
        is_personal=False,
        next_offset=str(after) if more and after < MAX_SHOWN else "",
        button=button,
    )


async def find_stories(
    session: AsyncSession, words: str, *, limit: int, offset: int
) -> tuple[list[StoryView], bool]:
    """The stories matching `words`, best first (the search /cari runs): a page, and whether
    more follow. A query that can match nothing (only common words, only exclusions) finds
    nothing: an inline answer has no room to say why.
    """
    try:
        query = parse_query(words)
    except QueryError as exc:
        if exc.key != "search.too_many":
            return [], False
        # Typed on, past what one search takes: search its first words rather than nothing.
        try:
            query = parse_query(" ".join(words.split()[:MAX_TERMS]))
        except QueryError:
            return [], False
    page = await search_stories(session, query, limit=limit, offset=offset)
    return await views_by_ids(session, page.story_ids), page.has_more


async def count_share(update: Update, ctx: BotContext) -> None:
    """A reader sent one of the results into a chat: one more share today (a count), and a
    signal for the reader's own Berita Pilihan (bot.delivery.personal)."""
    chosen = update.chosen_inline_result
    if chosen is None:
        return
    now = ctx.now()
    async with ctx.sessions.begin() as session:
        await stats.count_share(session, local_day(now, ctx.settings.tz))
        story_id = story_of_result(chosen.result_id)
        if story_id is not None:
            await personal.learn_from_reader(
                session, chosen.from_user.id, story_id, Signal.SHARE, now
            )
