"""Stories: one event across outlets, with an LSH band index for near-duplicate lookup."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    LargeBinary,
    and_,
    bindparam,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import dialect_name, insert_for
from storage.models import Article, Source, Story, StoryBand, StoryTopic, UTCDateTime


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """One outlet's article of a story, as listed to readers."""

    url: str
    source: str
    title: str
    section: str | None = None  # the outlet's own section ("Internasional", "jatim")


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story with every outlet's article, newest first lists are made of these."""

    id: int
    title: str
    summary: str
    topics: list[str]
    published_at: datetime
    image_url: str | None
    articles: list[ArticleRef]
    sections: list[str] = field(default_factory=list)  # each outlet's own section, once
    whats_new: str | None = None  # what the latest outlet to join added, in one line

    def as_json(self) -> dict[str, Any]:
        """The JSON shape printed by `newsbot latest --json`."""
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "topics": self.topics,
            "sections": self.sections,
            "published_at": self.published_at.isoformat(),
            "image_url": self.image_url,
            "articles": [
                {"url": a.url, "source": a.source, "title": a.title, "section": a.section}
                for a in self.articles
            ],
        }


async def create_story(
    session: AsyncSession,
    row: dict[str, Any],
    *,
    band_keys: Sequence[int] = (),
    topics: Sequence[str] = (),
) -> int:
    """Store a new story with its band keys and topics; return its id."""
    # The topics go into the row itself: set_topics would read the story back to merge them.
    row = {**row, "topics": sorted(set(row.get("topics") or ()) | set(topics))}
    story_id = int(
        (
            await session.execute(insert_for(session, Story).values(row).returning(Story.id))
        ).scalar_one()
    )
    if band_keys:
        bands = [{"band_key": k, "story_id": story_id} for k in dict.fromkeys(band_keys)]
        await session.execute(insert_for(session, StoryBand).on_conflict_do_nothing(), bands)
    if topics:
        await _add_memberships(session, story_id, topics, row["published_at"])
    return story_id


async def set_topics(
    session: AsyncSession, story_id: int, topics: Sequence[str], published_at: datetime
) -> None:
    """Add topics to a story (never removes one)."""
    await _add_memberships(session, story_id, topics, published_at)
    merged = sorted(set((await session.get_one(Story, story_id)).topics) | set(topics))
    await session.execute(update(Story).where(Story.id == story_id).values(topics=merged))


@dataclass(frozen=True, slots=True)
class Versions:
    """The bodies other outlets gave a story, oldest first, and which one its summary is from."""

    bodies: dict[int, str]  # article id → clean body
    summary_article_id: int | None


async def story_versions(
    session: AsyncSession, story_id: int, *, exclude: int, limit: int = 20
) -> Versions:
    """Read the bodies of a story's articles other than `exclude` (the newest `limit`)."""
    rows = (
        await session.execute(
            select(Article.id, Article.body)
            .where(Article.story_id == story_id, Article.id != exclude, Article.body.is_not(None))
            .order_by(Article.id.desc())
            .limit(limit)
        )
    ).all()
    chosen = await session.scalar(select(Story.summary_article_id).where(Story.id == story_id))
    return Versions({row.id: row.body for row in reversed(rows)}, chosen)


async def update_summary(
    session: AsyncSession,
    story_id: int,
    *,
    summary: tuple[str, int] | None = None,
    whats_new: str | None = None,
    now: datetime,
) -> None:
    """Take a (summary, article id) from a fuller version, and/or record what a later one added."""
    values: dict[str, Any] = {}
    if summary is not None:
        values.update(summary=summary[0], summary_article_id=summary[1])
    if whats_new is not None:
        values.update(whats_new=whats_new, whats_new_at=now, update_owed=True)
    if values:
        await session.execute(update(Story).where(Story.id == story_id).values(**values))


async def _add_memberships(
    session: AsyncSession, story_id: int, topics: Sequence[str], published_at: datetime
) -> None:
    rows = [
        {"story_id": story_id, "topic": t, "published_at": published_at}
        for t in dict.fromkeys(topics)
    ]
    await session.execute(insert_for(session, StoryTopic).on_conflict_do_nothing(), rows)


# One bound array instead of 64 expanded parameters: the statement text never changes, so both
# the SQLAlchemy and the database statement caches hit, and one round trip does the lookup.
# Band hits are counted on the covering (band_key, story_id) index first and only the best
# `limit` stories are joined to read their signatures: joining every hit row (about 300 at
# 100,000 stories) cost three times as much (measured by bench.dedup_store).
_MATCHING_KEYS = {
    "sqlite": "IN (SELECT value FROM json_each(:keys))",
    "postgresql": "= ANY(CAST(:keys AS BIGINT[]))",
}
_CANDIDATES_SQL = """
SELECT s.id AS id, s.signature AS signature
FROM (
    SELECT story_id, count(*) AS hits FROM story_bands
    WHERE band_key {keys}
    GROUP BY story_id ORDER BY hits DESC, story_id DESC LIMIT :limit
) AS h JOIN stories AS s ON s.id = h.story_id
WHERE s.first_seen_at >= :since AND s.signature IS NOT NULL
ORDER BY h.hits DESC, s.id DESC
"""


async def band_candidates(
    session: AsyncSession, band_keys: Sequence[int], *, since: datetime, limit: int = 50
) -> list[tuple[int, bytes]]:
    """Of the `limit` stories sharing the most band keys, those seen since `since`, best first."""
    if not band_keys:
        return []
    dialect = dialect_name(session)
    if dialect == "sqlite":
        return await _sqlite_band_candidates(session, band_keys, since=since, limit=limit)
    query = (
        text(_CANDIDATES_SQL.format(keys=_MATCHING_KEYS[dialect]))
        .bindparams(bindparam("since", type_=UTCDateTime()))
        .columns(id=BigInteger, signature=LargeBinary)
    )
    params = {"keys": list(band_keys), "since": since, "limit": limit}
    rows = await session.execute(query, params)
    return [(row.id, bytes(row.signature)) for row in rows]


async def _sqlite_band_candidates(
    session: AsyncSession, band_keys: Sequence[int], *, since: datetime, limit: int
) -> list[tuple[int, bytes]]:
    # Every article asks this once, so it goes to aiosqlite directly, on the session's own
    # connection and transaction: one hop to the database thread (execute_fetchall) instead of
    # the four the SQLAlchemy adapter makes (cursor, execute, fetchall, close), which took
    # twice as long as the query itself (bench.dedup_store).
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    sql = _CANDIDATES_SQL.format(keys=_MATCHING_KEYS["sqlite"])
    moment = UTCDateTime().process_bind_param(since, None)
    assert moment is not None
    params = {
        "keys": json.dumps(list(band_keys)),
        # As SQLAlchemy's SQLite DateTime stores it: the comparison is between strings.
        "since": moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds"),
        "limit": limit,
    }
    rows = await driver.execute_fetchall(sql, params)
    return [(int(row[0]), bytes(row[1])) for row in rows]


async def story_with_fingerprint(
    session: AsyncSession, fingerprint: str, *, since: datetime
) -> int | None:
    """A recent story whose text is exactly the same once normalised."""
    query = select(Story.id).where(Story.fingerprint == fingerprint, Story.first_seen_at >= since)
    return (await session.scalars(query.limit(1))).first()


async def attach_article(
    session: AsyncSession,
    story_id: int,
    article_id: int,
    now: datetime,
    *,
    recount: bool = True,
    values: Mapping[str, Any] | None = None,
) -> None:
    """Make an article part of a story (writing `values` too) and recount the story's outlets.

    A story just created with this article as its only one needs no recount (`recount=False`).
    """
    await session.execute(
        update(Article).where(Article.id == article_id).values(story_id=story_id, **(values or {}))
    )
    if not recount:
        return
    outlets = (
        select(func.count(func.distinct(Article.source_id)))
        .where(Article.story_id == story_id)
        .scalar_subquery()
    )
    await session.execute(
        update(Story).where(Story.id == story_id).values(outlet_count=outlets, updated_at=now)
    )


async def latest_stories(
    session: AsyncSession,
    *,
    limit: int = 10,
    topic: str | None = None,
    before: datetime | None = None,
    offset: int = 0,
    since: datetime | None = None,
    after: tuple[datetime, int] | None = None,
) -> list[StoryView]:
    """The newest stories (optionally of one topic), each with every outlet's article.

    Published in [since, before); `after` is the (published_at, id) of the last story of the
    previous page: the next page starts right below it (keyset paging, no offset to skip).
    """
    query = select(Story)
    if topic is not None:
        query = query.join(StoryTopic, StoryTopic.story_id == Story.id).where(
            StoryTopic.topic == topic
        )
    if before is not None:
        query = query.where(Story.published_at < before)
    if since is not None:
        query = query.where(Story.published_at >= since)
    if after is not None:
        published, story_id = after
        query = query.where(
            or_(
                Story.published_at < published,
                and_(Story.published_at == published, Story.id < story_id),
            )
        )
    query = query.order_by(Story.published_at.desc(), Story.id.desc()).offset(offset).limit(limit)
    stories = list((await session.scalars(query)).all())
    return await views_of(session, stories)


async def views_of(session: AsyncSession, stories: Sequence[Story]) -> list[StoryView]:
    """Attach every outlet's article to each story, in the stories' order."""
    ids = [s.id for s in stories]
    refs: dict[int, list[ArticleRef]] = {i: [] for i in ids}
    if ids:
        query = (
            select(Article.story_id, Article.link, Article.title, Article.section, Source.name)
            .join(Source, Source.id == Article.source_id)
            .where(Article.story_id.in_(ids))
            .order_by(Article.published_at, Article.id)
        )
        for row in await session.execute(query):
            refs[row.story_id].append(
                ArticleRef(url=row.link, source=row.name, title=row.title, section=row.section)
            )
    return [
        StoryView(
            id=s.id,
            title=s.title,
            summary=s.summary,
            topics=list(s.topics),
            published_at=s.published_at,
            image_url=s.image_url,
            articles=refs[s.id],
            sections=list(dict.fromkeys(a.section for a in refs[s.id] if a.section)),
            whats_new=s.whats_new,
        )
        for s in stories
    ]


async def count_stories(session: AsyncSession) -> int:
    """How many stories are stored."""
    return int((await session.execute(select(func.count(Story.id)))).scalar_one())


async def views_by_ids(session: AsyncSession, story_ids: Sequence[int]) -> list[StoryView]:
    """The stories with these ids, in the order given (ids of deleted stories are skipped)."""
    if not story_ids:
        return []
    found = {
        s.id: s for s in (await session.scalars(select(Story).where(Story.id.in_(story_ids))))
    }
    return await views_of(session, [found[i] for i in story_ids if i in found])
