"""Latency from a story appearing in a feed to its push arriving at the Bot API.

The real `newsbot run` runs as its own process on a fresh SQLite file, with one source (a
loopback feed polled every --interval s) and one reader following the keyword "latensi". The
feed farm and the loopback Bot API (bench.telegram_farm, no limits) run in this process, so
both ends are timed on one clock. Each sample publishes an item at a random moment of the poll
cycle and waits for the push; the target is at most the interval + 5 s.
Run: python -m bench.latency [--samples 6] [--interval 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web
from sqlalchemy import insert

from bench.poll_server import FeedFarm
from bench.telegram_farm import TelegramFarm
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Chat, Subscription

TOKEN = "7000001:AAE_fake-token-for-bench-only-xyz0123"
READER = 4242
KEYWORD = "latensi"
SLACK = 5.0
_WORDS = [
    "warga",
    "pemerintah",
    "kota",
    "desa",
    "jalan",
    "banjir",
    "harga",
    "beras",
    "pasar",
    "sekolah",
    "guru",
    "rumah",
    "sakit",
    "anggaran",
    "proyek",
    "tol",
    "listrik",
    "air",
    "bersih",
    "petani",
    "nelayan",
    "pelabuhan",
    "bandara",
    "kereta",
    "bus",
    "polisi",
    "hakim",
    "sidang",
    "kasus",
    "korupsi",
    "pemilu",
    "partai",
    "calon",
    "bupati",
    "gubernur",
    "menteri",
    "presiden",
    "gempa",
    "hujan",
    "angin",
    "longsor",
    "panen",
    "pupuk",
    "subsidi",
    "pajak",
    "ekspor",
    "impor",
    "rupiah",
    "saham",
    "bank",
    "kredit",
    "usaha",
    "kecil",
    "pabrik",
    "buruh",
    "upah",
    "libur",
    "mudik",
    "wisata",
    "pantai",
    "gunung",
    "hutan",
    "sungai",
]


class TimedFarm(FeedFarm):
    """The FeedFarm with unique article text per item (so each item is a new story) and the
    time of every feed request (the poll schedule actually followed)."""

    polls: list[float]

    def __post_init__(self) -> None:
        super().__post_init__()
        self.polls = []

    async def _feed(self, request: web.Request) -> web.Response:
        self.polls.append(time.monotonic())
        return await super()._feed(request)

    async def _article(self, request: web.Request) -> web.Response:
        i, j = int(request.match_info["i"]), int(request.match_info["j"])
        if j >= len(self._feeds[i].items):
            raise web.HTTPNotFound()
        item = self._feeds[i].items[j]
        pick = random.Random(f"{i}-{j}-{item.title}")
        paragraphs = "".join(
            "<p>" + " ".join(pick.choice(_WORDS) for _ in range(60)) + ".</p>" for _ in range(4)
        )
        page = (
            f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{item.title}'
            f'</title><meta property="og:title" content="{item.title}"></head><body>'
            f"<article><h1>{item.title}</h1>{paragraphs}</article></body></html>"
        )
        return web.Response(text=page, content_type="text/html")


async def seed(database_url: str) -> None:
    """A migrated database with one reader following the keyword."""
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    try:
        await upgrade(engine)
        async with session_factory(engine).begin() as session:
            chat = {"chat_id": READER, "thread_id": 0, "type": "private", "language": "id"}
            flags = {"active": True, "push_enabled": True, "created_at": now, "updated_at": now}
            await session.execute(insert(Chat).values(**chat, **flags))
            await session.execute(
                insert(Subscription).values(
                    chat_pk=1, kind="keyword", value=KEYWORD, created_at=now
                )
            )
    finally:
        await engine.dispose()


async def measure(samples: int, interval: int, fetch_pages: bool) -> dict[str, object]:
    """Run the bot, publish `samples` items, return latencies and the poll schedule."""
    feeds, telegram = TimedFarm(1), TelegramFarm()
    feed_base, api = await feeds.start(), await telegram.start()
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite+aiosqlite:///{Path(tmp) / 'latency.db'}"
        await seed(database)
        sources = Path(tmp) / "sources.toml"
        sources.write_text(
            f'[[sources]]\nname = "Kabar Farm"\nurl = "{feed_base}/feed/0.xml"\n'
            f"interval = {interval}\n",
            encoding="utf-8",
        )
        env = os.environ | {
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api,
            "DATABASE_URL": database,
            "SOURCES_FILE": str(sources),
            "MIN_INTERVAL": str(interval),
            "FETCH_PAGES": "true" if fetch_pages else "false",
            "LOG_LEVEL": "WARNING",
            "PTB_TIMEDELTA": "1",
        }
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        latencies: list[float] = []
        after_poll: list[float] = []  # from the poll that found the item to the push
        try:
            await _wait(lambda: len(feeds.polls) >= 1, 60, bot, "the first poll")
            await asyncio.sleep(3)  # the backlog's stories are stored (not pushed: no keyword)
            for k in range(samples):
                await asyncio.sleep(random.uniform(0, interval))
                title = f"Uji {KEYWORD} {k} {uuid.uuid4().hex[:6]}"
                published = time.monotonic()
                feeds.publish(0, title)

                def arrived(title: str = title) -> bool:
                    return any(title in r.text for r in telegram.received)

                await _wait(arrived, 2 * interval + 30, bot, f"the push of sample {k}")
                at = next(r.at for r in telegram.received if title in r.text)
                latencies.append(at - published)
                after_poll.append(at - max(t for t in feeds.polls if t <= at))
                print(f"  sample {k + 1}/{samples}: {at - published:.2f} s", flush=True)
        finally:
            if bot.returncode is None:
                bot.send_signal(signal.SIGTERM)
            _, err = await bot.communicate()
            await feeds.stop()
            await telegram.close()
    gaps = [b - a for a, b in zip(feeds.polls, feeds.polls[1:], strict=False)]
    return {
        "latencies": latencies,
        "after_poll": after_poll,
        "poll_gaps": gaps,
        "bot_exit": bot.returncode,
        "bot_stderr": err.decode(errors="replace")[-2000:],
        "pushes": len(telegram.received),
    }


async def _wait(check: object, seconds: float, bot: asyncio.subprocess.Process, what: str) -> None:
    assert callable(check)
    deadline = time.monotonic() + seconds
    while not check():
        if bot.returncode is not None:
            raise RuntimeError(f"newsbot run exited ({bot.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def main() -> None:
    """Run the benchmark, print a table and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=6)
    parser.add_argument("--interval", type=int, default=30, help="the source's poll interval")
    parser.add_argument("--no-pages", action="store_true", help="FETCH_PAGES=false")
    args = parser.parse_args()
    print(
        f"newsbot run (own process), SQLite, 1 loopback feed polled every {args.interval} s "
        f"(MIN_INTERVAL={args.interval}), FETCH_PAGES={'off' if args.no_pages else 'on'}; "
        f"{args.samples} items published at random moments",
        flush=True,
    )
    figures = asyncio.run(measure(args.samples, args.interval, not args.no_pages))
    lat = [float(x) for x in figures["latencies"]]  # type: ignore[attr-defined]
    gaps = [float(x) for x in figures["poll_gaps"]]  # type: ignore[attr-defined]
    work = [float(x) for x in figures["after_poll"]]  # type: ignore[attr-defined]
    target = args.interval + SLACK
    print(f"{'':<24}{'min':>8}{'median':>9}{'max':>8}")
    print(f"{'latency s':<24}{min(lat):>8.2f}{statistics.median(lat):>9.2f}{max(lat):>8.2f}")
    print(f"{'poll to push s':<24}{min(work):>8.2f}{statistics.median(work):>9.2f}"
          f"{max(work):>8.2f}")  # fmt: skip
    if gaps:
        print(f"{'poll gap s (observed)':<24}{min(gaps):>8.2f}{statistics.median(gaps):>9.2f}"
              f"{max(gaps):>8.2f}")  # fmt: skip
    verdict = "met" if max(lat) <= target else "MISSED"
    print(f"target: every push within interval + {SLACK:.0f} s = {target:.0f} s: {verdict}")
    out = {
        "bench": "latency",
        "interval_s": args.interval,
        "samples": len(lat),
        "latency_min_s": round(min(lat), 3),
        "latency_median_s": round(statistics.median(lat), 3),
        "latency_max_s": round(max(lat), 3),
        "latencies_s": [round(x, 3) for x in lat],
        "poll_to_push_max_s": round(max(work), 3),
        "poll_gap_max_s": round(max(gaps), 3) if gaps else None,
        "target_s": target,
        "target_met": max(lat) <= target,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
