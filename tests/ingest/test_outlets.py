"""One story across outlets through the real pipeline: canonical links, reposts, bad pages.

Two "sites" share one loopback server: http://127.0.0.1:PORT (Tribunnews) and
http://localhost:PORT (a regional outlet). Both names reach 127.0.0.1, but to the bot they are
different sites, as tribunnews.com and tribunsolo.com are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ingest.cycle import CycleReport, Ingestor, utcnow
from bot.ingest.enrichment import Enricher, EnrichPolicy
from bot.ingest.polling import PollPolicy
from bot.news.dedup.canonical import canonical_url
from bot.news.fetch.cadence import Bounds
from bot.news.fetch.client import Fetcher, FetchPolicy
from storage import stories
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Article, Source
from tests.ingest.site import OTHER, T0, WANG_YI, page

Item = tuple[str, str, datetime, str]  # title, link, published, description


def rss(items: list[Item]) -> bytes:
    """An RSS 2.0 feed; each item's guid is its link."""
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<guid>{escape(link)}</guid><pubDate>{format_datetime(d)}</pubDate>"
        f"<description>{escape(desc)}</description></item>"
        for t, link, d, desc in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>'
        f"{entries}</channel></rss>"
    ).encode()


@dataclass
class Outlets:
    """Feeds and pages the test sets up; pages are keyed by path (either host serves them)."""

    feeds: dict[str, list[Item]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)  # path -> absolute address

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/feed/{name}.xml", self.feed)
        app.router.add_get("/gambar.png", self.image)
        app.router.add_get("/{path:.+}", self.page)
        return app

    async def feed(self, request: web.Request) -> web.Response:
        items = self.feeds.get(request.match_info["name"], [])
        return web.Response(body=rss(items), content_type="application/rss+xml")

    async def page(self, request: web.Request) -> web.Response:
        if request.path in self.redirects:
            raise web.HTTPFound(self.redirects[request.path])
        html = self.pages.get(request.path)
        if html is None:
            raise web.HTTPNotFound()
        return web.Response(text=html, content_type="text/html")

    async def image(self, request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")


@dataclass
class Rig:
    site: Outlets
    ingestor: Ingestor
    sessions: async_sessionmaker[AsyncSession]
    tribun: str  # base URL of the first site
    regional: str  # base URL of the second site

    async def cycle(self) -> CycleReport:
        return await self.ingestor.run_once(every_source=True)

    async def articles(self) -> list[tuple[str, str]]:
        """(source name, stored URL) of every article, by id."""
        async with self.sessions() as session:
            query = (
                select(Source.name, Article.url)
                .join(Source, Source.id == Article.source_id)
                .order_by(Article.id)
            )
            return [(row[0], row[1]) for row in await session.execute(query)]

    async def stories(self) -> list[stories.StoryView]:
        async with self.sessions() as session:
            return await stories.latest_stories(session, limit=20)


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    site = Outlets()
    server = TestServer(site.app(), host="127.0.0.1")
    await server.start_server()
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'news.db'}")
    await upgrade(engine)
    sessions = session_factory(engine)
    policy = FetchPolicy(total_timeout=2.0, retries=0)
    async with Fetcher(policy) as fetcher:
        enricher = Enricher(sessions, fetcher, EnrichPolicy(), utcnow)
        ingestor = Ingestor(
            sessions, fetcher, PollPolicy(Bounds(120, 3600), pause_after=3), enricher
        )
        tribun = f"http://127.0.0.1:{server.port}"
        regional = f"http://localhost:{server.port}"
        await ingestor.sync_sources(
            [
                {"name": "Tribunnews", "url": f"{tribun}/feed/tribun.xml"},
                {"name": "TribunSolo", "url": f"{regional}/feed/solo.xml"},
            ]
        )
        yield Rig(site, ingestor, sessions, tribun, regional)
    await engine.dispose()
    await server.close()


ORIGINAL = "/internasional/2023/09/18/wang-yi-bakal-kunjungi-rusia"
COPY = "/solo/2023/09/18/wang-yi-ke-rusia-putin-siap-ke-beijing"
ORIGINAL_TITLE = "Wang Yi Bakal Kunjungi Rusia"
COPY_TITLE = "Wang Yi ke Rusia, Putin Siap ke Beijing"


def serve_original_and_copy(rig: Rig) -> None:
    """The original on the first site; the regional copy names it as its canonical page."""
    rig.site.pages[ORIGINAL] = page(ORIGINAL_TITLE, "TRIBUNNEWS.COM", WANG_YI, T0)
    rig.site.pages[COPY] = page(
        COPY_TITLE, "TRIBUNSOLO.COM", WANG_YI, T0, canonical=rig.tribun + ORIGINAL
    )


def item(title: str, link: str, published: datetime = T0, description: str = "") -> Item:
    return (title, link, published, description or title + ".")


async def test_regional_copy_joins_the_original_story(rig: Rig) -> None:
    serve_original_and_copy(rig)
    rig.site.feeds["tribun"] = [item(ORIGINAL_TITLE, rig.tribun + ORIGINAL)]
    rig.site.feeds["solo"] = [item(COPY_TITLE, rig.regional + COPY, T0 + timedelta(hours=1))]

    await rig.cycle()

    # The copy kept its own address and joined the story as a second outlet.
    assert sorted(await rig.articles()) == [
        ("TribunSolo", canonical_url(rig.regional + COPY)),
        ("Tribunnews", canonical_url(rig.tribun + ORIGINAL)),
    ]
    (story,) = await rig.stories()
    assert {a.source for a in story.articles} == {"Tribunnews", "TribunSolo"}
    # No articleSection on these pages: each outlet's section comes from its URL.
    assert story.sections == ["internasional", "solo"]


async def test_original_arriving_after_its_copy_is_stored_and_joins(rig: Rig) -> None:
    serve_original_and_copy(rig)
    rig.site.feeds["solo"] = [item(COPY_TITLE, rig.regional + COPY)]
    await rig.cycle()
    assert await rig.articles() == [("TribunSolo", canonical_url(rig.regional + COPY))]

    rig.site.feeds["tribun"] = [item(ORIGINAL_TITLE, rig.tribun + ORIGINAL)]
    report = await rig.cycle()

    # The copy did not take the original's address, so the original's own item is new.
    assert [a.title for a in report.articles] == [ORIGINAL_TITLE]
    (story,) = await rig.stories()
    assert {a.source for a in story.articles} == {"Tribunnews", "TribunSolo"}
    assert report.updated_story_ids == [story.id]


async def test_canonical_home_page_merges_nothing(rig: Rig) -> None:
    home = rig.tribun + "/"
    rig.site.pages["/berita/wang-yi-rusia"] = page(
        ORIGINAL_TITLE, "TRIBUNNEWS.COM", WANG_YI, T0, canonical=home
    )
    rig.site.pages["/berita/retno-jepang"] = page(
        "Retno Bertemu Delegasi Jepang", "TRIBUNNEWS.COM", OTHER, T0, canonical=home
    )
    rig.site.feeds["tribun"] = [
        item(ORIGINAL_TITLE, rig.tribun + "/berita/wang-yi-rusia"),
        item("Retno Bertemu Delegasi Jepang", rig.tribun + "/berita/retno-jepang"),
    ]

    await rig.cycle()

    assert sorted(url for _, url in await rig.articles()) == [
        canonical_url(rig.tribun + "/berita/retno-jepang"),
        canonical_url(rig.tribun + "/berita/wang-yi-rusia"),
    ]
    assert len(await rig.stories()) == 2


async def test_same_site_canonical_is_adopted(rig: Rig) -> None:
    mobile, desktop = "/m/berita/wang-yi-rusia", "/berita/wang-yi-rusia"
    for path in (mobile, desktop):
        rig.site.pages[path] = page(
            ORIGINAL_TITLE, "TRIBUNNEWS.COM", WANG_YI, T0, canonical=rig.tribun + desktop
        )
    rig.site.feeds["tribun"] = [item(ORIGINAL_TITLE, rig.tribun + mobile)]
    await rig.cycle()
    # The article is keyed by the address its page gives...
    assert await rig.articles() == [("Tribunnews", canonical_url(rig.tribun + desktop))]

    # ...so the outlet's desktop link to it, met later, is not a new article.
    rig.site.feeds["tribun"].append(item(ORIGINAL_TITLE, rig.tribun + desktop))
    report = await rig.cycle()
    assert report.articles == []
    assert len(await rig.articles()) == 1


async def test_feed_redirect_link_is_keyed_by_the_page_it_leads_to(rig: Rig) -> None:
    # Like Detik's old feedsportal links: the feed's link is a redirect on another host.
    desktop = "/berita/wang-yi-rusia"
    rig.site.pages[desktop] = page(
        ORIGINAL_TITLE, "TRIBUNNEWS.COM", WANG_YI, T0, canonical=rig.tribun + desktop
    )
    rig.site.redirects["/go/wang-yi-rusia"] = rig.tribun + desktop
    rig.site.feeds["tribun"] = [item(ORIGINAL_TITLE, rig.regional + "/go/wang-yi-rusia")]
    await rig.cycle()
    assert await rig.articles() == [("Tribunnews", canonical_url(rig.tribun + desktop))]

    rig.site.feeds["tribun"].append(item(ORIGINAL_TITLE, rig.tribun + desktop))
    assert (await rig.cycle()).articles == []


async def test_same_article_twice_in_one_feed_is_stored_once(rig: Rig) -> None:
    mobile, desktop = "/m/berita/wang-yi-rusia", "/berita/wang-yi-rusia"
    for path in (mobile, desktop):
        rig.site.pages[path] = page(
            ORIGINAL_TITLE, "TRIBUNNEWS.COM", WANG_YI, T0, canonical=rig.tribun + desktop
        )
    rig.site.feeds["tribun"] = [
        item(ORIGINAL_TITLE, rig.tribun + mobile),
        item(ORIGINAL_TITLE, rig.tribun + desktop),
    ]
    report = await rig.cycle()
    assert await rig.articles() == [("Tribunnews", canonical_url(rig.tribun + desktop))]
    assert len(report.new_story_ids) == 1 and report.updated_story_ids == []


async def test_exact_repost_from_the_same_outlet_is_dropped(rig: Rig) -> None:
    # No canonical link: only the text tells that the second address is a repost.
    html = page(ORIGINAL_TITLE, "TRIBUNNEWS.COM", WANG_YI, T0)
    rig.site.pages["/berita/wang-yi-rusia"] = html
    rig.site.pages["/berita/wang-yi-rusia-ulang"] = html
    rig.site.feeds["tribun"] = [
        item(ORIGINAL_TITLE, rig.tribun + "/berita/wang-yi-rusia"),
        item(ORIGINAL_TITLE, rig.tribun + "/berita/wang-yi-rusia-ulang"),
    ]
    # The same text from another outlet is not a repost: it joins as a second outlet.
    rig.site.pages["/solo/berita/wang-yi"] = html
    rig.site.feeds["solo"] = [item(ORIGINAL_TITLE, rig.regional + "/solo/berita/wang-yi")]

    await rig.cycle()

    stored = await rig.articles()
    assert sorted(name for name, _ in stored) == ["TribunSolo", "Tribunnews"]
    (story,) = await rig.stories()
    assert {a.source for a in story.articles} == {"Tribunnews", "TribunSolo"}


async def test_unreadable_page_keeps_the_feed_summary_and_says_why(rig: Rig) -> None:
    lost = "Harga cabai di Kediri naik dua kali lipat menjelang Ramadan, kata para pedagang."
    picture = "Banjir merendam ratusan rumah warga di Kabupaten Bojonegoro sejak Senin malam."
    rig.site.feeds["tribun"] = [
        item("Harga Cabai Naik", rig.tribun + "/berita/hilang", description=f"<p>{lost}</p>"),
        item("Banjir Bojonegoro", rig.tribun + "/gambar.png", description=picture),
    ]

    await rig.cycle()

    async with rig.sessions() as session:
        rows = {a.title: a for a in (await session.scalars(select(Article))).all()}
    assert rows["Harga Cabai Naik"].body == lost
    assert "404" in (rows["Harga Cabai Naik"].extract_error or "")
    assert rows["Banjir Bojonegoro"].body == picture
    assert "HTML" in (rows["Banjir Bojonegoro"].extract_error or "")
    summaries = {s.title: s.summary for s in await rig.stories()}
    assert summaries == {"Harga Cabai Naik": lost, "Banjir Bojonegoro": picture}


@pytest.mark.parametrize(
    ("page_time", "expected"),
    [
        # The page names its zone: it wins over a feed that printed the WIB clock as UTC.
        ("2026-11-25T03:00:00+07:00", T0 - timedelta(hours=7)),
        ("Rabu, 25 November 2026 03:00 WIB", T0 - timedelta(hours=7)),
        # A bare clock time could be anything: the feed's time stands.
        ("2026-11-25T03:00:00", T0),
    ],
)
async def test_page_time_with_its_zone_beats_the_feed(
    rig: Rig, page_time: str, expected: datetime
) -> None:
    html = page(ORIGINAL_TITLE, "TRIBUNNEWS.COM", WANG_YI, T0).replace(T0.isoformat(), page_time)
    assert page_time in html
    rig.site.pages[ORIGINAL] = html
    rig.site.feeds["tribun"] = [item(ORIGINAL_TITLE, rig.tribun + ORIGINAL, T0)]
    await rig.cycle()
    async with rig.sessions() as session:
        stored = (await session.scalars(select(Article))).one()
    assert stored.published_at == expected
