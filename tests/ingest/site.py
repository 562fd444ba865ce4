"""A small news site on 127.0.0.1: feeds, article pages, and every way a source can misbehave."""

from __future__ import annotations

import asyncio
import gzip
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from aiohttp import web

T0 = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)

# One event told by two outlets (the second rewrites the headline and dateline), and another
# event on the same topic the same day.
WANG_YI = [
    "Diplomat terkemuka China, Wang Yi, akan melakukan kunjungan ke Rusia untuk pembicaraan "
    "keamanan pada 18 sampai 21 September 2023.",
    "Kunjungan itu disebut media Rusia membuka jalan bagi Presiden Vladimir Putin untuk "
    "melakukan perjalanan penting ke Beijing dalam waktu dekat.",
    "Sebelumnya Putin mengatakan dirinya memiliki rencana untuk bertemu dengan Presiden China "
    "Xi Jinping, tetapi tidak merinci kapan perjalanan itu akan dilakukan.",
    "Putin belum pernah bepergian ke luar negeri sejak Pengadilan Kriminal Internasional "
    "mengeluarkan surat perintah penangkapannya pada bulan Maret.",
]
OTHER = [
    "Menteri Luar Negeri Retno Marsudi bertemu dengan delegasi Jepang di Jakarta pada Senin "
    "untuk membahas kerja sama perdagangan dan investasi kedua negara.",
    "Pertemuan itu menghasilkan tiga nota kesepahaman di bidang energi terbarukan, pendidikan "
    "vokasi, dan pembangunan infrastruktur pelabuhan di kawasan timur Indonesia.",
    "Retno menyebut Jepang tetap menjadi salah satu mitra dagang terbesar Indonesia dengan "
    "nilai perdagangan yang terus meningkat dalam lima tahun terakhir.",
]


def page(
    title: str,
    dateline: str,
    paragraphs: list[str],
    published: datetime,
    *,
    section: str | None = None,
    canonical: str | None = None,
    pager: str = "",
) -> str:
    """An article page with JSON-LD, OpenGraph and the usual Indonesian boilerplate."""
    body = [f"<p>{dateline} - {paragraphs[0]}</p>", "<p>Baca juga: Putin Sambut Kim Jong Un</p>"]
    body += [f"<p>{p}</p>" for p in paragraphs[1:]]
    body.append("<p>Dapatkan Berita Pilihan di WhatsApp Anda</p>")
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": published.isoformat(),
        "author": {"@type": "Person", "name": "Whiesa"},
    }
    if section:
        ld["articleSection"] = section
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<html><head><title>{title} - Tribunnews.com</title>{link}"
        f'<meta property="og:title" content="{title}">'
        f'<meta property="og:image" content="/img/{abs(hash(title)) % 1000}.jpg">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
        f'<body><article><h1>{title}</h1><div class="txt-article">{"".join(body)}</div>'
        f"{pager}</article><aside>Berita Rekomendasi</aside></body></html>"
    )


def rss(base: str, items: list[tuple[str, str, datetime]]) -> bytes:
    """An RSS 2.0 feed of (title, path, published)."""
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{p}?utm_source=rss</link><guid>{p}</guid>"
        f"<pubDate>{format_datetime(d)}</pubDate><description>{t}.</description></item>"
        for t, p, d in items
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>'
        f"{entries}</channel></rss>"
    ).encode()


@dataclass
class NewsSite:
    """The aiohttp app and what it saw."""

    base: str = ""
    hits: dict[str, int] = field(default_factory=dict)
    conditional_hits: int = 0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/a.xml", self.feed_a)
        app.router.add_get("/b.xml", self.feed_b)
        app.router.add_get("/berita/{slug}", self.article)
        app.router.add_get("/broken.xml", self.fixed(b"<rss><channel><item><title>x</titl"))
        app.router.add_get("/garbage.xml", self.fixed(b"<rss>\x01\x02<<<&&&>>>"))
        app.router.add_get(
            "/page.xml", self.fixed(b"<!DOCTYPE html><html><body>Hai</body></html>", "text/html")
        )
        app.router.add_get("/empty.xml", self.fixed(b""))
        app.router.add_get("/gone.xml", self.status(410))
        app.router.add_get("/error.xml", self.status(500))
        app.router.add_get("/bomb.xml", self.bomb)
        app.router.add_get("/loop.xml", self.loop)
        app.router.add_get("/slow.xml", self.slow)
        return app

    def count(self, request: web.Request) -> None:
        self.hits[request.path] = self.hits.get(request.path, 0) + 1

    async def feed_a(self, request: web.Request) -> web.Response:
        self.count(request)
        if request.headers.get("If-None-Match") == '"a1"':
            self.conditional_hits += 1
            return web.Response(status=304, headers={"ETag": '"a1"'})
        items = [
            ("Wang Yi Bakal Kunjungi Rusia", "/berita/wang-yi-rusia", T0),
            ("Retno Bertemu Delegasi Jepang", "/berita/retno-jepang", T0 - timedelta(hours=1)),
        ]
        return web.Response(
            body=rss(self.base, items),
            content_type="application/rss+xml",
            headers={"ETag": '"a1"'},
        )

    async def feed_b(self, request: web.Request) -> web.Response:
        self.count(request)
        items = [("Diplomat Top China ke Moskow", "/berita/diplomat-china-moskow", T0)]
        return web.Response(body=rss(self.base, items), content_type="application/rss+xml")

    async def article(self, request: web.Request) -> web.Response:
        self.count(request)
        slug = request.match_info["slug"]
        if slug == "wang-yi-rusia":
            html = page(
                "Wang Yi Bakal Kunjungi Rusia",
                "TRIBUNNEWS.COM",
                WANG_YI,
                T0,
                section="Internasional",
            )
        elif slug == "diplomat-china-moskow":
            html = page(
                "Diplomat Top China ke Moskow",
                "JAKARTA, KOMPAS.com",
                WANG_YI[:3],
                T0,
                section="Global",
            )
        elif slug == "retno-jepang":
            html = page("Retno Bertemu Delegasi Jepang", "TRIBUNNEWS.COM", OTHER, T0)
        else:
            raise web.HTTPNotFound()
        return web.Response(text=html, content_type="text/html")

    def fixed(self, body: bytes, content_type: str = "application/xml"):  # type: ignore[no-untyped-def]
        async def handler(request: web.Request) -> web.Response:
            self.count(request)
            return web.Response(body=body, content_type=content_type)

        return handler

    def status(self, code: int):  # type: ignore[no-untyped-def]
        async def handler(request: web.Request) -> web.Response:
            self.count(request)
            return web.Response(status=code)

        return handler

    async def bomb(self, request: web.Request) -> web.Response:
        self.count(request)
        body = gzip.compress(b"<rss>" + b" " * 20_000_000)
        return web.Response(
            body=body, headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}
        )

    async def loop(self, request: web.Request) -> web.Response:
        self.count(request)
        raise web.HTTPFound("/loop.xml")

    async def slow(self, request: web.Request) -> web.Response:
        self.count(request)
        await asyncio.sleep(30)
        return web.Response(text="late")
