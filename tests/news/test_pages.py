"""read_page over real HTTP on 127.0.0.1: multi-page articles, ?page=all, failures."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.news.extract.pages import read_page
from bot.news.fetch.client import Fetcher, FetchPolicy

PAGES = [
    [
        "Pemerintah Kota Surabaya menaikkan anggaran perbaikan jalan tahun ini menjadi Rp 1,5 "
        "triliun, naik hampir dua kali lipat dibanding anggaran tahun lalu.",
        "Wali Kota Surabaya mengatakan perbaikan jalan menjadi prioritas karena banyak jalan "
        "rusak setelah musim hujan panjang awal tahun ini.",
    ],
    [
        "Kenaikan anggaran itu disetujui DPRD Surabaya dalam rapat paripurna pada Senin pagi "
        "setelah pembahasan panjang bersama dinas pekerjaan umum kota.",
        "Sejumlah anggota dewan meminta pengerjaan diawasi ketat agar jalan yang sudah "
        "diperbaiki tidak cepat rusak kembali seperti tahun-tahun sebelumnya.",
    ],
    [
        "Sebanyak 120 ruas jalan di Surabaya akan diperbaiki mulai Maret hingga Desember, "
        "terutama jalan yang rusak parah akibat banjir awal tahun.",
        "Warga berharap perbaikan selesai sebelum musim hujan berikutnya tiba, sehingga "
        "perjalanan ke tempat kerja dan sekolah tidak lagi terganggu.",
    ],
]
PARTS = [p for page in PAGES for p in page]
SLUG = "/jatim/2023/09/18/anggaran-jalan-surabaya-naik"


def article(title: str, paragraphs: list[str], pager: str = "", canonical: str = "") -> str:
    """A plain article page; `pager` is the "Halaman 1 2 3" block."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<html><head><title>{title} - Tribunnews.com</title>{link}"
        '<meta property="article:published_time" content="2023-09-18T10:15:00+07:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "articleSection": '
        f'"Surabaya", "headline": "{title}"}}</script></head><body><article><h1>{title}</h1>'
        f'<div class="txt-article">{body}</div>{pager}</article></body></html>'
    )


@dataclass
class Paged:
    """A site whose article spans three pages, with or without a ?page=all view."""

    page_all: bool = True
    path_pages: bool = False  # "/slug/2" instead of "?page=2"
    hits: Counter[str] = field(default_factory=Counter)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(SLUG, self.page)
        app.router.add_get(SLUG + "/{n}", self.page)
        app.router.add_get("/hilang", self.missing)
        app.router.add_get("/gambar", self.image)
        app.router.add_get("/kotor", self.dirty)
        return app

    async def page(self, request: web.Request) -> web.Response:
        wanted = request.query.get("page") or request.match_info.get("n") or "1"
        self.hits[wanted] += 1
        if wanted == "all":
            if not self.page_all:
                raise web.HTTPNotFound()
            return web.Response(text=article("Anggaran Jalan", PARTS), content_type="text/html")
        number = int(wanted)
        if self.path_pages:
            links = [f'<a href="{SLUG}/{n}">{n}</a>' for n in (1, 2, 3)]
        else:
            links = [f'<a href="?page={n}">{n}</a>' for n in (1, 2, 3)]
        pager = f'<div class="paging">Halaman {" ".join(links)}</div>'
        return web.Response(
            text=article("Anggaran Jalan", PAGES[number - 1], pager), content_type="text/html"
        )

    async def missing(self, request: web.Request) -> web.Response:
        raise web.HTTPNotFound()

    async def dirty(self, request: web.Request) -> web.Response:
        # Control characters a careless CMS lets through: neither database stores a NUL.
        paragraphs = [p.replace(" ", " \x00", 1).replace("jalan", "ja\x07lan") for p in PARTS]
        page = article("Anggaran\x0b Jalan", paragraphs).encode()
        return web.Response(body=page, content_type="text/html", charset="utf-8")

    async def image(self, request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(FetchPolicy(total_timeout=2.0, retries=0)) as f:
        yield f


async def serve(site: Paged) -> TestServer:
    server = TestServer(site.app(), host="127.0.0.1")
    await server.start_server()
    return server


async def test_halaman_links_are_followed_in_order(fetcher: Fetcher) -> None:
    site = Paged(page_all=False)
    server = await serve(site)
    try:
        page = await read_page(fetcher, str(server.make_url(SLUG)))
    finally:
        await server.close()
    assert page.error is None
    assert page.text.split("\n\n") == PARTS
    assert site.hits == Counter({"1": 1, "2": 1, "3": 1})
    assert page.title == "Anggaran Jalan"  # the "- Tribunnews.com" suffix is not the title
    assert page.section == "Surabaya"
    assert page.zone_stated and page.published_at is not None


async def test_path_style_pages_are_followed(fetcher: Fetcher) -> None:
    site = Paged(page_all=False, path_pages=True)
    server = await serve(site)
    try:
        page = await read_page(fetcher, str(server.make_url(SLUG)))
    finally:
        await server.close()
    assert page.text.split("\n\n") == PARTS


async def test_page_all_host_costs_one_request(fetcher: Fetcher) -> None:
    site = Paged()
    server = await serve(site)
    try:
        page = await read_page(fetcher, str(server.make_url(SLUG)), page_all_hosts={"127.0.0.1"})
    finally:
        await server.close()
    assert page.text.split("\n\n") == PARTS
    assert site.hits == Counter({"all": 1})  # never the first page, then ?page=all
    assert page.url is not None and page.url.endswith("?page=all")


async def test_failed_page_all_falls_back_to_the_pages(fetcher: Fetcher) -> None:
    site = Paged(page_all=False)
    server = await serve(site)
    try:
        page = await read_page(fetcher, str(server.make_url(SLUG)), page_all_hosts={"127.0.0.1"})
    finally:
        await server.close()
    assert page.error is None
    assert page.text.split("\n\n") == PARTS
    assert site.hits == Counter({"all": 1, "1": 1, "2": 1, "3": 1})


@pytest.mark.parametrize(("path", "reason"), [("/hilang", "404"), ("/gambar", "HTML")])
async def test_unreadable_page_says_why(fetcher: Fetcher, path: str, reason: str) -> None:
    server = await serve(Paged())
    try:
        page = await read_page(fetcher, str(server.make_url(path)))
    finally:
        await server.close()
    assert page.text == ""
    assert page.error is not None and page.error.startswith("page not read")
    assert reason in page.error


async def test_control_characters_never_reach_the_text(fetcher: Fetcher) -> None:
    server = await serve(Paged())
    try:
        page = await read_page(fetcher, str(server.make_url("/kotor")))
    finally:
        await server.close()
    assert page.error is None and page.title is not None
    assert "Surabaya menaikkan anggaran" in page.text and "perbaikan jalan" in page.text
    for text in (page.text, page.title):
        assert not any(ord(c) < 32 and c not in "\n\t" for c in text), repr(text)
