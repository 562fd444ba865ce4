"""How fast a reader's /latest is answered while a 30 msg/s broadcast runs, and 429s.

The real Application, built as `newsbot run` builds it (replies draw on the process's send
budget through PTB's rate limiter), with delivery running a broadcast to N chats against the
limit-enforcing Bot API farm in its own process. Readers send /latest at random moments
(Poisson arrivals) while the broadcast goes on; each latency is from the update's arrival to
the moment the handler is done, that is, Telegram accepted the reply. Reported: p50, p95 and
the worst latency (target p95 ≤ 2 s), 429s the farm answered (target 0), and the broadcast's
own rate meanwhile. On SQLite, and on PostgreSQL (where the budget is shared in the database).

Run: python -m bench.replies [--chats 2000] [--readers 50] [--requests 150] [--every 0.2]
     [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres | --sqlite-only]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr
from telegram import Update

from bench.fanout import TOKEN, database, farm_call, farm_process, seed
from bot.cli.processes import build_budget
from bot.config import Settings
from bot.delivery.service import start_delivery
from bot.runtime import open_resources
from bot.telegram.app import build_application
from bot.telegram.typed_context import BotApp
from storage import stories

DEFAULT_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
FIRST_READER = 900_000


def latest_update(update_id: int, reader: int) -> dict[str, Any]:
    """A private /latest as Telegram sends it."""
    person = {"id": reader, "is_bot": False, "first_name": "Pembaca", "language_code": "id"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": reader, "type": "private", "first_name": "Pembaca"},
            "from": person,
            "text": "/latest",
            "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
        },
    }


async def add_stories(app: BotApp, n: int) -> None:
    """Stories for /latest to list."""
    resources = app.bot_data.resources
    assert resources is not None
    now = datetime.now(UTC)
    async with resources.sessions.begin() as session:
        for i in range(n):
            when = now - timedelta(minutes=i)
            row = {
                "title": f"Berita uji nomor {i}: harga beras naik di pasar induk",
                "summary": "Kalimat pertama. Kalimat kedua. Kalimat ketiga.",
                "published_at": when,
                "first_seen_at": when,
                "updated_at": when,
                "outlet_count": 1,
            }
            await stories.create_story(session, row, topics=("ekonomi",))


async def measure(url: str, api: str, options: argparse.Namespace) -> dict[str, Any]:
    """One store: the broadcast, the readers, the latencies."""
    await seed(url, options.chats)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=SecretStr(TOKEN),
        telegram_api_url=api,
        database_url=url,
        send_rate=30,
    )
    farm_call(api, "/_reset", post=True)
    latencies: list[float] = []
    async with open_resources(settings, sync_sources=False) as resources:
        budget = build_budget(settings, resources)
        app = build_application(settings, resources, budget=budget)
        await app.initialize()
        try:
            await add_stories(app, 12)
            service = await start_delivery(app, resources, settings, sole=True, budget=budget)
            try:
                start = time.monotonic()
                latencies = await readers(app, options)
                elapsed = time.monotonic() - start
            finally:
                await service.stop()
        finally:
            await app.shutdown()
    stats = farm_call(api, "/_stats")
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
        "max_s": round(ordered[-1], 3),
        "too_many": stats["too_many"],
        "worst_second": stats["worst_second"],
        "broadcast_rate": round((stats["received"] - len(latencies)) / elapsed, 1),
    }


async def readers(app: BotApp, options: argparse.Namespace) -> list[float]:
    """Send the requests at Poisson moments; return each one's latency."""
    rng = random.Random(7)
    latencies: list[float] = []

    async def ask(update_id: int, reader: int) -> None:
        update = Update.de_json(latest_update(update_id, reader), app.bot)
        began = time.monotonic()
        await app.process_update(update)
        latencies.append(time.monotonic() - began)

    await asyncio.sleep(3)  # the broadcast is under way
    tasks = []
    for n in range(options.requests):
        reader = FIRST_READER + rng.randrange(options.readers)
        tasks.append(asyncio.create_task(ask(n + 1, reader)))
        await asyncio.sleep(rng.expovariate(1 / options.every))
    await asyncio.gather(*tasks)
    return latencies


def main() -> None:
    """Measure on SQLite and PostgreSQL; print a table and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--every", type=float, default=0.2, help="mean seconds between asks")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--sqlite-only", action="store_true")
    options = parser.parse_args()
    results: dict[str, Any] = {}
    stores = [("sqlite", None)] + ([] if options.sqlite_only else [("postgresql", "pg")])
    with farm_process(paid_rate=0) as api:
        for name, pg in stores:
            with database(options.database_url if pg else None) as url:
                results[name] = asyncio.run(measure(url, api, options))
            r = results[name]
            print(
                f"{name:<10} {r['requests']} replies  p50 {r['p50_s']} s  p95 {r['p95_s']} s  "
                f"max {r['max_s']} s  429 {r['too_many']}  worst second {r['worst_second']}  "
                f"broadcast {r['broadcast_rate']} msg/s",
                flush=True,
            )
    print(json.dumps({"bench": "replies", **results}))


if __name__ == "__main__":
    main()
