"""Search: relevance against a LIKE baseline, query latency and index size at 10k and 100k stories.

`python -m bench.search [--sizes 10000,100000] [--postgres URL] [--queries 300]`

Relevance: the 2,092 IndoSum dev articles (../shared/data, never eval/) are stored as stories
(title from the article's address, summary its lead, body the whole text, dates spread over
two weeks). Each query is a known-item search written from an article's *human reference
summary*: two or three of its most distinctive words, typed as the summary spells them (often
another form than the article's: "pemilihan" against "memilih"). The judged story is the
article it came from. MRR@10 and recall@10 of `storage.search.search_stories` against a plain
baseline on the same stories: every word as a case-insensitive substring (`LIKE '%word%'`,
all words), newest first.

Latency and size: stories assembled from IndoSum's titles, leads and paragraphs (so the
vocabulary and posting lists look like news), indexed as the bot indexes them, then the
relevance queries plus common words, each timed on the first page (10 results). Indexing cost
per story is the analysis (Sastrawi stemming, cold cache then warm) and the write.
PostgreSQL is measured when --postgres or TEST_DATABASE_URL names a server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bench._data import indosum_headline, indosum_rows
from bench._schema import throwaway_store
from bot.news.search import ANALYSIS_VERSION
from bot.news.search.analysis import STOP_WORDS, analyse, fold, stem
from bot.news.search.document import story_document
from bot.news.search.query import parse_query
from storage import search
from storage.db import session_factory
from storage.models import Story

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
COMMON = ("jakarta", "presiden", "indonesia", "pemerintah", "polisi", "banjir", "ekonomi")
BATCH = 1000


@dataclass(frozen=True, slots=True)
class Doc:
    """One IndoSum article as a story."""

    title: str
    lead: str
    body: str
    reference: str
    paragraphs: list[str]


def corpus() -> list[Doc]:
    """The IndoSum dev articles."""
    docs = []
    for row in indosum_rows():
        sentences = [s for p in row["paragraphs"] for s in p]
        docs.append(
            Doc(
                title=indosum_headline(row),
                lead=" ".join(sentences[:2]),
                body="\n\n".join(" ".join(p) for p in row["paragraphs"]),
                reference=" ".join(row["summary"]),
                paragraphs=[" ".join(p) for p in row["paragraphs"]],
            )
        )
    return docs


def known_item_queries(docs: list[Doc], count: int, rng: random.Random) -> list[tuple[str, int]]:
    """(typed query, index of the judged article): distinctive words of a reference summary."""
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(analyse(f"{doc.title} {doc.lead} {doc.body}")))
    chosen = rng.sample(range(len(docs)), min(count, len(docs)))
    queries = []
    for n, index in enumerate(chosen):
        seen: dict[str, str] = {}
        for word in re.findall(r"[^\W\d_]{4,}", docs[index].reference):
            folded = fold(word)
            if folded in STOP_WORDS:
                continue
            seen.setdefault(stem(folded), folded)
        # The summary's first words that several stories share (so ranking matters) and that
        # are not everywhere: what it is about, as a reader would type it.
        shared = [s for s in seen if 3 <= df[s] <= len(docs) // 10]
        words = [seen[s] for s in shared[: 2 + n % 2]]
        if len(words) >= 2:
            queries.append((" ".join(words), index))
    return queries


def synthetic(docs: list[Doc], size: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """`size` stories mixed from real titles, leads and paragraphs."""
    made = []
    for _ in range(size):
        title, lead = rng.choice(docs).title, rng.choice(docs).lead
        source = rng.choice(docs).paragraphs
        body = "\n\n".join(source[: rng.randint(3, 8)])
        made.append((title, lead, body))
    return made


def dates(count: int, rng: random.Random) -> list[datetime]:
    """Publication times over two weeks, oldest first: story ids grow with time, as stored."""
    return sorted(NOW - timedelta(minutes=rng.randrange(14 * 24 * 60)) for _ in range(count))


async def fill(
    engine: AsyncEngine,
    stories: Sequence[tuple[str, str, str]],
    when: Sequence[datetime],
    entries: Sequence[search.IndexEntry],
) -> float:
    """Store the stories, then their index entries; return the seconds the entries took."""
    sessions = session_factory(engine)
    for start in range(0, len(stories), BATCH):
        rows = [
            {
                "id": start + i + 1,
                "title": title,
                "summary": lead,
                "topics": [],
                "published_at": when[start + i],
                "first_seen_at": when[start + i],
                "updated_at": when[start + i],
                "outlet_count": 1,
                "pushes_owed": False,
            }
            for i, (title, lead, _) in enumerate(stories[start : start + BATCH])
        ]
        async with sessions.begin() as session:
            await session.execute(insert(Story), rows)
    started = time.perf_counter()
    for start in range(0, len(entries), BATCH):
        async with sessions.begin() as session:
            await search.put_entries(
                session, entries[start : start + BATCH], version=ANALYSIS_VERSION
            )
    return time.perf_counter() - started


def analysed(
    stories: Sequence[tuple[str, str, str]], when: Sequence[datetime]
) -> tuple[list[search.IndexEntry], float]:
    """Index entries of the stories, and the seconds their analysis took."""
    started = time.perf_counter()
    entries = []
    for n, (title, lead, body) in enumerate(stories):
        document = story_document([title], lead, body)
        entries.append(
            search.IndexEntry(n + 1, when[n], document.title, document.summary, document.body)
        )
    return entries, time.perf_counter() - started


async def index_bytes(engine: AsyncEngine) -> int:
    """Bytes the index takes: its tables and indexes (SQLite: the FTS5 shadow tables too)."""
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            size = await conn.scalar(text("SELECT pg_total_relation_size('story_search')"))
            return int(size or 0)
        rows = await conn.execute(
            text(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'story_fts%'"
                " OR name LIKE 'story_search%' OR name LIKE '%autoindex_story_search%'"
                " OR name = 'ix_story_search_version'"
            )
        )
        return int(rows.scalar() or 0)


async def ranked(session: AsyncSession, typed: str) -> list[int]:
    page = await search.search_stories(session, parse_query(typed), limit=10, now=NOW)
    return page.story_ids


async def like_ranked(session: AsyncSession, typed: str) -> list[int]:
    """The baseline: every word a substring of title, summary or body; newest first."""
    words = typed.split()
    where = " AND ".join(f"haystack LIKE :w{i}" for i in range(len(words)))
    sql = (
        "SELECT id FROM (SELECT s.id AS id, s.published_at AS published_at,"
        " s.title || ' ' || s.summary || ' ' || b.body AS haystack"
        " FROM stories AS s JOIN bench_bodies AS b ON b.id = s.id)"
        f" WHERE {where} ORDER BY published_at DESC, id DESC LIMIT 10"
    )
    params = {f"w{i}": f"%{w}%" for i, w in enumerate(words)}
    return [int(r[0]) for r in await session.execute(text(sql), params)]


def scores(results: list[tuple[list[int], int]]) -> dict[str, float]:
    """MRR@10 and recall@10 of (ranked ids, judged id) pairs."""
    reciprocal = [1 / (ids.index(j) + 1) if j in ids else 0.0 for ids, j in results]
    return {
        "mrr10": statistics.fmean(reciprocal),
        "recall10": statistics.fmean(1.0 if j in ids else 0.0 for ids, j in results),
    }


async def relevance(kind: str, url: str | None, queries: list[tuple[str, int]]) -> dict[str, Any]:
    docs = corpus()
    rng = random.Random(11)
    when = dates(len(docs), rng)
    stories = [(d.title, d.lead, d.body) for d in docs]
    entries, _ = analysed(stories, when)
    async with throwaway_store(url if kind == "postgresql" else None, "search") as engine:
        await fill(engine, stories, when, entries)
        async with session_factory(engine).begin() as session:
            await session.execute(
                text("CREATE TABLE bench_bodies (id BIGINT PRIMARY KEY, body TEXT)")
            )
            await session.execute(
                text("INSERT INTO bench_bodies (id, body) VALUES (:id, :body)"),
                [{"id": n + 1, "body": d.body} for n, d in enumerate(docs)],
            )
        ours, like = [], []
        async with session_factory(engine)() as session:
            for typed, judged in queries:
                ours.append((await ranked(session, typed), judged + 1))
                if kind == "sqlite":  # the baseline once: LIKE means the same on both
                    like.append((await like_ranked(session, typed), judged + 1))
    out: dict[str, Any] = {"store": kind, "queries": len(queries), "search": scores(ours)}
    if like:
        out["like"] = scores(like)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


async def scale(
    kind: str,
    url: str | None,
    size: int,
    built: tuple[list[search.IndexEntry], list[datetime], list[tuple[str, str, str]]],
    queries: list[str],
) -> dict[str, Any]:
    entries, when, stories = built
    async with throwaway_store(url if kind == "postgresql" else None, "search") as engine:
        write_s = await fill(engine, stories, when, entries)
        if kind == "sqlite":
            async with session_factory(engine).begin() as session:
                await search.optimise(session)
        else:
            async with engine.connect() as conn:
                await conn.execute(text("ANALYZE story_search"))
        size_bytes = await index_bytes(engine)
        latencies: list[float] = []
        async with session_factory(engine)() as session:
            for typed in queries[:20]:  # warm the caches as a running bot's are
                await ranked(session, typed)
            for typed in queries:
                started = time.perf_counter()
                await ranked(session, typed)
                latencies.append(1000 * (time.perf_counter() - started))
    return {
        "store": kind,
        "stories": size,
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "max_ms": max(latencies),
        "index_mb": size_bytes / 1e6,
        "index_bytes_per_story": size_bytes / size,
        "write_ms_per_story": 1000 * write_s / size,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    docs = corpus()
    queries = known_item_queries(docs, args.queries, random.Random(5))

    quality = [await relevance(kind, args.postgres, queries) for kind in kinds]
    print(f"relevance: {len(queries)} known-item queries from IndoSum dev reference summaries")
    print(f"{'ranking':<22} {'MRR@10':>7} {'recall@10':>10}")
    for q in quality:
        s = q["search"]
        print(f"{'search (' + q['store'] + ')':<22} {s['mrr10']:>7.3f} {s['recall10']:>10.3f}")
    base = quality[0]["like"]
    print(f"{'LIKE, newest first':<22} {base['mrr10']:>7.3f} {base['recall10']:>10.3f}")
    print("examples:", "; ".join(q for q, _ in queries[:6]))

    timing = [*queries_of(queries), *COMMON]
    results: list[dict[str, Any]] = []
    analysis: list[dict[str, float]] = []
    for size in (int(s) for s in args.sizes.split(",")):
        rng = random.Random(size)
        stories = synthetic(docs, size, rng)
        when = dates(size, rng)
        stem.cache_clear()
        entries, cold = analysed(stories, when)
        _, warm = analysed(stories[: min(size, 5000)], when)
        analysis.append(
            {
                "stories": size,
                "analysis_ms_per_story_cold": 1000 * cold / size,
                "analysis_ms_per_story_warm": 1000 * warm / min(size, 5000),
            }
        )
        for kind in kinds:
            results.append(
                await scale(kind, args.postgres, size, (entries, when, stories), timing)
            )

    print()
    print(f"latency: {len(timing)} queries (first page of 10), after 20 warm-up queries")
    print(
        f"{'store':<11} {'stories':>8} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
        f" {'index MB':>9} {'B/story':>8} {'write ms':>9}"
    )
    for r in results:
        print(
            f"{r['store']:<11} {r['stories']:>8} {r['p50_ms']:>7.2f} {r['p95_ms']:>7.2f}"
            f" {r['max_ms']:>7.1f} {r['index_mb']:>9.1f} {r['index_bytes_per_story']:>8.0f}"
            f" {r['write_ms_per_story']:>9.3f}"
        )
    print()
    print("indexing: analysis per story (Sastrawi stems cached per word), write per story above")
    for a in analysis:
        print(
            f"{a['stories']:>8} stories: {a['analysis_ms_per_story_cold']:.3f} ms cold cache,"
            f" {a['analysis_ms_per_story_warm']:.3f} ms warm"
        )
    print(
        json.dumps(
            {"benchmark": "search", "relevance": quality, "latency": results, "indexing": analysis}
        )
    )


def queries_of(queries: list[tuple[str, int]]) -> list[str]:
    return [typed for typed, _ in queries]


if __name__ == "__main__":
    asyncio.run(main())
