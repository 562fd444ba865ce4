"""What real sources get wrong, one cycle at a time: loopback feeds, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.ingest.cycle import CycleReport, Ingestor, utcnow
from bot.ingest.enrichment import Enricher, EnrichPolicy
from bot.ingest.polling import PollPolicy
from bot.news.fetch.cadence import Bounds
from bot.news.fetch.client import Fetcher, FetchPolicy
from storage import sources
from storage.db import session_factory
from storage.models import Article, Source
from tests.ingest.site import T0

PAUSE_AFTER = 3


DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def rss(items: list[str], *, declaration: str = DECLARATION) -> str:
    channel = f"<channel><title>x</title>{''.join(items)}</channel>"
    return f'{declaration}<rss version="2.0">{channel}</rss>'


def item(title: str, link: str | None, date: str | None = None) -> str:
    parts = [f"<title>{title}</title>"]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    return f"<item>{''.join(parts)}</item>"


# Control characters and a lone surrogate as JSON escapes, as a broken CMS writes them.
CONTROLS_JSON = (
    '{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": ['
    '{"id": "1", "url": "BASE/berita/satu", "title": "Banjir \\ud800Rob di Semarang"},'
    '{"id": "2", "url": "BASE/berita/dua", "title": "Nol\\u0000 Byte \\u0007di Judul",'
    ' "summary": "baris satu\\nbaris\\tdua\\u0001"}]}'
)


@dataclass
class Site:
    """Routes of a loopback news site, and the hits it saw."""

    base: str = ""
    hits: dict[str, int] | None = None

    def app(self) -> web.Application:
        self.hits = {}
        app = web.Application()
        routes: dict[str, Callable[[web.Request], Any]] = {
            "/wrong-charset.xml": self.wrong_charset,
            "/no-charset.xml": self.no_charset,
            "/bad-dates.xml": self.bad_dates,
            "/no-links.xml": self.no_links,
            "/controls.json": self.controls,
            "/racun.xml": self.racun,
            "/limited.xml": self.limited,
            "/error.xml": self.error,
            "/hourly.xml": self.hourly,
        }
        for path, handler in routes.items():
            app.router.add_get(path, self.counted(handler))
        return app

    def counted(self, handler: Callable[[web.Request], Any]) -> Callable[[web.Request], Any]:
        async def wrapper(request: web.Request) -> web.StreamResponse:
            assert self.hits is not None
            self.hits[request.path] = self.hits.get(request.path, 0) + 1
            response: web.StreamResponse = await handler(request)
            return response

        return wrapper

    async def wrong_charset(self, _: web.Request) -> web.Response:
        # Windows-1252 bytes, labelled UTF-8 by both the header and the declaration.
        body = rss([item("Harga Kopi Naik – Petani ‘Senang’ di Café", f"{self.base}/berita/kopi")])
        return web.Response(
            body=body.encode("cp1252"),
            headers={"Content-Type": "application/rss+xml; charset=utf-8"},
        )

    async def no_charset(self, _: web.Request) -> web.Response:
        # UTF-8 without a declaration or a charset parameter.
        body = rss([item("Gempa Guncang Sulawesi — Warga Mengungsi", f"{self.base}/berita/gempa")],
                   declaration="")  # fmt: skip
        return web.Response(body=body.encode(), headers={"Content-Type": "application/rss+xml"})

    async def bad_dates(self, _: web.Request) -> web.Response:
        body = rss(
            [
                item("Tanggal Ngawur", f"{self.base}/berita/ngawur", "kemarin sore"),
                item("Tanggal Mustahil", f"{self.base}/berita/mustahil", "32 Foo 2026 99:99"),
                item("Tanpa Tanggal", f"{self.base}/berita/tanpa", ""),
            ]
        )
        return web.Response(text=body, content_type="application/rss+xml")

    async def no_links(self, _: web.Request) -> web.Response:
        body = rss([item("Tanpa Tautan", None), item("Juga Tanpa Tautan", "   ")])
        return web.Response(text=body, content_type="application/rss+xml")

    async def controls(self, _: web.Request) -> web.Response:
        return web.Response(
            text=CONTROLS_JSON.replace("BASE", self.base), content_type="application/feed+json"
        )

    async def racun(self, _: web.Request) -> web.Response:
        body = rss([item("Racun di Sumur Warga", f"{self.base}/berita/racun")])
        return web.Response(text=body, content_type="application/rss+xml")

    async def limited(self, _: web.Request) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": "600"})

    async def error(self, _: web.Request) -> web.Response:
        return web.Response(status=500)

    async def hourly(self, _: web.Request) -> web.Response:
        # Four items 30 minutes apart: half the typical gap is 15 minutes.
        items = [
            item(f"Kabar {n}", f"{self.base}/berita/kabar-{n}",
                 format_datetime(T0 - timedelta(minutes=30 * n)))
            for n in range(4)
        ]  # fmt: skip
        return web.Response(text=rss(items), content_type="application/rss+xml")


@dataclass
class Rig:
    site: Site
    sessions: async_sessionmaker[AsyncSession]
    ingestor: Ingestor
    engine: AsyncEngine

    async def add(self, **named_paths: str) -> None:
        specs = [{"name": n, "url": self.site.base + p} for n, p in named_paths.items()]
        await self.ingestor.sync_sources(specs)

    async def cycle(self) -> CycleReport:
        return await self.ingestor.run_once(every_source=True)

    async def source(self, name: str) -> Source:
        async with self.sessions() as session:
            found = await sources.source_by_name(session, name)
        assert found is not None
        return found

    async def articles(self, name: str) -> list[Article]:
        async with self.sessions() as session:
            query = (
                select(Article)
                .join(Source, Source.id == Article.source_id)
                .where(Source.name == name)
                .order_by(Article.id)
            )
            return list((await session.scalars(query)).all())


@pytest.fixture
async def rig(engine: AsyncEngine) -> AsyncIterator[Rig]:
    site = Site()
    server = TestServer(site.app(), host="127.0.0.1")
    await server.start_server()
    site.base = str(server.make_url("")).rstrip("/")
    sessions = session_factory(engine)
    policy = FetchPolicy(total_timeout=5.0, retries=0)
    async with Fetcher(policy) as fetcher:
        enricher = Enricher(sessions, fetcher, EnrichPolicy(fetch_pages=False), utcnow)
        ingestor = Ingestor(
            sessions, fetcher, PollPolicy(Bounds(120, 3600), pause_after=PAUSE_AFTER), enricher
        )
        yield Rig(site, sessions, ingestor, engine)
    await server.close()


async def test_wrong_and_missing_charsets_are_stored_as_the_right_text(rig: Rig) -> None:
    await rig.add(Salah="/wrong-charset.xml", Tanpa="/no-charset.xml")
    report = await rig.cycle()
    assert {s.name: s.status for s in report.sources} == {"Salah": "ok", "Tanpa": "ok"}
    assert [a.title for a in await rig.articles("Salah")] == [
        "Harga Kopi Naik – Petani ‘Senang’ di Café"
    ]
    assert [a.title for a in await rig.articles("Tanpa")] == [
        "Gempa Guncang Sulawesi — Warga Mengungsi"
    ]


async def test_invalid_dates_keep_the_article_without_a_date(rig: Rig) -> None:
    await rig.add(Ngawur="/bad-dates.xml")
    report = await rig.cycle()
    assert report.sources[0].status == "ok"
    stored = await rig.articles("Ngawur")
    assert [a.title for a in stored] == ["Tanggal Ngawur", "Tanggal Mustahil", "Tanpa Tanggal"]
    assert all(a.published_at is None for a in stored)


async def test_items_without_links_are_the_sources_recorded_error(rig: Rig) -> None:
    await rig.add(Buntu="/no-links.xml")
    report = await rig.cycle()
    assert report.sources[0].status == "failed"
    source = await rig.source("Buntu")
    assert source.last_error == "none of the feed's 2 items has a usable link"
    assert source.consecutive_failures == 1
    assert await rig.articles("Buntu") == []


async def test_control_characters_and_lone_surrogates_are_stripped_before_storing(
    rig: Rig,
) -> None:
    await rig.add(Kendali="/controls.json")
    report = await rig.cycle()
    assert report.sources[0].status == "ok", report.sources[0].error
    stored = await rig.articles("Kendali")
    assert [a.title for a in stored] == ["Banjir Rob di Semarang", "Nol Byte di Judul"]
    assert stored[1].feed_summary == "baris satu baris dua"  # summaries are one line


async def _refuse_titles_with_racun(engine: AsyncEngine) -> None:
    """A real trigger that makes the database refuse one source's article."""
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(
                text(
                    "CREATE FUNCTION refuse_racun() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN IF NEW.title LIKE '%Racun%' THEN "
                    "RAISE EXCEPTION 'refused by the test trigger'; END IF; RETURN NEW; END $$"
                )
            )
            await conn.execute(
                text(
                    "CREATE TRIGGER refuse_racun BEFORE INSERT ON articles "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_racun()"
                )
            )
        else:
            await conn.execute(
                text(
                    "CREATE TRIGGER refuse_racun BEFORE INSERT ON articles "
                    "WHEN NEW.title LIKE '%Racun%' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"
                )
            )


async def test_a_source_whose_write_fails_records_it_and_the_others_are_kept(rig: Rig) -> None:
    await _refuse_titles_with_racun(rig.engine)
    await rig.add(Racun="/racun.xml", Salah="/wrong-charset.xml", Tanpa="/no-charset.xml")
    before = utcnow()
    report = await rig.cycle()

    by_name = {s.name: s for s in report.sources}
    assert by_name["Racun"].status == "failed"
    assert by_name["Salah"].status == by_name["Tanpa"].status == "ok"
    assert len(await rig.articles("Salah")) == len(await rig.articles("Tanpa")) == 1
    assert await rig.articles("Racun") == []
    racun = await rig.source("Racun")
    assert racun.last_error is not None
    assert racun.last_error.startswith("could not store its items: ")
    assert "refused by the test trigger" in racun.last_error
    assert racun.consecutive_failures == 1
    assert racun.next_due_at > before  # backed off, not polled again every cycle


async def test_an_internal_error_counts_backs_off_and_finally_pauses(rig: Rig) -> None:
    await rig.add(Aneh="/hourly.xml", Baik="/no-charset.xml")
    # A kind no parser knows (an older version's, or a hand edit) makes poll() itself raise.
    async with rig.sessions.begin() as session:
        aneh = await sources.source_by_name(session, "Aneh")
        assert aneh is not None
        await sources.update_source(session, aneh.id, kind="podcast")
    before = utcnow()
    await rig.cycle()
    aneh = await rig.source("Aneh")
    assert aneh.last_error == "internal error while polling: ValueError"
    assert aneh.consecutive_failures == 1
    assert aneh.next_due_at > before
    async with rig.sessions() as session:
        due_now = {s.name for s in await sources.due_sources(session, utcnow())}
    assert "Aneh" not in due_now
    for _ in range(PAUSE_AFTER - 1):
        await rig.cycle()
    aneh = await rig.source("Aneh")
    assert not aneh.enabled and aneh.consecutive_failures == PAUSE_AFTER
    assert (await rig.source("Baik")).enabled


async def test_429_is_honoured_but_never_pauses_while_5xx_does(rig: Rig) -> None:
    await rig.add(Sibuk="/limited.xml", Rusak="/error.xml")
    for _ in range(PAUSE_AFTER):
        before = utcnow()
        await rig.cycle()
        sibuk = await rig.source("Sibuk")
        # Retry-After: 600 is when the next poll falls due.
        assert before + timedelta(seconds=600) <= sibuk.next_due_at
        assert sibuk.next_due_at <= utcnow() + timedelta(seconds=600)
    sibuk, rusak = await rig.source("Sibuk"), await rig.source("Rusak")
    assert sibuk.enabled and sibuk.consecutive_failures == 0
    assert sibuk.last_error is not None and sibuk.last_error.startswith("rate limited: ")
    assert "429" in sibuk.last_error and "10 minutes" in sibuk.last_error
    assert not rusak.enabled and rusak.consecutive_failures == PAUSE_AFTER


async def test_a_cycle_stores_the_learned_interval_and_the_next_poll(rig: Rig) -> None:
    await rig.add(Rutin="/hourly.xml")
    before = utcnow()
    await rig.cycle()
    after = utcnow()
    rutin = await rig.source("Rutin")
    assert rutin.learned_interval == 900  # half the 30-minute gap between items
    # Due again after the learned interval, give or take the 10 % jitter.
    assert before + timedelta(seconds=810) <= rutin.next_due_at
    assert rutin.next_due_at <= after + timedelta(seconds=990)
    assert rutin.last_item_at == T0
    assert rutin.conditional is False  # it sent neither ETag nor Last-Modified
