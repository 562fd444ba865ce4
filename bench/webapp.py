"""The Mini App's weight and speed: page weight, time to first byte, API latency under 50
concurrent readers on SQLite and PostgreSQL, and Chromium's time to the first story visible.

The real `newsbot web` runs as its own process (PUBLIC_URL set, a loopback Bot API), on a store
seeded with --stories stories (1–3 outlets each, every article with a clean body of about
2 kB) published over the last week. Half the readers are inside Telegram (signed initData),
half opened a shared link. Each visit: their settings (signed ones), Berita Pilihan, two
pages of a topic, two stories opened from those lists. Measured twice: readers who read
(0.2–1 s between requests, opening the app within the first second), and readers who never
pause (the server saturated: throughput, and latency at that load). The benchmark client
runs on the same machine and takes its share of the CPU.
Targets: page ≤ 100 kB gzip-compressed without images; API p95 ≤ 100 ms.
Run: python -m bench.webapp [--stories 5000] [--readers 50] [--rounds 10] [--postgres URL]
(PostgreSQL is measured when --postgres or TEST_DATABASE_URL names a server.)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bench.telegram_farm import TelegramFarm
from bot.webapp.initdata import sign
from bot.webapp.static import load_assets
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Article, Chat, Source, Story, StoryTopic, Subscription

TOKEN = "7000001:AAE_fake-token-for-bench-only-xyz0123"
READER = 4242
TOPICS = ["nasional", "ekonomi", "olahraga", "teknologi", "hiburan", "politik", "regional"]
WORDS = (
    "warga", "pemerintah", "kota", "desa", "jalan", "banjir", "harga", "beras", "pasar",
    "sekolah", "guru", "rumah", "sakit", "anggaran", "proyek", "tol", "listrik", "air", "bersih",
    "petani", "nelayan", "pelabuhan", "bandara", "kereta", "polisi", "hakim", "sidang", "kasus",
    "pemilu", "partai", "bupati", "gubernur", "menteri", "presiden", "gempa", "hujan", "longsor",
)  # fmt: skip
TARGET_KB = 100.0
TARGET_P95_MS = 100.0


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def page_weight() -> dict[str, dict[str, int]]:
    """Raw and gzip bytes of the page and every file it loads (images aside)."""
    return {
        name: {"raw": len(a.body), "gzip": len(a.gzipped)} for name, a in load_assets().items()
    }


def _sentence(pick: random.Random, n: int) -> str:
    return " ".join(pick.choice(WORDS) for _ in range(n)).capitalize() + "."


async def seed(url: str, stories: int) -> None:
    """A migrated store with `stories` stories over the last week and one reader."""
    engine = create_engine(url)
    now = datetime.now(UTC)
    pick = random.Random(7)
    try:
        await upgrade(engine)
        async with session_factory(engine).begin() as session:
            sources = [
                {
                    "name": f"Media {n}",
                    "url": f"https://media{n}.example/rss",
                    "enabled": True,
                    "consecutive_failures": 0,
                    "next_due_at": now,
                    "created_at": now,
                }
                for n in range(20)
            ]
            await session.execute(insert(Source), sources)
            story_rows, topic_rows, article_rows = [], [], []
            for n in range(stories):
                when = now - timedelta(seconds=pick.uniform(0, 7 * 86400))
                topics = pick.sample(TOPICS, 2)
                story_rows.append(
                    {
                        "id": n + 1,
                        "title": _sentence(pick, 9),
                        "summary": " ".join(_sentence(pick, 14) for _ in range(3)),
                        "image_url": f"https://media{n % 20}.example/img/{n}.jpg",
                        "topics": topics,
                        "published_at": when,
                        "first_seen_at": when,
                        "updated_at": when,
                        "outlet_count": 1 + n % 3,
                        "pushes_owed": False,
                    }
                )
                topic_rows += [
                    {"story_id": n + 1, "topic": t, "published_at": when} for t in topics
                ]
                for k in range(1 + n % 3):
                    article_rows.append(
                        {
                            "url": f"https://media{(n + k) % 20}.example/{n}-{k}",
                            "link": f"https://media{(n + k) % 20}.example/{n}-{k}",
                            "source_id": (n + k) % 20 + 1,
                            "story_id": n + 1,
                            "guid": f"{n}-{k}",
                            "title": _sentence(pick, 9),
                            "published_at": when,
                            "feed_summary": "",
                            "categories": [],
                            "body": "\n\n".join(_sentence(pick, 40) for _ in range(6)),
                            "image_url": f"https://media{n % 20}.example/img/{n}-{k}.jpg",
                            "image_caption": _sentence(pick, 8),
                            "first_seen_at": when,
                        }
                    )
            for table, rows in (
                (Story, story_rows),
                (StoryTopic, topic_rows),
                (Article, article_rows),
            ):
                for i in range(0, len(rows), 1000):
                    await session.execute(insert(table), rows[i : i + 1000])
            chat = {
                "chat_id": READER,
                "thread_id": 0,
                "type": "private",
                "language": "id",
                "active": True,
                "push_enabled": True,
                "created_at": now,
                "updated_at": now,
            }
            await session.execute(insert(Chat).values(chat))
            follows = [
                {"chat_pk": 1, "kind": "topic", "value": t, "created_at": now} for t in TOPICS[:3]
            ]
            await session.execute(insert(Subscription), follows)
        if make_url(url).get_backend_name() == "postgresql":
            async with engine.begin() as conn:  # ids were given explicitly: move the sequence
                await conn.execute(
                    text("SELECT setval('stories_id_seq', (SELECT max(id) FROM stories))")
                )
    finally:
        await engine.dispose()


@asynccontextmanager
async def database(kind: str, postgres: str | None) -> AsyncIterator[str]:
    """A fresh SQLite file or PostgreSQL database, removed after."""
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="bench-webapp-")
        try:
            yield f"sqlite+aiosqlite:///{folder}/webapp.db"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    assert postgres is not None
    base = make_url(postgres)
    name = f"bench_webapp_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def newsbot_web(url: str) -> AsyncIterator[str]:
    """`newsbot web` serving the Mini App on loopback; its base URL."""
    farm = TelegramFarm()
    api = await farm.start()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))} | {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api,
        "DATABASE_URL": url,
        "PUBLIC_URL": base,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("WEBHOOK_URL", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "web", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(600):
                if proc.returncode is not None:
                    raise RuntimeError("newsbot web exited before serving")
                try:
                    async with http.get(f"{base}/app/") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.05)
            else:
                raise TimeoutError("newsbot web never answered")
        yield base
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        _, err = await proc.communicate()
        await farm.close()
        if proc.returncode != 0:
            print(err.decode(errors="replace")[-2000:], file=sys.stderr)


def reader_init_data() -> str:
    """Signed launch data of the seeded reader, as Telegram makes it."""
    user = json.dumps({"id": READER, "first_name": "Ani", "language_code": "id"})
    return sign({"auth_date": str(int(time.time())), "query_id": "AAH", "user": user}, TOKEN)


async def ttfb(base: str, path: str, samples: int = 30) -> list[float]:
    """Milliseconds to the response's first byte (headers), one request at a time."""
    out = []
    async with aiohttp.ClientSession(headers={"Accept-Encoding": "gzip"}) as http:
        for _ in range(samples):
            started = time.perf_counter()
            async with http.get(base + path) as response:
                out.append((time.perf_counter() - started) * 1000)
                await response.read()
    return out


async def readers(
    base: str, count: int, rounds: int, pause: tuple[float, float]
) -> dict[str, Any]:
    """`count` readers at once, each doing `rounds` visits and pausing `pause` seconds (a
    range) between requests, as someone reading does; latency per endpoint in ms."""
    auth = {"Authorization": f"tma {reader_init_data()}"}
    latencies: dict[str, list[float]] = defaultdict(list)
    errors = 0
    pick = random.Random(11)

    async def visit(http: aiohttp.ClientSession, name: str, path: str, signed: bool) -> Any:
        nonlocal errors
        started = time.perf_counter()
        async with http.get(base + path, headers=auth if signed else None) as response:
            body = await response.json()
            latencies[name].append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                errors += 1
        if pause[1] > 0:
            await asyncio.sleep(pick.uniform(*pause))
        return body

    async def reader(http: aiohttp.ClientSession, n: int) -> None:
        # Half inside Telegram (signed, asking in their zone as the page does once it knows
        # the reader's settings), half from a shared link in a browser.
        signed = n % 2 == 0
        ask = "lang=id&zone=WIB" if signed else "lang=id"
        if pause[1] > 0:  # readers open the app over a second, not all in one instant
            await asyncio.sleep(pick.uniform(0, 1))
        for _ in range(rounds):
            if signed:
                await visit(http, "me", "/api/me", True)
            shown = (await visit(http, "pilihan", f"/api/pilihan?{ask}", signed))["stories"]
            topic = pick.choice(TOPICS)
            page = await visit(http, "stories", f"/api/stories?topic={topic}&{ask}", signed)
            shown += page["stories"]
            nxt = page.get("next")
            if nxt:
                query = f"topic={topic}&offset={nxt['offset']}&before={nxt['before']}&{ask}"
                shown += (await visit(http, "stories", f"/api/stories?{query}", signed))["stories"]
            for item in pick.sample(shown, min(2, len(shown))):  # stories opened from a list
                await visit(http, "story", f"/api/stories/{item['id']}?{ask}", signed)

    connector = aiohttp.TCPConnector(limit=count)
    async with aiohttp.ClientSession(connector=connector) as http:
        await asyncio.gather(*(reader(http, n) for n in range(2)))  # warm the pools
        latencies.clear()
        started = time.perf_counter()
        await asyncio.gather(*(reader(http, n) for n in range(count)))
        elapsed = time.perf_counter() - started
    every = [x for values in latencies.values() for x in values]
    return {
        "requests": len(every),
        "errors": errors,
        "per_second": len(every) / elapsed,
        "all": every,
        "by_endpoint": dict(latencies),
    }


def first_story_ms(base: str, loads: int) -> list[float] | str:
    """Chromium's time from navigation to the first story on screen, per load (first: cold)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return "selenium is not installed"
    if not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()):
        return "chromium and chromium-driver are not installed"
    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--window-size=360,780",
        "--host-resolver-rules=MAP telegram.org ~NOTFOUND",  # offline: fail at once
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    times = []
    try:
        for _ in range(loads):
            driver.get("about:blank")
            driver.get(f"{base}/app/")
            deadline = time.monotonic() + 30
            while True:
                mark = driver.execute_script(
                    "const m = performance.getEntriesByName('first-story');"
                    "return m.length ? m[0].startTime : null;"
                )
                if mark is not None:
                    times.append(float(mark))
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError("no story appeared")
                time.sleep(0.02)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return times


async def measure_store(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    """Everything measured on one store."""
    async with database(kind, args.postgres) as url:
        started = time.perf_counter()
        await seed(url, args.stories)
        print(f"  {kind}: seeded {args.stories} stories in {time.perf_counter() - started:.1f} s")
        async with newsbot_web(url) as base:
            page = await ttfb(base, "/app/")
            api = await ttfb(base, "/api/pilihan")
            reading = await readers(base, args.readers, args.rounds, (0.2, 1.0))
            flood = await readers(base, args.readers, args.rounds, (0.0, 0.0))
            browser = await asyncio.to_thread(first_story_ms, base, args.loads)
    return {
        "ttfb_page": page,
        "ttfb_pilihan": api,
        "reading": reading,
        "flood": flood,
        "browser": browser,
    }


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values):>8.1f}{percentile(values, 95):>8.1f}{max(values):>8.1f}"


def main() -> None:
    """Run the benchmark, print a table and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10, help="visits per reader")
    parser.add_argument("--loads", type=int, default=8, help="Chromium page loads (first: cold)")
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()

    weight = page_weight()
    total_gzip = sum(f["gzip"] for f in weight.values())
    total_raw = sum(f["raw"] for f in weight.values())
    print("page weight (what /app/ loads besides Telegram's script and images)")
    print(f"{'file':<14}{'raw B':>9}{'gzip B':>9}")
    for name, sizes in sorted(weight.items()):
        print(f"{name:<14}{sizes['raw']:>9}{sizes['gzip']:>9}")
    verdict = "met" if total_gzip / 1000 <= TARGET_KB else "MISSED"
    print(f"{'total':<14}{total_raw:>9}{total_gzip:>9}   target ≤ {TARGET_KB:.0f} kB: {verdict}")

    stores = ["sqlite"] + (["postgresql"] if args.postgres else [])
    print(
        f"\nnewsbot web (own process) on loopback, {args.stories} stories; {args.readers} "
        f"concurrent readers × {args.rounds} visits (settings, Pilihan, 2 pages of a topic, 2 "
        f"stories opened from them), first reading (0.2–1 s between requests), then with no "
        f"pauses at all (the server saturated)"
    )
    results = {kind: asyncio.run(measure_store(kind, args)) for kind in stores}
    out: dict[str, Any] = {
        "bench": "webapp",
        "stories": args.stories,
        "readers": args.readers,
        "page_gzip_bytes": total_gzip,
        "page_raw_bytes": total_raw,
        "page_target_met": total_gzip / 1000 <= TARGET_KB,
    }
    print(f"\n{'ms':<40}{'median':>8}{'p95':>8}{'max':>8}")
    for kind, r in results.items():
        print(f"{kind}: time to first byte /app/{'':<15}{_ms(r['ttfb_page'])}")
        print(f"{kind}: time to first byte /api/pilihan{'':<8}{_ms(r['ttfb_pilihan'])}")
        summary: dict[str, Any] = {}
        for model, label in (("reading", "reading (0.2–1 s pauses)"), ("flood", "no pauses")):
            load = r[model]
            for name, values in sorted(load["by_endpoint"].items()):
                print(f"{kind}: {label[:9]:<9} API {name:<22}{_ms(values)}")
            p95 = percentile(load["all"], 95)
            verdict = "met" if p95 <= TARGET_P95_MS else "MISSED"
            print(
                f"{kind}: {args.readers} readers {label}: {load['requests']} requests "
                f"{load['per_second']:.0f}/s, {load['errors']} errors, p50 "
                f"{statistics.median(load['all']):.1f} ms, p95 {p95:.1f} ms "
                f"(target ≤ {TARGET_P95_MS:.0f} ms: {verdict})"
            )
            summary[model] = {
                "requests": load["requests"],
                "errors": load["errors"],
                "per_second": round(load["per_second"], 1),
                "p50_ms": round(statistics.median(load["all"]), 2),
                "p95_ms": round(p95, 2),
                "p95_by_endpoint_ms": {
                    k: round(percentile(v, 95), 2) for k, v in sorted(load["by_endpoint"].items())
                },
                "target_met": p95 <= TARGET_P95_MS,
            }
        browser = r["browser"]
        if isinstance(browser, str):
            print(f"{kind}: Chromium first story visible: not measured ({browser})")
        else:
            print(
                f"{kind}: Chromium first story visible: cold {browser[0]:.0f} ms, warm median "
                f"{statistics.median(browser[1:] or browser):.0f} ms ({len(browser)} loads)"
            )
        out[kind] = {
            "ttfb_page_median_ms": round(statistics.median(r["ttfb_page"]), 2),
            "ttfb_pilihan_median_ms": round(statistics.median(r["ttfb_pilihan"]), 2),
            **summary,
            "first_story_cold_ms": None if isinstance(browser, str) else round(browser[0], 1),
            "first_story_warm_median_ms": None
            if isinstance(browser, str)
            else round(statistics.median(browser[1:] or browser), 1),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
