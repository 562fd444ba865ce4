"""Personal Berita Pilihan: does learning from 👍/👎 taps put what a reader likes in the digest?

`python -m bench.personal [--readers 200] [--seed 7] [--postgres URL] [--json]`

Stories: the 2,092 IndoSum dev articles (../shared/data, never eval/), topics and province from
the bot's own classifier (as the ingest calls it: headline, text, address), the outlet the
article's `source`. They are shuffled (seeded) over 14 days, ~150 a day published between 00:00
and 20:00 WIB, each with a coverage (`outlet_count`: mostly 1, some 2–8) and one or two editor
pins a day, so the editorial score (`bot.delivery.pilihan.score`) has something to rank.

Readers: simulated chats, each with hidden tastes: two liked topics, one liked province and one
disliked topic, drawn in proportion to how often they occur (a disliked topic never one that
most stories of a liked topic carry). A story is relevant to a reader when it has a liked topic
or the liked province and not the disliked topic. At 20:00 each day every reader gets a digest
of 5 ranked as the digest job ranks it (`bot.delivery.personal.picks_for_chats`, pages of 100
chats, one FeatureCache per day), then taps "more" on each relevant item and "less" on each
item with the disliked topic, each with probability --tap (0.6); a share --noise (0.1) of the
taps go wrong (the other vote, or a random item of the digest). Taps go through
`bot.delivery.personal.learn`, one transaction each, in a real migrated SQLite file (or a
throw-away PostgreSQL schema with --postgres).

Reported per day: mean precision@5 against the hidden tastes of the personal digest and of the
editorial ranking of the same candidates (`affinity.rank` with no weights: pins, then the score),
their difference, the same ranking told the hidden tastes as weights (what learning could reach
at best, pins and the room outside the habits kept), the share of digest items outside the
reader's habits (`Picks.outside`), how many of those were relevant anyway, and the digests
left with less than one in five outside.
Then the ranking cost per chat and digest: the pure `affinity.rank` call (µs), `pick_for_chat`
with its queries (ms; `/pilihan`'s path, one chat at a time; its picks must equal the digest
job's) and the digest job's `picks_for_chats` per chat of a page. Goal (issue 17): +0.25
precision@5 over editorial by day 7, at least one item in five outside the habits, ranking
≤ 1 ms per chat. Figures are deterministic for a --seed (timings aside).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench._data import indosum_headline, indosum_rows
from bench._schema import throwaway_store
from bot.delivery.personal import (
    FeatureCache,
    candidates_of,
    learn,
    pick_for_chat,
    picks_for_chats,
)
from bot.delivery.pilihan import PickPolicy, candidate_rows
from bot.news import affinity
from bot.news.affinity import Candidate, Picks, Signal
from bot.news.topics.classify import classify
from bot.news.topics.taxonomy import REGION_PREFIX
from storage.db import session_factory
from storage.models import Article, Chat, Source, Story

TZ = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 11, 2, tzinfo=TZ)  # day 1, local midnight
DAYS = 14
NEWS_HOURS = 20  # stories are published between 00:00 and 20:00; the digest goes at 20:00
SIZE = PickPolicy().size
# Coverage: how many outlets carry a story. Most stories one, a few many.
COVERAGE = {1: 60, 2: 15, 3: 9, 4: 6, 5: 4, 6: 3, 7: 2, 8: 1}
# Topics that are no taste of their own: "regional" only marks that a province was found.
NOT_A_TASTE = frozenset({"regional"})
CONTRADICTS = 0.3  # a topic carried by this share of a liked topic's stories is never disliked
PAGE = 100  # chats ranked per transaction, as the digest job pages them


@dataclass(frozen=True, slots=True)
class Item:
    """One IndoSum article as a story: what the store gets and what the readers judge."""

    title: str
    lead: str
    url: str
    outlet: str
    topics: tuple[str, ...]  # the classifier's, "region:<province>" included

    @property
    def subjects(self) -> frozenset[str]:
        return frozenset(t for t in self.topics if not t.startswith(REGION_PREFIX))

    @property
    def province(self) -> str | None:
        found = [t.removeprefix(REGION_PREFIX) for t in self.topics if t.startswith(REGION_PREFIX)]
        return found[0] if found else None


def load_items() -> list[Item]:
    """The IndoSum dev articles, classified as the ingest classifies a story."""
    items = []
    for row in indosum_rows():
        text = "\n".join(" ".join(p) for p in row["paragraphs"])
        title = indosum_headline(row)
        topics = classify(title=title, text=text, url=row["source_url"])
        lead = " ".join(s for p in row["paragraphs"][:1] for s in p[:2])
        items.append(Item(title, lead, row["source_url"], row["source"], tuple(topics)))
    return items


@dataclass(frozen=True, slots=True)
class Reader:
    """A simulated chat's hidden tastes."""

    liked: frozenset[str]
    province: str
    disliked: str

    def relevant(self, item: Item) -> bool:
        if self.disliked in item.subjects:
            return False
        return bool(self.liked & item.subjects) or item.province == self.province

    def weights(self) -> dict[str, float]:
        """The tastes as affinity weights, as if learning had found exactly them."""
        liked = {f"{affinity.TOPIC}:{t}": affinity.CLAMP for t in self.liked}
        return liked | {
            f"{affinity.PROVINCE}:{self.province}": affinity.CLAMP,
            f"{affinity.TOPIC}:{self.disliked}": -affinity.CLAMP,
        }


def draw_readers(items: Sequence[Item], n: int, rng: random.Random) -> list[Reader]:
    """`n` readers whose tastes are drawn in proportion to how often each occurs."""
    topics: Counter[str] = Counter()
    provinces: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    for item in items:
        subjects = item.subjects - NOT_A_TASTE
        topics.update(subjects)
        together.update((a, b) for a in subjects for b in subjects if a != b)
        if item.province is not None:
            provinces[item.province] += 1
    names = sorted(topics)  # a set's order changes between runs; the draws must not
    counts = [topics[t] for t in names]
    places = sorted(provinces)
    readers = []
    for _ in range(n):
        liked: set[str] = set()
        while len(liked) < 2:
            liked.add(rng.choices(names, counts)[0])
        # A reader who dislikes what most of a liked topic's stories carry likes nothing there.
        allowed = [
            t
            for t in names
            if t not in liked and all(together[(a, t)] <= CONTRADICTS * topics[a] for a in liked)
        ]
        disliked = rng.choices(allowed, [topics[t] for t in allowed])[0]
        province = rng.choices(places, [provinces[p] for p in places])[0]
        readers.append(Reader(frozenset(liked), province, disliked))
    return readers


@dataclass(frozen=True, slots=True)
class Placed:
    """A story's place in the simulated fortnight."""

    day: int  # 0-based
    published_at: datetime
    outlet_count: int
    pinned_at: datetime | None


def digest_time(day: int) -> datetime:
    return (START + timedelta(days=day, hours=NEWS_HOURS)).astimezone(UTC)


def place(count: int, rng: random.Random) -> list[Placed]:
    """Spread `count` stories over the days (seeded), with coverage and a pin or two a day."""
    order = list(range(count))
    rng.shuffle(order)
    day_of = {story: n * DAYS // count for n, story in enumerate(order)}
    by_day: dict[int, list[int]] = {}
    for story, day in day_of.items():
        by_day.setdefault(day, []).append(story)
    pinned = {s for stories in by_day.values() for s in rng.sample(stories, rng.choice((1, 2)))}
    sizes, weights = list(COVERAGE), list(COVERAGE.values())
    placed = []
    for story in range(count):
        day = day_of[story]
        at = START + timedelta(days=day, seconds=rng.randrange(NEWS_HOURS * 3600))
        pin = min(at + timedelta(minutes=30), digest_time(day) - timedelta(minutes=1))
        placed.append(
            Placed(
                day,
                at.astimezone(UTC),
                rng.choices(sizes, weights)[0],
                pin if story in pinned else None,
            )
        )
    return placed


async def seed(
    sessions: async_sessionmaker[AsyncSession],
    items: Sequence[Item],
    placed: Sequence[Placed],
    readers: int,
) -> None:
    """Sources, stories (ids 1..n in the items' order), one article each, and the chats."""
    outlets = {name: n + 1 for n, name in enumerate(sorted({i.outlet for i in items}))}
    made = START.astimezone(UTC) - timedelta(days=1)
    async with sessions.begin() as session:
        await session.execute(
            insert(Source),
            [
                {"id": pk, "name": name, "url": f"https://{pk}.example/rss",
                 "next_due_at": made, "created_at": made}
                for name, pk in outlets.items()
            ],
        )  # fmt: skip
        await session.execute(
            insert(Story),
            [
                {"id": n + 1, "title": item.title, "summary": item.lead,
                 "topics": list(item.topics), "published_at": p.published_at,
                 "first_seen_at": p.published_at, "updated_at": p.published_at,
                 "outlet_count": p.outlet_count, "pinned_at": p.pinned_at, "pushes_owed": False}
                for n, (item, p) in enumerate(zip(items, placed, strict=True))
            ],
        )  # fmt: skip
        await session.execute(
            insert(Article),
            [
                {"url": item.url, "link": item.url, "source_id": outlets[item.outlet],
                 "story_id": n + 1, "title": item.title, "published_at": p.published_at,
                 "first_seen_at": p.published_at}
                for n, (item, p) in enumerate(zip(items, placed, strict=True))
            ],
        )  # fmt: skip
        await session.execute(
            insert(Chat),
            [
                {"id": pk, "chat_id": 1000 + pk, "thread_id": 0, "type": "private",
                 "language": "id", "created_at": made, "updated_at": made}
                for pk in range(1, readers + 1)
            ],
        )  # fmt: skip


@dataclass
class Day:
    """One day's figures."""

    personal: list[float]
    editorial: list[float]
    known: list[float]  # the same ranking told the hidden tastes: the most learning can reach
    outside: list[float]
    outside_relevant: list[bool]  # for each out-of-habit item: relevant to the hidden tastes?
    rank_us: list[float]  # affinity.rank alone, per chat
    pick_ms: list[float]  # pick_for_chat (/pilihan), per chat
    page_ms: list[float]  # picks_for_chats (the digest job), per chat of a page
    taps: Counter[str]
    short: int = 0  # digests with less than one item in five outside the habits
    differing: int = 0  # chats whose pick_for_chat and picks_for_chats disagree


async def day_candidates(
    session: AsyncSession, now: datetime, cache: FeatureCache
) -> list[Candidate]:
    """The day's candidates in the editorial order, as the digest ranks them."""
    policy = PickPolicy()
    rows = await candidate_rows(session, now=now, tz=TZ, policy=policy)
    return await candidates_of(session, rows, now, policy, cache)


def taps_of(
    reader: Reader,
    shown: Sequence[int],
    items: Sequence[Item],
    rng: random.Random,
    tap: float,
    noise: float,
) -> list[tuple[int, Signal]]:
    """What the reader taps under a digest of these story ids."""
    taps = []
    for story_id in shown:
        item = items[story_id - 1]
        if reader.disliked in item.subjects:
            signal = Signal.LESS
        elif reader.relevant(item):
            signal = Signal.MORE
        else:
            continue
        if rng.random() >= tap:
            continue
        if rng.random() < noise:  # a slip: the other vote, or a random item of the digest
            if rng.random() < 0.5:
                signal = Signal.MORE if signal is Signal.LESS else Signal.LESS
            else:
                story_id = rng.choice(shown)
        taps.append((story_id, signal))
    return taps


async def simulate(
    engine: AsyncEngine, items: Sequence[Item], readers: Sequence[Reader], args: argparse.Namespace
) -> list[Day]:
    """Fourteen days of digests and taps; the figures of each day."""
    sessions = session_factory(engine)
    rng = random.Random(args.seed)
    await seed(sessions, items, place(len(items), rng), len(readers))
    days = []
    for day in range(DAYS):
        now = digest_time(day)
        cache = FeatureCache()  # one per digest run, as the digest job keeps it
        figures = Day([], [], [], [], [], [], [], [], Counter())
        async with sessions() as session:
            candidates = await day_candidates(session, now, cache)
        editorial = affinity.rank(candidates, {}, SIZE).ids
        digests: dict[int, Picks] = {}
        for start in range(1, len(readers) + 1, PAGE):
            page = [(pk, TZ) for pk in range(start, min(start + PAGE, len(readers) + 1))]
            async with sessions.begin() as session:
                began = time.perf_counter()
                digests |= await picks_for_chats(session, page, now=now, cache=cache)
                figures.page_ms.append(1000 * (time.perf_counter() - began) / len(page))
                for pk, _ in page:  # /pilihan's path: one chat at a time, with its queries
                    began = time.perf_counter()
                    mine = await pick_for_chat(session, chat_pk=pk, now=now, tz=TZ, cache=cache)
                    figures.pick_ms.append(1000 * (time.perf_counter() - began))
                    began = time.perf_counter()
                    affinity.rank(candidates, mine.profile.weights, SIZE)
                    figures.rank_us.append(1e6 * (time.perf_counter() - began))
                    figures.differing += mine.picks.ids != digests[pk].ids
        for pk, picks in digests.items():
            reader = readers[pk - 1]
            figures.personal.append(precision(reader, picks.ids, items))
            figures.editorial.append(precision(reader, editorial, items))
            told = affinity.rank(candidates, reader.weights(), SIZE)
            figures.known.append(precision(reader, told.ids, items))
            figures.outside.append(len(picks.outside) / max(len(picks.ids), 1))
            figures.outside_relevant += [reader.relevant(items[i - 1]) for i in picks.outside]
            figures.short += len(picks.outside) * affinity.OUT_OF_HABIT_EVERY < len(picks.ids)
            taps = taps_of(reader, picks.ids, items, rng, args.tap, args.noise)
            for n, (story_id, signal) in enumerate(taps, start=1):
                async with sessions.begin() as session:
                    await learn(session, pk, story_id, signal, now + timedelta(minutes=5 * n))
                figures.taps[signal.value] += 1
        days.append(figures)
    return days


def precision(reader: Reader, shown: Sequence[int], items: Sequence[Item]) -> float:
    return sum(reader.relevant(items[i - 1]) for i in shown) / SIZE


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def summary(
    days: Sequence[Day], args: argparse.Namespace, load: Sequence[float]
) -> dict[str, Any]:
    """The figures as one JSON document."""
    rows = [
        {
            "day": n,
            "personal_p5": statistics.fmean(d.personal),
            "editorial_p5": statistics.fmean(d.editorial),
            "known_tastes_p5": statistics.fmean(d.known),
            "difference": statistics.fmean(d.personal) - statistics.fmean(d.editorial),
            "outside_share": statistics.fmean(d.outside),
            "outside_precision": statistics.fmean(d.outside_relevant or [0.0]),
            "digests_short_of_outside": d.short,
            "taps_more": d.taps["more"],
            "taps_less": d.taps["less"],
            "picks_differing_from_rank": d.differing,
        }
        for n, d in enumerate(days, start=1)
    ]
    rank_us = [t for d in days for t in d.rank_us]
    pick_ms = [t for d in days for t in d.pick_ms]
    page_ms = [t for d in days for t in d.page_ms]
    learned = rows[1:]  # day 1 has nothing learned yet: every pick is outside the habits
    return {
        "benchmark": "personal",
        "store": "postgresql" if args.postgres else "sqlite",
        "readers": args.readers,
        "seed": args.seed,
        "tap": args.tap,
        "noise": args.noise,
        "days": rows,
        "rank_us": {"p50": percentile(rank_us, 0.5), "p95": percentile(rank_us, 0.95)},
        "pick_for_chat_ms": {"p50": percentile(pick_ms, 0.5), "p95": percentile(pick_ms, 0.95)},
        "picks_for_chats_ms_per_chat": {
            "page": PAGE,
            "p50": percentile(page_ms, 0.5),
            "p95": percentile(page_ms, 0.95),
        },
        "goal": {
            "day7_difference": rows[6]["difference"],
            "day7_met": rows[6]["difference"] >= 0.25,
            "days7_14_difference": statistics.fmean(r["difference"] for r in rows[6:]),
            "min_outside_share_after_day1": min(r["outside_share"] for r in learned),
            "digests_short_of_outside": sum(r["digests_short_of_outside"] for r in rows),
            "outside_met": all(r["digests_short_of_outside"] == 0 for r in rows),
            "rank_met": percentile(rank_us, 0.95) <= 1000,
        },
        "loadavg": [round(x, 2) for x in load],
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
    }


def show(report: dict[str, Any]) -> None:
    print(
        f"personal Berita Pilihan: {report['readers']} readers, 14 days, seed {report['seed']},"
        f" tap {report['tap']}, noise {report['noise']}, {report['store']}"
    )
    print("precision@5 against the hidden tastes; outside: share of items outside the habits,")
    print("out P: how many of those were relevant anyway; short: digests with < 1 in 5 outside;")
    print("known: the same ranking told the hidden tastes (pins and the room outside kept)")
    print(
        f"{'day':>3} {'personal':>9} {'editorial':>10} {'diff':>7} {'known':>6} {'outside':>8}"
        f" {'out P':>6} {'short':>6} {'taps +/-':>10}"
    )
    for r in report["days"]:
        print(
            f"{r['day']:>3} {r['personal_p5']:>9.3f} {r['editorial_p5']:>10.3f}"
            f" {r['difference']:>+7.3f} {r['known_tastes_p5']:>6.3f} {r['outside_share']:>8.3f}"
            f" {r['outside_precision']:>6.3f}"
            f" {r['digests_short_of_outside']:>6} {r['taps_more']:>5}/{r['taps_less']:<4}"
        )
    rank, pick = report["rank_us"], report["pick_for_chat_ms"]
    print(f"affinity.rank per chat: p50 {rank['p50']:.0f} µs, p95 {rank['p95']:.0f} µs")
    print(f"pick_for_chat per chat (/pilihan, with its queries): p50 {pick['p50']:.2f} ms,"
          f" p95 {pick['p95']:.2f} ms")  # fmt: skip
    page = report["picks_for_chats_ms_per_chat"]
    print(f"picks_for_chats per chat (the digest job, pages of {page['page']}):"
          f" p50 {page['p50']:.3f} ms, p95 {page['p95']:.3f} ms")  # fmt: skip
    goal = report["goal"]
    print(
        f"goal: day 7 {goal['day7_difference']:+.3f} (≥ +0.25: {goal['day7_met']};"
        f" days 7–14 {goal['days7_14_difference']:+.3f}),"
        f" ≥ 1 in 5 outside in every digest: {goal['outside_met']}"
        f" ({goal['digests_short_of_outside']} short), rank ≤ 1 ms: {goal['rank_met']}"
    )
    differing = sum(r["picks_differing_from_rank"] for r in report["days"])
    if differing:
        print(f"warning: {differing} digests differ between pick_for_chat and picks_for_chats")
    print(f"load average {report['loadavg']} at start, {report['loadavg_end']} at the end")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tap", type=float, default=0.6, help="chance a reader taps an item")
    parser.add_argument("--noise", type=float, default=0.1, help="share of taps that go wrong")
    parser.add_argument("--postgres", help="run on this PostgreSQL server (default SQLite)")
    parser.add_argument("--json", action="store_true", help="print one JSON document only")
    args = parser.parse_args()
    load = os.getloadavg()
    items = load_items()
    readers = draw_readers(items, args.readers, random.Random(args.seed * 1000 + 1))
    async with throwaway_store(args.postgres, "personal") as engine:
        days = await simulate(engine, items, readers, args)
    report = summary(days, args, load)
    if args.json:
        print(json.dumps(report))
    else:
        show(report)


if __name__ == "__main__":
    asyncio.run(main())
