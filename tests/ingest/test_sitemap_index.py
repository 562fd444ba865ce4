"""A sitemap index is followed to its newest news sitemaps."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.ingest.polling import PollPolicy, poll
from bot.news.fetch.cadence import Bounds
from bot.news.fetch.client import Fetcher
from storage.models import Source

NOW = datetime(2026, 11, 25, 3, tzinfo=UTC)


def sitemap_index(base: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/news-1.xml</loc><lastmod>2026-11-25T09:00:00+07:00</lastmod>"
        "</sitemap></sitemapindex>"
    )


NEWS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
    "<loc>\n  https://kompas.test/read/2026/11/25/0900/banjir-jakarta\n</loc><news:news>"
    "<news:publication_date>2026-11-25T09:00:00+07:00</news:publication_date>"
    "<news:title>Banjir Rendam Jakarta</news:title></news:news></url></urlset>"
)


async def test_sitemap_index_is_read_through_its_child_sitemaps() -> None:
    app = web.Application()
    server = TestServer(app, host="127.0.0.1")

    async def index(_: web.Request) -> web.Response:
        return web.Response(text=sitemap_index(base), content_type="application/xml")

    async def news(_: web.Request) -> web.Response:
        return web.Response(text=NEWS, content_type="application/xml")

    app.router.add_get("/sitemap.xml", index)
    app.router.add_get("/news-1.xml", news)
    await server.start_server()
    base = str(server.make_url("")).rstrip("/")
    source = Source(
        id=1, name="Kompas", url=f"{base}/sitemap.xml", kind="sitemap", consecutive_failures=0
    )
    try:
        async with Fetcher() as fetcher:
            outcome = await poll(source, fetcher, PollPolicy(Bounds(120, 3600), 5), NOW)
    finally:
        await server.close()
    assert outcome.status == "ok"
    assert [(e.url, e.title) for e in outcome.entries] == [
        ("https://kompas.test/read/2026/11/25/0900/banjir-jakarta", "Banjir Rendam Jakarta")
    ]
