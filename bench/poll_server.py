"""A loopback farm of RSS feeds and article pages for benchmarks and tests.

Feed i lives at /feed/{i}.xml (newest item first, ETag/Last-Modified, 304 on a match) and its
item j at /article/{i}/{j}. Content is deterministic; publish() adds an item to a feed. Titles
are templated and share many words, so the farm suits polling and latency, not dedup quality.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html import escape as html_escape
from xml.sax.saxutils import escape as xml_escape

from aiohttp import web

EPOCH = datetime(2025, 1, 6, 0, 0, tzinfo=UTC)
_SUBJECTS = ("Pemerintah", "DPR", "Bank Indonesia", "Pemprov DKI", "KPK", "BMKG", "Timnas", "OJK")
_VERBS = ("umumkan", "bahas", "tinjau", "tetapkan", "tunda", "percepat")
_OBJECTS = (
    "subsidi energi",
    "anggaran daerah",
    "harga beras",
    "proyek MRT",
    "tarif listrik",
    "program makan bergizi",
    "rekrutmen guru",
    "perbaikan jalan tol",
)
_PLACES = ("Jakarta", "Surabaya", "Medan", "Makassar", "Bandung", "Denpasar", "Pontianak")
_SENTENCES = (
    "Kebijakan ini disebut akan berlaku mulai bulan depan setelah rapat koordinasi.",
    "Sejumlah warga menyambut baik langkah tersebut, meski masih ada yang ragu.",
    "Pengamat menilai pelaksanaannya perlu diawasi agar tepat sasaran.",
    "Pejabat terkait berjanji menyampaikan rincian lengkap dalam waktu dekat.",
    "Data terbaru menunjukkan kenaikan permintaan di beberapa wilayah.",
    "Rapat lanjutan dijadwalkan pekan depan bersama pemerintah daerah.",
)


@dataclass(frozen=True)
class _Item:
    title: str
    published_at: datetime


@dataclass
class _Feed:
    items: list[_Item]
    version: int = 0
    rendered: bytes | None = None  # cache of the current version's XML


@dataclass
class FarmStats:
    """What the farm has served so far."""

    feeds_full: int = 0
    feeds_not_modified: int = 0
    articles: int = 0
    not_found: int = 0
    per_feed: Counter[int] = field(default_factory=Counter)  # feed requests, by feed


@dataclass
class FeedFarm:
    """N RSS feeds with article pages, served on 127.0.0.1 by a real aiohttp server."""

    n_feeds: int
    items_per_feed: int = 20
    max_age: int = 60  # sent as Cache-Control: max-age
    delay: float = 0.0  # seconds each feed request takes, like a far-away publisher
    stats: FarmStats = field(default_factory=FarmStats)
    _feeds: list[_Feed] = field(default_factory=list, init=False)
    _runner: web.AppRunner | None = field(default=None, init=False)
    _base_url: str = field(default="", init=False)

    def __post_init__(self) -> None:
        self._feeds = [
            _Feed([_Item(_title(i, j), _initial_time(i, j)) for j in range(self.items_per_feed)])
            for i in range(self.n_feeds)
        ]

    @property
    def base_url(self) -> str:
        """Return http://127.0.0.1:PORT of the running farm."""
        if not self._base_url:
            raise RuntimeError("start the farm first")
        return self._base_url

    def feed_url(self, i: int) -> str:
        """Return the URL of feed i."""
        return f"{self.base_url}/feed/{i}.xml"

    def article_url(self, i: int, j: int) -> str:
        """Return the URL of item j of feed i."""
        return f"{self.base_url}/article/{i}/{j}"

    async def start(self) -> str:
        """Serve the farm on a free loopback port; return its base URL."""
        app = web.Application()
        app.router.add_get(r"/feed/{i:\d+}.xml", self._feed)
        app.router.add_get(r"/article/{i:\d+}/{j:\d+}", self._article)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self._base_url = f"http://{host}:{port}"
        return self._base_url

    async def stop(self) -> None:
        """Stop serving and close every connection."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    def publish(self, i: int, title: str, published_at: datetime | None = None) -> str:
        """Add an item on top of feed i (now by default); return its article URL."""
        feed = self._feeds[i]
        when = published_at or datetime.now(UTC).replace(microsecond=0)
        feed.items.append(_Item(title, when))
        feed.version += 1
        feed.rendered = None
        return self.article_url(i, len(feed.items) - 1)

    def etag(self, i: int) -> str:
        """Return the current ETag of feed i."""
        return f'"farm-{i}-{self._feeds[i].version}"'

    def last_modified(self, i: int) -> datetime:
        """Return when feed i last changed: its newest item's time."""
        return max(item.published_at for item in self._feeds[i].items)

    async def _feed(self, request: web.Request) -> web.Response:
        i = int(request.match_info["i"])
        if i >= self.n_feeds:
            self.stats.not_found += 1
            raise web.HTTPNotFound()
        self.stats.per_feed[i] += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        headers = {
            "ETag": self.etag(i),
            "Last-Modified": format_datetime(self.last_modified(i), usegmt=True),
            "Cache-Control": f"max-age={self.max_age}",
        }
        if self._is_current(request, i):
            self.stats.feeds_not_modified += 1
            return web.Response(status=304, headers=headers)
        self.stats.feeds_full += 1
        feed = self._feeds[i]
        if feed.rendered is None:
            feed.rendered = self._render_feed(i)
        return web.Response(
            body=feed.rendered,
            headers=headers,
            content_type="application/rss+xml",
            charset="utf-8",
        )

    def _is_current(self, request: web.Request, i: int) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip() for tag in if_none_match.split(",")}
            return "*" in tags or self.etag(i) in tags
        since = request.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            return self.last_modified(i) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False

    async def _article(self, request: web.Request) -> web.Response:
        i, j = int(request.match_info["i"]), int(request.match_info["j"])
        if i >= self.n_feeds or j >= len(self._feeds[i].items):
            self.stats.not_found += 1
            raise web.HTTPNotFound()
        self.stats.articles += 1
        item = self._feeds[i].items[j]
        return web.Response(
            text=_article_html(i, j, item, self.base_url), content_type="text/html"
        )

    def _render_feed(self, i: int) -> bytes:
        items = self._feeds[i].items
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
            f"<title>Kabar Farm {i}</title><link>{self.base_url}/</link>",
            "<description>Berita terkini dari seluruh Indonesia</description>",
            "<language>id</language>",
        ]
        for j in range(len(items) - 1, -1, -1):  # newest first, as real feeds do
            url = xml_escape(self.article_url(i, j))
            parts.append(
                f"<item><title>{xml_escape(items[j].title)}</title><link>{url}</link>"
                f'<guid isPermaLink="true">{url}</guid>'
                f"<pubDate>{format_datetime(items[j].published_at, usegmt=True)}</pubDate>"
                f"<description>{xml_escape(_summary(i, j))}</description></item>"
            )
        parts.append("</channel></rss>\n")
        return "".join(parts).encode()


async def start_feed_farm(
    n_feeds: int, items_per_feed: int = 20
) -> tuple[str, Callable[[], Awaitable[None]]]:
    """Start a farm on loopback; return its base URL and the coroutine function that stops it."""
    farm = FeedFarm(n_feeds, items_per_feed)
    return await farm.start(), farm.stop


def _title(i: int, j: int) -> str:
    pick = random.Random(i * 100_003 + j)  # seeded per item: same content on every run
    return (
        f"{pick.choice(_SUBJECTS)} {pick.choice(_VERBS)} {pick.choice(_OBJECTS)} "
        f"di {pick.choice(_PLACES)} ({i}-{j})"
    )


def _initial_time(i: int, j: int) -> datetime:
    return EPOCH + timedelta(minutes=10 * j, seconds=i)


def _summary(i: int, j: int) -> str:
    return _SENTENCES[(i + j) % len(_SENTENCES)]


def _article_html(i: int, j: int, item: _Item, base_url: str) -> str:
    title = html_escape(item.title)
    paragraphs = "".join(
        f"<p>{html_escape(_SENTENCES[(i + j + k) % len(_SENTENCES)])}</p>" for k in range(4)
    )
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{title} - Kabar Farm {i}</title>"
        f'<meta property="og:title" content="{title}">'
        f'<meta property="og:description" content="{html_escape(_summary(i, j))}">'
        f'<meta property="og:image" content="{base_url}/img/{i}/{j}.jpg">'
        f'<meta property="og:url" content="{base_url}/article/{i}/{j}">'
        f'<meta property="article:published_time" content="{item.published_at.isoformat()}">'
        f"</head><body><header>Kabar Farm {i}</header><article><h1>{title}</h1>"
        f"{paragraphs}</article><footer>Hak cipta dilindungi.</footer></body></html>"
    )
