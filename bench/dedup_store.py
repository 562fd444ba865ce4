"""Near-duplicate lookup through the stored LSH index, as deployed, at 10,000 and 100,000 stories.

`python -m bench.dedup_store [--sizes 10000,100000] [--queries 500]`

Stories are made of sentences sampled from IndoSum dev (../shared/data) so that band buckets
collide the way real news does; half the queries are edited copies of stored stories, half are
new. The measured lookup is what clustering does per article: band candidates from the
database (an index, never a scan), then verification of each candidate's signature.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from bench._data import indosum_rows
from bot.news.dedup import minhash as dedup
from storage import stories
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Story, StoryBand

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def sentence_pool() -> list[str]:
    """Every sentence of the IndoSum dev articles."""
    pool: list[str] = []
    for row in indosum_rows():
        for paragraph in row["paragraphs"]:
            pool.extend(s for s in paragraph if len(s.split()) >= 6)
    return pool


def make_story(pool: list[str], rng: random.Random) -> str:
    return " ".join(rng.sample(pool, rng.randint(6, 10)))


def edited_copy(story: str, rng: random.Random) -> str:
    """A syndicated copy: new dateline, last sentence dropped, a word changed."""
    words = story.split()
    cut = words[: int(len(words) * rng.uniform(0.75, 0.95))]
    i = rng.randrange(len(cut))
    cut[i] = "tersebut"
    return "SURYA.co.id | SURABAYA - " + " ".join(cut)


async def fill(path: Path, texts: list[str]) -> float:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    started = time.perf_counter()
    sigs = dedup.signatures(texts)
    async with session_factory(engine).begin() as session:
        for start in range(0, len(texts), 2000):
            rows: list[dict[str, object]] = []
            bands: list[dict[str, int]] = []
            for offset, sig in enumerate(sigs[start : start + 2000]):
                assert sig is not None
                story_id = start + offset + 1
                rows.append(
                    {
                        "id": story_id,
                        "title": f"cerita {story_id}",
                        "summary": "",
                        "topics": [],
                        "published_at": NOW,
                        "first_seen_at": NOW - timedelta(hours=offset % 48),
                        "updated_at": NOW,
                        "outlet_count": 1,
                        "signature": dedup.signature_to_bytes(sig),
                    }
                )
                bands.extend({"band_key": k, "story_id": story_id} for k in dedup.band_keys(sig))
            await session.execute(insert(Story), rows)
            await session.execute(insert(StoryBand), bands)
    await engine.dispose()
    return time.perf_counter() - started


async def measure(path: Path, queries: list[tuple[str, int | None]]) -> dict[str, float]:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    sessions = session_factory(engine)
    found = correct = candidates = 0
    signing = elapsed = 0.0
    async with sessions() as session:
        plan = await session.execute(
            text("EXPLAIN QUERY PLAN SELECT story_id FROM story_bands WHERE band_key IN (1, 2)")
        )
        uses_index = any("USING" in str(row[-1]) for row in plan)
        for body, expected in queries:
            started = time.perf_counter()
            sig = dedup.signature(body)
            assert sig is not None
            signed = time.perf_counter()
            signing += signed - started
            hits = await stories.band_candidates(
                session, dedup.band_keys(sig), since=NOW - timedelta(days=7)
            )
            match = next(
                (
                    sid
                    for sid, blob in hits
                    if dedup.is_same_story(sig, dedup.signature_from_bytes(blob))
                ),
                None,
            )
            elapsed += time.perf_counter() - signed
            candidates += len(hits)
            found += match is not None
            correct += match == expected
    await engine.dispose()
    return {
        "ms_per_article": 1000 * elapsed / len(queries),
        "signature_ms_per_article": 1000 * signing / len(queries),
        "candidates_per_article": candidates / len(queries),
        "accuracy": correct / len(queries),
        "index_used": float(uses_index),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(7)
    pool = sentence_pool()
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        texts = [make_story(pool, rng) for _ in range(size)]
        queries: list[tuple[str, int | None]] = []
        for i in range(args.queries):
            if i % 2 == 0:
                target = rng.randrange(size)
                queries.append((edited_copy(texts[target], rng), target + 1))
            else:
                queries.append((make_story(pool, rng), None))
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "dedup.db"
            fill_s = await fill(db, texts)
            figures = await measure(db, queries)
        figures |= {"stories": size, "fill_seconds": fill_s}
        results.append(figures)
    print("lookup = band keys + candidate query + verification; signature = MinHash of the text")
    print(
        f"{'stories':>8} {'lookup ms':>10} {'signature ms':>13} {'candidates':>11}"
        f" {'accuracy':>9} {'index':>6}"
    )
    for r in results:
        print(
            f"{r['stories']:>8} {r['ms_per_article']:>10.3f}"
            f" {r['signature_ms_per_article']:>13.3f} {r['candidates_per_article']:>11.2f}"
            f" {r['accuracy']:>9.3f} {'yes' if r['index_used'] else 'NO':>6}"
        )
    print(json.dumps({"benchmark": "dedup_store", "results": results}))


if __name__ == "__main__":
    asyncio.run(main())
