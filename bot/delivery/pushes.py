"""Instant pushes: one per new story per chat that follows its topic or a keyword in it.

A keyword is a search query (bot.news.search): it matches the stories `/cari` would find for
it — the same stemming, phrases and `-exclusions`, over the same headlines, summary and body
the index holds — so following "banjir -jakarta" pushes what searching it shows.

A story is created with `pushes_owed` set, in the same transaction; `enqueue_owed_pushes`
owes its pushes and clears the mark in one transaction, so a crash in between loses nothing and
running it twice owes nothing twice (the ledger's unique chat+story key).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.outbox import DEFAULT_TZ, PAGE
from bot.delivery.quiet import chat_zone, in_quiet_hours, quiet_ends_at
from bot.news.search.document import story_document
from bot.news.search.query import Query, QueryError, parse_query
from storage import ledger, search
from storage.dialect import dialect_name
from storage.models import Chat, Story, StoryTopic, Subscription

log = logging.getLogger(__name__)
OWED_BATCH = 50


def keyword_queries(keywords: Sequence[str]) -> dict[str, Query]:
    """Each followed keyword as a query; one that can no longer be parsed matches nothing."""
    queries: dict[str, Query] = {}
    for keyword in keywords:
        try:
            queries[keyword] = parse_query(keyword)
        except QueryError as error:
            # Followed before keywords were queries (e.g. only common words): logged, skipped.
            log.warning("keyword %r matches nothing: %s", keyword, error.key)
    return queries


def matching_keywords(queries: Mapping[str, Query], text: search.StoryText) -> list[str]:
    """The keywords whose query matches a story's text."""
    fields = story_document(text.titles, text.summary, text.body).fields
    return [keyword for keyword, query in queries.items() if query.matches(fields)]


async def enqueue_owed_pushes(
    session: AsyncSession, now: datetime, *, max_age: timedelta, tz: tzinfo = DEFAULT_TZ
) -> tuple[int, int]:
    """Owe the pushes of a batch of stories marked owed; (stories handled, rows added).

    A story published longer than `max_age` ago is not news any more (a new source's backlog):
    its mark is cleared without a push. Call again until it handles no story.
    """
    query = (
        select(Story.id, Story.published_at)
        .where(Story.pushes_owed.is_(True))
        .order_by(Story.id)
        .limit(OWED_BATCH)
    )
    if dialect_name(session) == "postgresql":
        query = query.with_for_update(skip_locked=True)  # several workers share the work
    owed = (await session.execute(query)).all()
    if not owed:
        return 0, 0
    fresh = [row.id for row in owed if row.published_at >= now - max_age]
    added = await enqueue_pushes(session, fresh, now, tz=tz)
    await session.execute(
        update(Story).where(Story.id.in_([row.id for row in owed])).values(pushes_owed=False)
    )
    return len(owed), added


async def enqueue_pushes(
    session: AsyncSession,
    story_ids: Sequence[int],
    now: datetime,
    *,
    tz: tzinfo = DEFAULT_TZ,
) -> int:
    """Owe each matching active chat one push per story; return the rows added (held too)."""
    if not story_ids:
        return 0
    keywords = keyword_queries(
        (
            await session.scalars(
                select(Subscription.value).where(Subscription.kind == "keyword").distinct()
            )
        ).all()
    )
    texts = (
        {t.story_id: t for t in await search.story_texts(session, story_ids)} if keywords else {}
    )
    memberships: dict[int, set[str]] = {}
    query = select(StoryTopic.story_id, StoryTopic.topic).where(StoryTopic.story_id.in_(story_ids))
    for story_id, topic in await session.execute(query):
        memberships.setdefault(story_id, set()).add(topic)
    added = 0
    for story in (await session.scalars(select(Story).where(Story.id.in_(story_ids)))).all():
        topics = sorted(memberships.get(story.id, set()) | set(story.topics))
        text = texts.get(story.id)
        matched = matching_keywords(keywords, text) if text is not None else []
        added += await _enqueue_story(session, story.id, topics, matched, now, tz)
    return added


async def _enqueue_story(
    session: AsyncSession,
    story_id: int,
    topics: list[str],
    keywords: list[str],
    now: datetime,
    tz: tzinfo,
) -> int:
    wants: list[ColumnElement[bool]] = []
    if topics:
        wants.append(and_(Subscription.kind == "topic", Subscription.value.in_(topics)))
    if keywords:
        wants.append(and_(Subscription.kind == "keyword", Subscription.value.in_(keywords)))
    if not wants:
        return 0
    follows = exists().where(Subscription.chat_pk == Chat.id, or_(*wants))
    added, after = 0, 0
    while True:
        # Chats come in pages by primary key: memory stays flat however many follow a topic.
        page = (
            await session.execute(
                select(Chat.id, Chat.timezone, Chat.quiet_start, Chat.quiet_end)
                .where(
                    Chat.id > after, Chat.active.is_(True), Chat.push_enabled.is_(True), follows
                )
                .order_by(Chat.id)
                .limit(PAGE)
            )
        ).all()
        if not page:
            return added
        after = page[-1].id
        rows = []
        for c in page:
            zone = chat_zone(c.timezone, tz)
            if c.quiet_end is not None and in_quiet_hours(now, c.quiet_start, c.quiet_end, zone):
                # Held until quiet hours end, then rolled into one message (bot.delivery.quiet).
                held_until = quiet_ends_at(now, c.quiet_end, zone)
                rows.append(
                    ledger.owed_row(c.id, "push", now, story_id=story_id, held_until=held_until)
                )
            else:
                rows.append(ledger.owed_row(c.id, "push", now, story_id=story_id))
        added += await ledger.enqueue(session, rows)
