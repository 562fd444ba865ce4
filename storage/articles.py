"""Articles: insert-if-absent in bulk, and the enrichment written after the page is read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import claimable, insert_for
from storage.models import Article, Source


async def insert_new_articles(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> list[tuple[int, str]]:
    """Insert the rows whose URL (and source guid) are not stored yet; return (id, url) of those.

    One INSERT … ON CONFLICT DO NOTHING … RETURNING, executed with the list of rows: SQLAlchemy
    sends it as multi-row VALUES batches compiled once ("insertmanyvalues"), where building a
    500-row statement per call cost ten times as much (bench.store). A second writer racing us
    can never make an article appear twice, and nothing is read before writing.
    """
    if not rows:
        return []
    stmt = insert_for(session, Article).on_conflict_do_nothing().returning(Article.id, Article.url)
    result = await session.execute(stmt, list(rows))
    return [(row.id, row.url) for row in result]


async def known_urls(session: AsyncSession, urls: Sequence[str]) -> set[str]:
    """Which of these canonical URLs are already stored (to skip fetching their pages)."""
    found: set[str] = set()
    for i in range(0, len(urls), 500):
        query = select(Article.url).where(Article.url.in_(urls[i : i + 500]))
        found.update((await session.scalars(query)).all())
    return found


async def update_article(session: AsyncSession, article_id: int, **values: Any) -> None:
    """Write what was learned from the article's page."""
    await session.execute(update(Article).where(Article.id == article_id).values(**values))


async def article_by_url(session: AsyncSession, url: str) -> Article | None:
    """The article stored under this canonical URL."""
    return (await session.scalars(select(Article).where(Article.url == url))).first()


async def article_with_hash(
    session: AsyncSession, content_hash: str, *, exclude_id: int
) -> Article | None:
    """Another article with exactly the same normalised text."""
    query = select(Article).where(Article.content_hash == content_hash, Article.id != exclude_id)
    return (await session.scalars(query.limit(1))).first()


async def delete_article(session: AsyncSession, article_id: int) -> None:
    """Drop an article found to duplicate one already stored."""
    await session.execute(delete(Article).where(Article.id == article_id))


async def count_articles(session: AsyncSession) -> int:
    """How many articles are stored."""
    return int((await session.execute(select(func.count(Article.id)))).scalar_one())


async def claim_pending(
    session: AsyncSession, now: datetime, *, lease: timedelta, limit: int
) -> list[tuple[Article, str | None, str]]:
    """Take up to `limit` pending articles (no story yet, not taken by another worker).

    Returns each with its source's topic and origin. The claim lasts `lease`: an article whose
    worker died is taken again after it, and one that failed is retried then.
    """
    free = or_(Article.enrich_claimed_until.is_(None), Article.enrich_claimed_until <= now)
    pending = (
        select(Article.id)
        .where(Article.story_id.is_(None), free)
        .order_by(Article.id)
        .limit(limit)
    )
    picked = claimable(session, pending)
    claimed = (
        await session.scalars(
            update(Article)
            .where(Article.id == picked.c.id, Article.story_id.is_(None), free)
            .values(enrich_claimed_until=now + lease)
            .returning(Article.id)
            .execution_options(synchronize_session=False)
        )
    ).all()
    if not claimed:
        return []
    rows = await session.execute(
        select(Article, Source.topic, Source.origin)
        .join(Source, Source.id == Article.source_id)
        .where(Article.id.in_(claimed))
        .order_by(Article.id)
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def release_claims(session: AsyncSession, ids: Sequence[int]) -> None:
    """Hand claimed pending articles back at once, for the next worker or cycle."""
    await session.execute(
        update(Article).where(Article.id.in_(list(ids))).values(enrich_claimed_until=None)
    )
