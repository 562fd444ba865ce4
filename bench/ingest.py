"""Measure the whole pipeline: poll, store, fetch each page, extract, clean, summarise, topics,
dedup and stories, for N articles served from loopback (the farm runs in its own process).

The pages carry real IndoSum texts (bench._pipeline.VariedFarm: item k shows document k mod
2,092), so past 2,092 articles the same text reappears under another feed, as syndication does:
a perfect dedup creates min(N, 2,092) stories. SQLite, FETCH_PAGES on.
Run: python -m bench.ingest [--articles 5000] (5,000 took 83 s, 60 articles/s, on a shared
2-core machine; 13 ms CPU per article).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench._data import require_shared_data
from bench._pipeline import FarmProcess, load_docs, open_bench_ingestor, peak_rss_mb
from bot.ingest.cycle import SourceReport
from storage.models import Article, Story

ITEMS_PER_FEED = 20


async def measure(n_articles: int, per_host: int, concurrency: int) -> dict[str, Any]:
    """One cycle over a fresh farm and store; return the figures."""
    n_feeds = max(1, n_articles // ITEMS_PER_FEED)
    farm = FarmProcess(n_feeds, ITEMS_PER_FEED, kind="varied")
    farm.start()
    marks = {"wall": 0.0, "cpu": 0.0}

    def on_source(_report: SourceReport) -> None:
        marks["wall"], marks["cpu"] = time.perf_counter(), time.process_time()

    try:
        with tempfile.TemporaryDirectory() as tmp:
            async with open_bench_ingestor(
                Path(tmp) / "ingest.db",
                farm,
                fetch_pages=True,
                per_host=per_host,
                concurrency=concurrency,
            ) as res:
                rss_before = peak_rss_mb()
                wall0, cpu0 = time.perf_counter(), time.process_time()
                report = await res.ingestor.run_once(every_source=True, on_source=on_source)
                wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
                async with res.sessions() as session:
                    stories = (await session.execute(select(func.count(Story.id)))).scalar_one()
                    stored = (await session.execute(select(func.count(Article.id)))).scalar_one()
                    with_body = (
                        await session.execute(
                            select(func.count(Article.id)).where(Article.body.is_not(None))
                        )
                    ).scalar_one()
                    errors = (
                        await session.execute(
                            select(func.count(Article.id)).where(
                                Article.extract_error.is_not(None)
                            )
                        )
                    ).scalar_one()
        served = farm.stats()
    finally:
        farm.stop()
    return {
        "feeds": n_feeds,
        "articles_new": len(report.articles),
        "articles_stored": stored,
        "with_body": with_body,
        "extract_errors": errors,
        "pages_served": served["articles"],
        "stories": stories,
        "stories_created": len(report.new_story_ids),
        "joins": len(report.updated_story_ids),
        "statuses": dict(Counter(s.status for s in report.sources)),
        "wall": wall,
        "cpu": cpu,
        "poll_wall": marks["wall"] - wall0,
        "poll_cpu": marks["cpu"] - cpu0,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
    }


def main() -> None:
    """Run the benchmark, print a table and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--per-host", type=int, default=16, help="fetcher cap per host")
    parser.add_argument("--concurrency", type=int, default=16, help="sources polled at once")
    args = parser.parse_args()
    require_shared_data()
    distinct = min(args.articles, len(load_docs()))
    f = asyncio.run(measure(args.articles, args.per_host, args.concurrency))
    n = f["articles_new"]
    rate = n / f["wall"] if f["wall"] else 0.0
    enrich_wall, enrich_cpu = f["wall"] - f["poll_wall"], f["cpu"] - f["poll_cpu"]
    print(
        f"{f['feeds']} feeds × {ITEMS_PER_FEED} items, IndoSum pages, farm in its own process, "
        f"SQLite, FETCH_PAGES on, per_host={args.per_host}, concurrency={args.concurrency}"
    )
    print(f"{'stage':<34}{'wall s':>9}{'CPU s':>9}{'ms/article wall':>17}{'ms CPU':>9}")
    for name, w, c in (
        ("poll + store (feeds)", f["poll_wall"], f["poll_cpu"]),
        ("pages, clean, summary, topics, story", enrich_wall, enrich_cpu),
        ("whole cycle", f["wall"], f["cpu"]),
    ):
        per_w, per_c = 1000 * w / max(n, 1), 1000 * c / max(n, 1)
        print(f"{name:<34}{w:>9.2f}{c:>9.2f}{per_w:>17.1f}{per_c:>9.1f}")
    print(f"articles/s through the whole pipeline: {rate:.1f}")
    print(
        f"new articles {n}, stored after dedup {f['articles_stored']}, with body "
        f"{f['with_body']}, extract errors {f['extract_errors']}, pages served {f['pages_served']}"
    )
    print(
        f"stories {f['stories']} (created {f['stories_created']}, joins {f['joins']}); "
        f"distinct texts served: {distinct}"
    )
    print(f"peak RSS: {f['peak_rss_mb']:.0f} MB (after start-up: {f['rss_before_mb']:.0f} MB)")
    out = {
        "bench": "ingest",
        "articles": n,
        "articles_per_s": round(rate, 2),
        "wall_s": round(f["wall"], 2),
        "cpu_s": round(f["cpu"], 2),
        "poll_wall_s": round(f["poll_wall"], 2),
        "enrich_wall_s": round(enrich_wall, 2),
        "enrich_cpu_ms_per_article": round(1000 * enrich_cpu / max(n, 1), 2),
        "stories": f["stories"],
        "distinct_texts": distinct,
        "articles_stored": f["articles_stored"],
        "with_body": f["with_body"],
        "extract_errors": f["extract_errors"],
        "peak_rss_mb": round(f["peak_rss_mb"], 1),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
