"""Measure the fetcher on loopback: full polls, conditional polls, articles, a gzip bomb.

Client and farm share one process and event loop on 2 cores, so the figures are a floor for
the fetcher's own overhead, not a forecast of real sites. Run: python -m bench.fetch
"""

from __future__ import annotations

import asyncio
import json
import time
import tracemalloc
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from aiohttp import web

from bench.poll_server import FeedFarm
from bot.news.fetch.client import Fetcher, FetchError, FetchPolicy, FetchResult

N_FEEDS = 300


@dataclass(frozen=True)
class Row:
    name: str
    requests: int
    seconds: float
    megabytes: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def _timed(
    name: str, fetcher: Fetcher, urls: Sequence[str], etags: Sequence[str | None]
) -> Row:
    start = time.perf_counter()
    results: list[FetchResult] = await asyncio.gather(
        *(fetcher.get(url, etag=etag) for url, etag in zip(urls, etags, strict=True))
    )
    seconds = time.perf_counter() - start
    size = sum(len(r.body) for r in results) / 1e6
    return Row(name, len(urls), seconds, size)


async def _poll_rows(farm: FeedFarm) -> list[Row]:
    feeds = [farm.feed_url(i) for i in range(N_FEEDS)]
    articles = [farm.article_url(i, 0) for i in range(N_FEEDS)]
    rows = []
    for per_host in (4, 16):
        async with Fetcher(FetchPolicy(per_host=per_host)) as fetcher:
            rows.append(
                await _timed(f"full poll, per_host={per_host}", fetcher, feeds, [None] * N_FEEDS)
            )
            tags = [farm.etag(i) for i in range(N_FEEDS)]
            rows.append(await _timed(f"304 poll, per_host={per_host}", fetcher, feeds, tags))
            rows.append(
                await _timed(f"articles, per_host={per_host}", fetcher, articles, [None] * N_FEEDS)
            )
    return rows


async def _bomb_row() -> tuple[Row, int]:
    """Fetch 50 MB of gzipped zeros under the default 5 MB cap; return time and peak memory."""
    squeezer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(squeezer.compress(b"\0" * 1_000_000) for _ in range(50)) + squeezer.flush()

    async def serve(request: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Encoding": "gzip"})

    app = web.Application()
    app.router.add_get("/bomb", serve)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        async with Fetcher() as fetcher:
            tracemalloc.start()
            start = time.perf_counter()
            try:
                await fetcher.get(f"http://{host}:{port}/bomb")
                raise SystemExit("the gzip bomb was accepted")
            except FetchError as err:
                seconds = time.perf_counter() - start
                print(f"gzip bomb refused: {err.message}")
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    finally:
        await runner.cleanup()
    return Row("gzip bomb", 1, seconds, len(bomb) / 1e6), peak


async def _main() -> None:
    farm = FeedFarm(N_FEEDS)
    await farm.start()
    try:
        rows = await _poll_rows(farm)
    finally:
        await farm.stop()
    bomb, peak = await _bomb_row()
    print(f"{'scenario':32} {'requests':>8} {'seconds':>8} {'req/s':>8} {'MB body':>8}")
    for row in rows:
        print(
            f"{row.name:32} {row.requests:8d} {row.seconds:8.3f} {row.per_second:8.0f}"
            f" {row.megabytes:8.2f}"
        )
    print(
        f"gzip bomb ({bomb.megabytes:.2f} MB compressed, 50 MB expanded, cap 5 MB): refused in"
        f" {bomb.seconds:.3f} s, peak traced memory {peak / 1e6:.1f} MB"
    )
    figures: dict[str, float] = {
        row.name.replace(", ", "_").replace(" ", "_") + "_rps": round(row.per_second, 1)
        for row in rows
    }
    figures["bomb_seconds"] = round(bomb.seconds, 3)
    figures["bomb_peak_mb"] = round(peak / 1e6, 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(_main())
