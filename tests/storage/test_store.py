"""Sources, articles and stories on SQLite and PostgreSQL through the real migrations."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import articles, sources, stories
from storage.models import Source

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def article_row(source_id: int, n: int, **extra: Any) -> dict[str, Any]:
    return {
        "url": f"https://example.test/berita/{n}",
        "link": f"https://example.test/berita/{n}?utm_source=rss",
        "source_id": source_id,
        "guid": f"g{n}",
        "title": f"Judul {n}",
        "feed_summary": "",
        "categories": ["Nasional"],
        "published_at": NOW - timedelta(minutes=n),
        "first_seen_at": NOW,
        **extra,
    }


async def make_source(session: AsyncSession, name: str = "Kompas") -> Source:
    await sources.sync_sources(session, [{"name": name, "url": f"https://{name}.test/rss"}], NOW)
    found = await sources.source_by_name(session, name)
    assert found is not None
    return found


async def test_sync_sources_inserts_then_updates_config_keeping_state(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        added = await sources.sync_sources(
            s, [{"name": "Antara", "url": "https://a.test/rss", "topic": "nasional"}], NOW
        )
        assert added == ["Antara"]
        src = await sources.source_by_name(s, "Antara")
        assert src is not None
        await sources.update_source(s, src.id, etag='"abc"', consecutive_failures=2)
    async with sessions.begin() as s:
        added = await sources.sync_sources(
            s, [{"name": "Antara", "url": "https://a.test/rss2", "interval": 600}], NOW
        )
        assert added == []
        src = await sources.source_by_name(s, "Antara")
        assert src is not None
        assert (src.url, src.interval, src.topic) == ("https://a.test/rss2", 600, None)
        assert (src.etag, src.consecutive_failures) == ('"abc"', 2)


async def test_insert_new_articles_returns_only_new_rows(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        src = await make_source(s)
        first = await articles.insert_new_articles(s, [article_row(src.id, n) for n in range(3)])
        assert [url for _, url in first] == [f"https://example.test/berita/{n}" for n in range(3)]
    async with sessions.begin() as s:
        again = [article_row(src.id, n) for n in range(2, 5)]
        # Same guid under another URL is the same item too.
        again.append(article_row(src.id, 9, guid="g0"))
        second = await articles.insert_new_articles(s, again)
        assert sorted(url for _, url in second) == [
            "https://example.test/berita/3",
            "https://example.test/berita/4",
        ]
        assert await articles.count_articles(s) == 5


async def test_bulk_insert_of_more_rows_than_one_statement_holds(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        src = await make_source(s)
        new = await articles.insert_new_articles(s, [article_row(src.id, n) for n in range(1234)])
        assert len(new) == 1234
        assert len({i for i, _ in new}) == 1234


async def test_concurrent_writers_never_store_an_article_twice(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        src = await make_source(s)

    async def writer() -> int:
        async with sessions.begin() as s:
            rows = [article_row(src.id, n) for n in range(50)]
            return len(await articles.insert_new_articles(s, rows))

    counts = await asyncio.gather(writer(), writer(), writer())
    assert sum(counts) == 50
    async with sessions() as s:
        assert await articles.count_articles(s) == 50


async def test_due_sources_order_and_paused_sources_skipped(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        specs = [{"name": n, "url": f"https://{n}.test/"} for n in ("a", "b", "c")]
        await sources.sync_sources(s, specs, NOW)
        by_name = {x.name: x for x in await sources.all_sources(s)}
        await sources.update_source(s, by_name["a"].id, next_due_at=NOW + timedelta(hours=1))
        await sources.update_source(s, by_name["b"].id, next_due_at=NOW - timedelta(hours=1))
        await sources.update_source(s, by_name["c"].id, enabled=False, paused_reason="gone")
    async with sessions() as s:
        due = await sources.due_sources(s, NOW)
        assert [x.name for x in due] == ["b"]
        assert await sources.next_due(s) == NOW - timedelta(hours=1)


async def test_stories_group_articles_and_list_newest_first(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        kompas = await make_source(s, "Kompas")
        detik = await make_source(s, "Detik")
        new = await articles.insert_new_articles(
            s,
            [
                article_row(kompas.id, 1, section="Internasional"),
                article_row(detik.id, 2, section="internasional"),
                article_row(kompas.id, 3, title="Lain", section=None),
            ],
        )
        ids = [i for i, _ in new]
        row = {
            "title": "Wang Yi ke Rusia",
            "summary": "Ringkas.",
            "topics": [],
            "published_at": NOW,
            "first_seen_at": NOW,
            "updated_at": NOW,
            "signature": b"\x01\x02",
        }
        one = await stories.create_story(s, row, band_keys=[5, -7, 5], topics=["internasional"])
        other = await stories.create_story(
            s, row | {"title": "Lain", "published_at": NOW - timedelta(hours=1)}, topics=["bisnis"]
        )
        await stories.attach_article(s, one, ids[0], NOW)
        await stories.attach_article(s, one, ids[1], NOW)
        await stories.attach_article(s, other, ids[2], NOW)
    async with sessions() as s:
        latest = await stories.latest_stories(s, limit=5)
        assert [v.id for v in latest] == [one, other]
        assert {a.source for a in latest[0].articles} == {"Kompas", "Detik"}
        assert latest[0].topics == ["internasional"]
        # Each outlet's own section, in the articles' order (Detik's is the older article).
        assert latest[0].sections == ["internasional", "Internasional"]
        assert latest[0].as_json()["sections"] == ["internasional", "Internasional"]
        assert latest[1].sections == []
        by_topic = await stories.latest_stories(s, topic="bisnis")
        assert [v.id for v in by_topic] == [other]
        found = await stories.band_candidates(s, [-7, 99], since=NOW - timedelta(days=1))
        assert found == [(one, b"\x01\x02")]
        assert await stories.band_candidates(s, [-7], since=NOW + timedelta(days=1)) == []
        # The bound is inclusive to the microsecond, as stored (SQLite compares text).
        assert await stories.band_candidates(s, [-7], since=NOW) == [(one, b"\x01\x02")]
        later = NOW + timedelta(microseconds=1)
        assert await stories.band_candidates(s, [-7], since=later) == []
        story = await s.get_one(stories.Story, one)
        assert story.outlet_count == 2
        assert story.published_at == NOW and story.published_at.tzinfo is not None
