"""A whole poll cycle against a real HTTP server on 127.0.0.1, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ingest.cycle import Ingestor, utcnow
from bot.ingest.enrichment import Enricher, EnrichPolicy
from bot.ingest.polling import PollPolicy
from bot.news.fetch.cadence import Bounds
from bot.news.fetch.client import Fetcher, FetchPolicy
from bot.news.search.query import parse_query
from storage import search, sources, stories
from storage.db import session_factory
from storage.models import Article, Story
from tests.ingest.site import NewsSite

GOOD = {"Tribun": "/a.xml", "Kompas": "/b.xml"}
BAD = {
    "Broken": "/broken.xml",
    "Garbage": "/garbage.xml",
    "HtmlPage": "/page.xml",
    "Empty": "/empty.xml",
    "Gone": "/gone.xml",
    "Error": "/error.xml",
    "Bomb": "/bomb.xml",
    "Loop": "/loop.xml",
    "Slow": "/slow.xml",
    "Refused": "http://127.0.0.1:9/feed.xml",
}


@dataclass
class Rig:
    site: NewsSite
    ingestor: Ingestor
    sessions: object


@pytest.fixture
async def rig(engine: AsyncEngine) -> AsyncIterator[Rig]:
    site = NewsSite()
    server = TestServer(site.app(), host="127.0.0.1")
    await server.start_server()
    site.base = str(server.make_url("")).rstrip("/")
    sessions = session_factory(engine)
    policy = FetchPolicy(total_timeout=1.5, max_bytes=1_000_000, retries=1, backoff_base=0.05)
    async with Fetcher(policy) as fetcher:
        enricher = Enricher(sessions, fetcher, EnrichPolicy(), utcnow)
        ingestor = Ingestor(
            sessions, fetcher, PollPolicy(Bounds(120, 3600), pause_after=3), enricher
        )
        specs = [
            {"name": n, "url": p if p.startswith("http") else site.base + p}
            for n, p in (GOOD | BAD).items()
        ]
        await ingestor.sync_sources(specs)
        yield Rig(site, ingestor, sessions)
    await server.close()


async def test_cycle_stores_stories_and_records_every_bad_source(rig: Rig) -> None:
    report = await rig.ingestor.run_once(every_source=True)

    by_name = {s.name: s for s in report.sources}
    assert {n for n, s in by_name.items() if s.status == "ok"} == set(GOOD)
    assert {n for n, s in by_name.items() if s.status == "failed"} == set(BAD)
    assert sorted(a.title for a in report.articles) == [
        "Diplomat Top China ke Moskow",
        "Retno Bertemu Delegasi Jepang",
        "Wang Yi Bakal Kunjungi Rusia",
    ]

    async with rig.sessions() as session:  # type: ignore[attr-defined]
        views = await stories.latest_stories(session, limit=10)
        health = {s.name: s for s in await sources.all_sources(session)}
    # The syndicated copy joined the first outlet's story; the other event stayed apart.
    assert len(views) == 2
    wang = next(v for v in views if len(v.articles) == 2)
    assert {a.source for a in wang.articles} == {"Tribun", "Kompas"}
    assert "Baca juga" not in wang.summary and "WhatsApp" not in wang.summary
    assert not wang.summary.startswith("TRIBUNNEWS")
    assert "Wang Yi" in wang.summary

    # Tracking parameters are not part of an article's identity.
    async with rig.sessions() as session:  # type: ignore[attr-defined]
        keys = (await session.scalars(select(Article.url))).all()
    assert len(keys) == 3 and all("utm_" not in k for k in keys)

    errors = {n: health[n].last_error or "" for n in BAD}
    assert "HTML page" in errors["HtmlPage"]
    assert "410" in errors["Gone"]
    assert "500" in errors["Error"]
    assert "MB" in errors["Bomb"]
    assert "redirect" in errors["Loop"]
    assert "timed out" in errors["Slow"]
    assert "connect" in errors["Refused"]
    assert errors["Empty"] == "the source answered with an empty body"
    # lxml "recovers" a truncated document into an empty one: that is an error, not 0 items.
    assert errors["Broken"].startswith("the feed is not well-formed XML and no item could be read")
    assert errors["Garbage"].startswith("the feed is not well-formed XML")
    assert all(health[n].consecutive_failures == 1 for n in BAD)
    assert all(health[n].last_success_at is None for n in BAD)
    assert all(health[n].last_success_at is not None for n in GOOD)
    # Every source has its next poll scheduled ahead, failing ones backed off.
    now = utcnow()
    assert all(health[n].next_due_at > now for n in GOOD | BAD)


async def test_second_cycle_is_answered_by_304_and_stores_nothing_twice(rig: Rig) -> None:
    await rig.ingestor.run_once(every_source=True)
    article_hits = sum(v for k, v in rig.site.hits.items() if k.startswith("/berita/"))
    report = await rig.ingestor.run_once(every_source=True)
    assert {s.name: s.status for s in report.sources}["Tribun"] == "not_modified"
    assert rig.site.conditional_hits == 1
    assert report.articles == [] and report.new_story_ids == []
    # Known articles are not fetched again.
    assert sum(v for k, v in rig.site.hits.items() if k.startswith("/berita/")) == article_hits
    async with rig.sessions() as session:  # type: ignore[attr-defined]
        tribun = await sources.source_by_name(session, "Tribun")
    assert tribun is not None and tribun.conditional is True


async def test_failing_source_is_paused_after_the_configured_failures(rig: Rig) -> None:
    for _ in range(3):
        await rig.ingestor.run_once(every_source=True)
    async with rig.sessions() as session:  # type: ignore[attr-defined]
        gone = await sources.source_by_name(session, "Gone")
        due = {s.name for s in await sources.enabled_sources(session)}
    assert gone is not None and not gone.enabled
    assert gone.paused_reason is not None and "3 failures" in gone.paused_reason
    assert "Gone" not in due and "Tribun" in due


async def test_stories_are_searchable_once_stored(rig: Rig) -> None:
    report = await rig.ingestor.run_once(every_source=True)
    assert report.indexed == 0  # indexed as they were stored, nothing left to catch up on
    async with rig.sessions() as session:  # type: ignore[attr-defined]
        total = await stories.count_stories(session)
        assert await search.indexed_count(session) == total
        page = await search.search_stories(session, parse_query('"wang yi" rusia'), limit=5)
        views = await stories.views_of(
            session, [await session.get_one(Story, i) for i in page.story_ids]
        )
    assert [v.title for v in views] == ["Wang Yi Bakal Kunjungi Rusia"]
