"""Inline mode's speed: what a reader waits for between typing `@bot …` and seeing results.

On a store seeded with --stories stories over the last week (bench.webapp's seed: 1–3 outlets
each, 2-kB bodies) and indexed for search, the real Application answers inline queries
through a loopback Bot API (bench.telegram_farm), update by update: the empty query (today's
Berita Pilihan, first and third page), one word, two words, a phrase with an exclusion, and a
256-character query. The Application is built without the sending budget, so the figures are
the bot's own work (as `newsbot run` builds it, each answer also waits for an overall slot at
SEND_RATE). Also: Berita Pilihan's ranking as it loaded candidates before (whole rows) and now
(the four columns the score reads), with the 20 picks read after.
Run: python -m bench.inline [--stories 10000] [--samples 60] [--postgres URL]
(PostgreSQL is measured when --postgres or TEST_DATABASE_URL names a server.)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from pydantic import SecretStr
from sqlalchemy import or_, select
from telegram import Update

from bench.telegram_farm import TelegramFarm
from bench.webapp import TOKEN, WORDS, database, percentile, seed
from bot.config import Settings
from bot.delivery.pilihan import AHEAD, PickPolicy, editorial_order, ranked_ids
from bot.ingest.indexing import reindex
from bot.runtime import open_resources
from bot.telegram.app import build_application
from storage.models import Story
from storage.stories import views_by_ids, views_of

PAGE = 20


def _update(n: int, query: str, offset: str = "") -> dict[str, Any]:
    user = {"id": 4242, "is_bot": False, "first_name": "Ani", "language_code": "id"}
    body = {"id": f"iq{n}", "from": user, "query": query, "offset": offset}
    return {"update_id": n, "inline_query": body}


def _queries(kind: str, samples: int, pick: random.Random) -> list[tuple[str, str]]:
    """(query, offset) pairs of one kind, different each time where the kind allows."""
    if kind == "empty, page 1":
        return [("", "")] * samples
    if kind == "empty, page 3":
        return [("", "40")] * samples
    if kind == "one word":
        return [(pick.choice(WORDS), "") for _ in range(samples)]
    if kind == "two words":
        return [(" ".join(pick.sample(WORDS, 2)), "") for _ in range(samples)]
    if kind == "phrase, -word":
        return [
            (f'"{pick.choice(WORDS)} {pick.choice(WORDS)}" -{pick.choice(WORDS)}', "")
            for _ in range(samples)
        ]
    return [(" ".join(pick.choice(WORDS) for _ in range(60))[:256], "") for _ in range(samples)]


KINDS = ["empty, page 1", "empty, page 3", "one word", "two words", "phrase, -word", "256 chars"]


async def _old_pick(session: Any, now: datetime, policy: PickPolicy) -> list[Any]:
    """Berita Pilihan's candidates as they were read before: whole rows (for comparison)."""
    since = now - policy.window
    query = (
        select(Story)
        .where(
            or_(Story.published_at >= since, Story.pinned_at >= since),
            Story.published_at <= now + AHEAD,
        )
        .order_by(Story.published_at.desc())
        .limit(policy.candidates)
    )
    stories = list((await session.scalars(query)).all())
    ordered = [story for story, _ in editorial_order(stories, now, policy)]
    return await views_of(session, ordered[:PAGE])


async def measure_store(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    """Seed, index, then time rankings and inline answers on one store."""
    async with database(kind, args.postgres) as url:
        started = time.perf_counter()
        await seed(url, args.stories)
        print(f"  {kind}: seeded {args.stories} stories in {time.perf_counter() - started:.1f} s")
        farm = TelegramFarm()
        api = await farm.start()
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token=SecretStr(TOKEN),
            telegram_api_url=api,
            database_url=url,
        )
        try:
            async with open_resources(settings, sync_sources=False) as resources:
                started = time.perf_counter()
                indexed = await reindex(resources.sessions)
                took = time.perf_counter() - started
                print(f"  {kind}: indexed {indexed} stories in {took:.1f} s")
                ranking = await _rankings(resources.sessions, args.samples, settings)
                app = build_application(settings, resources)
                await app.initialize()
                try:
                    answers = await _answers(app, args.samples)
                finally:
                    await app.shutdown()
        finally:
            await farm.close()
    return {"ranking": ranking, "answers": answers}


async def _rankings(sessions: Any, samples: int, settings: Settings) -> dict[str, list[float]]:
    policy = PickPolicy()
    times: dict[str, list[float]] = {"whole rows (before)": [], "four columns (now)": []}
    for _ in range(samples):
        now = datetime.now(UTC)
        async with sessions() as session:
            started = time.perf_counter()
            before = await _old_pick(session, now, policy)
            times["whole rows (before)"].append((time.perf_counter() - started) * 1000)
        async with sessions() as session:
            started = time.perf_counter()
            ids = await ranked_ids(session, now=now, tz=settings.tz, policy=policy)
            after = await views_by_ids(session, ids[:PAGE])
            times["four columns (now)"].append((time.perf_counter() - started) * 1000)
        assert [v.id for v in before] == [v.id for v in after], "the two rankings differ"
    return times


async def _answers(app: Any, samples: int) -> dict[str, dict[str, Any]]:
    pick = random.Random(12)
    results: dict[str, dict[str, Any]] = {}
    n = 1
    for kind in KINDS:
        times: list[float] = []
        for query, offset in _queries(kind, samples, pick):
            update = Update.de_json(_update(n, query, offset), app.bot)
            n += 1
            started = time.perf_counter()
            await app.process_update(update)
            times.append((time.perf_counter() - started) * 1000)
        results[kind] = {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 95), 2),
            "max_ms": round(max(times), 2),
        }
    return results


def main() -> None:
    """Run the benchmark, print a table and one JSON line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stories", type=int, default=10000)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    stores = ["sqlite"] + (["postgresql"] if args.postgres else [])
    print(f"inline answers on {args.stories} stories over a week, {args.samples} samples each")
    found = {kind: asyncio.run(measure_store(kind, args)) for kind in stores}
    for kind, result in found.items():
        print(f"\n{kind}: Berita Pilihan's ranking, {PAGE} picks read (ms)")
        print(f"{'candidates read as':<24}{'p50':>8}{'p95':>8}")
        for name, times in result["ranking"].items():
            print(f"{name:<24}{statistics.median(times):>8.1f}{percentile(times, 95):>8.1f}")
        print(f"{kind}: inline answer, update in to answer accepted by the Bot API (ms)")
        print(f"{'query':<24}{'p50':>8}{'p95':>8}{'max':>8}")
        for name, row in result["answers"].items():
            print(f"{name:<24}{row['p50_ms']:>8.1f}{row['p95_ms']:>8.1f}{row['max_ms']:>8.1f}")
    summary = {
        kind: {
            "ranking_p50_ms": {
                name: round(statistics.median(times), 2)
                for name, times in result["ranking"].items()
            },
            "answers": result["answers"],
        }
        for kind, result in found.items()
    }
    print(json.dumps({"bench": "inline", "stories": args.stories, "stores": summary}))


if __name__ == "__main__":
    main()
