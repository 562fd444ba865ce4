"""Stories for search tests, stored the way the pipeline stores them (articles with bodies)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage import articles, sources, stories

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


async def source_id(session: AsyncSession, name: str = "Kompas") -> int:
    """The id of an outlet, created on first use."""
    found = await sources.source_by_name(session, name)
    if found is None:
        spec = {"name": name, "url": f"https://{name.lower()}.test/rss"}
        await sources.sync_sources(session, [spec], NOW)
        found = await sources.source_by_name(session, name)
    assert found is not None
    return found.id


async def add_story(
    session: AsyncSession,
    title: str,
    summary: str = "",
    body: str = "",
    *,
    age: timedelta = timedelta(hours=1),
    outlets: tuple[str, ...] = ("Kompas",),
    headlines: tuple[str, ...] = (),
) -> int:
    """A story carried by `outlets` (each one article, with `headlines` as their titles)."""
    published = NOW - age
    story_id = await stories.create_story(
        session,
        {
            "title": title,
            "summary": summary,
            "topics": [],
            "published_at": published,
            "first_seen_at": published,
            "updated_at": published,
        },
    )
    for n, outlet in enumerate(outlets):
        url = f"https://{outlet.lower()}.test/{story_id}/{n}"
        row = {
            "url": url,
            "link": url,
            "source_id": await source_id(session, outlet),
            "title": headlines[n] if n < len(headlines) else title,
            "published_at": published,
            "first_seen_at": published,
        }
        [(article_id, _)] = await articles.insert_new_articles(session, [row])
        await stories.attach_article(
            session, story_id, article_id, published, recount=n > 0, values={"body": body}
        )
    return story_id
