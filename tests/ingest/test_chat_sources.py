"""Sources added from chat are fetched through the address guard; the sources file's are not.

All servers are on 127.0.0.1. A 'public' site stands in for an outlet on the internet: the
fetcher's guard is given a rule that lets exactly its port through, so the refusals seen here
are the guard's real behaviour for every other loopback port.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import load_settings
from bot.ingest.cycle import Ingestor, utcnow
from bot.ingest.enrichment import Enricher, EnrichPolicy
from bot.ingest.polling import PollPolicy
from bot.news.fetch.address_guard import IPAddress
from bot.news.fetch.cadence import Bounds
from bot.news.fetch.client import Fetcher, FetchPolicy
from bot.runtime import fetch_policy
from storage import sources
from storage.db import session_factory
from storage.models import CHAT, CONFIG, Article, Source
from tests.ingest.site import page, rss

SECRET_PAGE = ["Isi halaman jaringan internal yang tidak boleh dibaca dari luar sama sekali."]


@dataclass
class Sites:
    public: TestServer
    private: TestServer
    private_hits: list[str] = field(default_factory=list)

    def url(self, server: TestServer, path: str) -> str:
        return str(server.make_url(path))

    def public_only(self, address: IPAddress, port: int) -> bool:
        return port == self.public.port


@pytest.fixture
async def sites() -> AsyncIterator[Sites]:
    hits: list[str] = []
    private_app = web.Application()
    private = TestServer(private_app, host="127.0.0.1")

    async def internal(request: web.Request) -> web.Response:
        hits.append(request.path)
        if request.path.endswith(".xml"):
            base = str(private.make_url("")).rstrip("/")
            items = [("Rahasia Internal", "/rahasia", utcnow())]
            return web.Response(body=rss(base, items), content_type="application/rss+xml")
        html = page("Rahasia Internal", "JAKARTA", SECRET_PAGE, utcnow())
        return web.Response(text=html, content_type="text/html")

    private_app.router.add_get("/{tail:.*}", internal)
    await private.start_server()

    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPFound(str(private.make_url("/internal/feed.xml")))

    async def feed_linking_inside(request: web.Request) -> web.Response:
        # A public feed whose item links into the private network.
        private_base = str(private.make_url("")).rstrip("/")
        return web.Response(
            body=rss(private_base, [("Berita Biasa", "/berita/biasa", utcnow())]),
            content_type="application/rss+xml",
        )

    public_app = web.Application()
    public_app.router.add_get("/moved.xml", moved)
    public_app.router.add_get("/links-inside.xml", feed_linking_inside)
    public = TestServer(public_app, host="127.0.0.1")
    await public.start_server()
    yield Sites(public, private, hits)
    await public.close()
    await private.close()


@dataclass
class Pipeline:
    sessions: async_sessionmaker[AsyncSession]
    ingestor: Ingestor


@asynccontextmanager
async def pipeline(
    engine: AsyncEngine, sites: Sites, *, allow_private: bool, fetch_pages: bool = False
) -> AsyncIterator[Pipeline]:
    sessions = session_factory(engine)
    policy = FetchPolicy(
        total_timeout=5.0, retries=0, allow_private=allow_private, address_rule=sites.public_only
    )
    async with Fetcher(policy) as fetcher:
        enricher = Enricher(sessions, fetcher, EnrichPolicy(fetch_pages=fetch_pages), utcnow)
        ingestor = Ingestor(sessions, fetcher, PollPolicy(Bounds(120, 3600), 5), enricher)
        yield Pipeline(sessions, ingestor)


async def add_from_chat(p: Pipeline, name: str, url: str) -> None:
    async with p.sessions.begin() as session:
        added = await sources.add_source(session, {"name": name, "url": url}, utcnow())
    assert added is not None and added.origin == CHAT


async def source(p: Pipeline, name: str) -> Source:
    async with p.sessions() as session:
        found = await sources.source_by_name(session, name)
    assert found is not None
    return found


async def test_chat_source_redirecting_to_loopback_is_refused_and_recorded(
    engine: AsyncEngine, sites: Sites
) -> None:
    async with pipeline(engine, sites, allow_private=False) as p:
        await add_from_chat(p, "kabar.example", sites.url(sites.public, "/moved.xml"))
        # The operator's own file may point at the private server: it is trusted.
        await p.ingestor.sync_sources(
            [{"name": "Lokal", "url": sites.url(sites.private, "/lokal/feed.xml")}]
        )
        report = await p.ingestor.run_once(every_source=True)
        chat, local = await source(p, "kabar.example"), await source(p, "Lokal")
    by_name = {s.name: s for s in report.sources}
    assert by_name["kabar.example"].status == "failed"
    assert chat.last_error is not None
    assert chat.last_error.startswith(
        "refused to connect to 127.0.0.1: the address is private, loopback, link-local or reserved"
    )
    assert chat.consecutive_failures == 1
    assert by_name["Lokal"].status == "ok" and local.origin == CONFIG
    assert sites.private_hits == ["/lokal/feed.xml"]  # the redirect never reached it


async def test_chat_source_redirecting_to_loopback_is_read_when_private_is_allowed(
    engine: AsyncEngine, sites: Sites
) -> None:
    async with pipeline(engine, sites, allow_private=True) as p:
        await add_from_chat(p, "kabar.example", sites.url(sites.public, "/moved.xml"))
        report = await p.ingestor.run_once(every_source=True)
        chat = await source(p, "kabar.example")
    assert [s.status for s in report.sources] == ["ok"]
    assert chat.last_error is None and chat.last_success_at is not None
    assert [a.title for a in report.articles] == ["Rahasia Internal"]
    assert sites.private_hits == ["/internal/feed.xml"]


async def test_article_pages_of_a_chat_source_go_through_the_guard(
    engine: AsyncEngine, sites: Sites
) -> None:
    async with pipeline(engine, sites, allow_private=False, fetch_pages=True) as p:
        await add_from_chat(p, "kabar.example", sites.url(sites.public, "/links-inside.xml"))
        report = await p.ingestor.run_once(every_source=True)
        async with p.sessions() as session:
            stored = (await session.scalars(select(Article))).all()
    assert [s.status for s in report.sources] == ["ok"]
    assert [a.title for a in stored] == ["Berita Biasa"]
    assert stored[0].extract_error is not None
    assert "refused to connect to 127.0.0.1" in stored[0].extract_error
    assert sites.private_hits == []


def test_allow_private_sources_setting_reaches_the_fetcher() -> None:
    assert fetch_policy(load_settings(allow_private_sources=True)).allow_private is True
    assert fetch_policy(load_settings(allow_private_sources=False)).allow_private is False
