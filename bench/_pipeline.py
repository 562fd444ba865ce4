"""Shared by bench.poll and bench.ingest: a feed farm in its own process, and a real Ingestor.

The farm runs in a child process so the bot's CPU time (time.process_time) and peak RSS
(ru_maxrss of this process) measure the bot alone.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import resource
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from html import escape as html_escape
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from aiohttp import web

from bench._data import SHARED_DATA
from bench.poll_server import FeedFarm
from bot.config import Settings
from bot.ingest.cycle import Ingestor, utcnow
from bot.ingest.enrichment import Enricher, EnrichPolicy, StoryChanges
from bot.ingest.polling import PollPolicy
from bot.news.fetch.cadence import Bounds
from bot.runtime import Resources, open_resources

INDOSUM = SHARED_DATA / "summarization" / "indosum_dev.jsonl"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (ru_maxrss is KiB on Linux)."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / scale / 1024


@dataclass(frozen=True)
class Doc:
    """One article's text for the varied farm."""

    title: str
    paragraphs: list[str]


def load_docs(limit: int | None = None) -> list[Doc]:
    """IndoSum dev articles as titles and paragraphs (the dataset has no titles: use the slug)."""
    docs: list[Doc] = []
    with INDOSUM.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            slug = row["id"].split("-", 1)[-1].replace("-", " ")
            paragraphs = [" ".join(p) for p in row["paragraphs"] if p]
            docs.append(Doc(slug[:1].upper() + slug[1:], paragraphs))
            if limit is not None and len(docs) >= limit:
                break
    return docs


class VariedFarm(FeedFarm):
    """The FeedFarm with real IndoSum texts on its article pages: item k shows doc k mod n.

    When there are more items than documents, a document reappears under another feed, as
    syndication does, so the expected number of distinct stories is min(items, documents).
    """

    docs: list[Doc]

    def __post_init__(self) -> None:
        super().__post_init__()
        self.docs = load_docs()
        for i, feed in enumerate(self._feeds):
            for j, item in enumerate(feed.items):
                doc = self.doc(i, j)
                feed.items[j] = type(item)(doc.title, item.published_at)

    def doc(self, i: int, j: int) -> Doc:
        """The document shown as item j of feed i."""
        return self.docs[(i * self.items_per_feed + j) % len(self.docs)]

    async def _article(self, request: web.Request) -> web.Response:
        i, j = int(request.match_info["i"]), int(request.match_info["j"])
        if i >= self.n_feeds or j >= len(self._feeds[i].items):
            self.stats.not_found += 1
            raise web.HTTPNotFound()
        self.stats.articles += 1
        doc = self.doc(i, j)
        item = self._feeds[i].items[j]
        title = html_escape(doc.title)
        body = "".join(f"<p>{html_escape(p)}</p>" for p in doc.paragraphs)
        lead = html_escape(doc.paragraphs[0][:300] if doc.paragraphs else "")
        page = (
            '<!doctype html><html lang="id"><head><meta charset="utf-8">'
            f"<title>{title} - Kabar Farm {i}</title>"
            f'<meta property="og:title" content="{title}">'
            f'<meta property="og:description" content="{lead}">'
            f'<meta property="og:url" content="{self.base_url}/article/{i}/{j}">'
            f'<meta property="article:published_time" content="{item.published_at.isoformat()}">'
            f"</head><body><header><nav><a href='/'>Beranda</a> <a href='/news'>Berita</a>"
            f"</nav></header><article><h1>{title}</h1>{body}</article>"
            "<footer>Hak cipta dilindungi.</footer></body></html>"
        )
        return web.Response(text=page, content_type="text/html")


def _serve(kind: str, n_feeds: int, items: int, conn: Connection) -> None:
    """Child process: serve the farm; answer "stats" and "stop" on the pipe."""

    async def main() -> None:
        farm = (VariedFarm if kind == "varied" else FeedFarm)(n_feeds, items)
        conn.send(await farm.start())
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command == "stats":
                # Not dataclasses.asdict: it rebuilds the Counter from its (key, count) pairs.
                conn.send({**vars(farm.stats), "per_feed": dict(farm.stats.per_feed)})
            else:
                await farm.stop()
                conn.send("stopped")
                return

    asyncio.run(main())


class FarmProcess:
    """A FeedFarm (or VariedFarm) served from a separate process."""

    def __init__(self, n_feeds: int, items: int = 20, *, kind: str = "plain") -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(kind, n_feeds, items, child), daemon=True
        )
        self.n_feeds = n_feeds
        self.base_url = ""

    def start(self) -> str:
        """Start the child and return the farm's base URL."""
        self._process.start()
        self.base_url = str(self._conn.recv())
        return self.base_url

    def stats(self) -> dict[str, Any]:
        """What the farm has served so far (FarmStats as a dict)."""
        self._conn.send("stats")
        result: dict[str, Any] = self._conn.recv()
        return result

    def stop(self) -> None:
        """Stop the farm and wait for the child."""
        if self._process.is_alive():
            self._conn.send("stop")
            self._conn.recv()
            self._process.join(timeout=10)

    def feed_url(self, i: int) -> str:
        """Return the URL of feed i."""
        return f"{self.base_url}/feed/{i}.xml"


class NoEnrichment(Enricher):
    """Leaves pending articles pending: the cycle is the poll alone (fetch, parse, store)."""

    async def process_pending(self) -> StoryChanges:
        return StoryChanges()


@asynccontextmanager
async def open_bench_ingestor(
    db_path: Path,
    farm: FarmProcess,
    *,
    fetch_pages: bool,
    per_host: int,
    concurrency: int,
    enrich: bool = True,
) -> AsyncIterator[Resources]:
    """A real Ingestor (built by open_resources) on a fresh SQLite file, polling every farm feed.

    Every farm feed is on 127.0.0.1, so the per-host cap is the only limit on concurrency:
    it is raised for the benchmark (a real list spreads over many hosts). Without `enrich`,
    the same Ingestor is rebuilt around NoEnrichment.
    """
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{db_path}",
        fetch_pages=fetch_pages,
        fetch_per_host=per_host,
        poll_concurrency=concurrency,
    )
    async with open_resources(settings, sync_sources=False) as res:
        if not enrich:
            skip = NoEnrichment(res.sessions, res.fetcher, EnrichPolicy(fetch_pages=False), utcnow)
            policy = PollPolicy(
                bounds=Bounds(low=settings.min_interval, high=settings.max_interval),
                pause_after=settings.pause_after_failures,
            )
            ingestor = Ingestor(
                res.sessions, res.fetcher, policy, skip, concurrency=settings.poll_concurrency
            )
            res = replace(res, ingestor=ingestor)
        rows: list[dict[str, Any]] = [
            {"name": f"farm-{i}", "url": farm.feed_url(i), "kind": "rss", "topic": None}
            for i in range(farm.n_feeds)
        ]
        await res.ingestor.sync_sources(rows)
        yield res
