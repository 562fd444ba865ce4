"""Measure a poll cycle over N loopback feeds, then a second cycle where nothing changed.

The farm (bench.poll_server.FeedFarm, 20 items a feed) runs in its own process, so CPU time
and peak RSS are the bot's alone. The Ingestor is built by bot.runtime.open_resources on a
fresh SQLite file with FETCH_PAGES off: article pages are not read, so the cycle is the poll
(fetch, parse, store).
By default enrichment is skipped (NoEnrichment); with --enrich it runs on the feed summaries
and the two parts are timed apart: "poll" ends when the last source reports.
Run: python -m bench.poll [--feeds 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench._pipeline import FarmProcess, open_bench_ingestor, peak_rss_mb
from bot.ingest.cycle import CycleReport, Ingestor, SourceReport


@dataclass
class Cycle:
    """Wall and CPU time of one cycle, split at the last source's report."""

    report: CycleReport
    wall: float
    cpu: float
    poll_wall: float
    poll_cpu: float

    @property
    def statuses(self) -> Counter[str]:
        return Counter(s.status for s in self.report.sources)


async def measure(
    n_feeds: int, per_host: int, concurrency: int, enrich: bool
) -> dict[str, object]:
    """Run two cycles against a fresh farm and store; return the figures."""
    farm = FarmProcess(n_feeds)
    farm.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            async with open_bench_ingestor(
                Path(tmp) / "poll.db",
                farm,
                fetch_pages=False,
                per_host=per_host,
                concurrency=concurrency,
                enrich=enrich,
            ) as res:
                rss_before = peak_rss_mb()
                first = await _timed(res.ingestor)
                farm_after_first = farm.stats()
                second = await _timed(res.ingestor)
                farm_after_second = farm.stats()
    finally:
        farm.stop()
    not_modified_served = (
        farm_after_second["feeds_not_modified"] - farm_after_first["feeds_not_modified"]
    )
    return {
        "feeds": n_feeds,
        "per_host": per_host,
        "concurrency": concurrency,
        "enrich": enrich,
        "first": first,
        "second": second,
        "farm_304s_second": not_modified_served,
        "farm_full_second": farm_after_second["feeds_full"] - farm_after_first["feeds_full"],
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
    }


async def _timed(ingestor: Ingestor) -> Cycle:
    marks = {"wall": 0.0, "cpu": 0.0}

    def on_source(_report: SourceReport) -> None:
        marks["wall"], marks["cpu"] = time.perf_counter(), time.process_time()

    wall0, cpu0 = time.perf_counter(), time.process_time()
    report = await ingestor.run_once(every_source=True, on_source=on_source)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return Cycle(report, wall, cpu, marks["wall"] - wall0, marks["cpu"] - cpu0)


def main() -> None:
    """Run the benchmark, print a table and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--per-host", type=int, default=16, help="fetcher cap per host")
    parser.add_argument("--concurrency", type=int, default=16, help="sources polled at once")
    parser.add_argument(
        "--enrich",
        action="store_true",
        help="also enrich the new articles from their feed summaries (slow: see bench.ingest)",
    )
    args = parser.parse_args()
    figures = asyncio.run(measure(args.feeds, args.per_host, args.concurrency, args.enrich))
    first, second = figures["first"], figures["second"]
    assert isinstance(first, Cycle) and isinstance(second, Cycle)
    print(
        f"{figures['feeds']} feeds × 20 items on loopback (farm in its own process), SQLite, "
        f"FETCH_PAGES off, per_host={figures['per_host']}, concurrency={figures['concurrency']}"
    )
    if not figures["enrich"]:
        print("enrichment skipped (articles left pending; --enrich to include it, bench.ingest)")
    print(
        f"{'cycle':<22}{'wall s':>9}{'CPU s':>9}{'poll wall':>11}{'poll CPU':>10}"
        f"{'new':>8}{'stories':>9}  statuses"
    )
    for name, cycle in (("1 (everything new)", first), ("2 (nothing changed)", second)):
        print(
            f"{name:<22}{cycle.wall:>9.2f}{cycle.cpu:>9.2f}{cycle.poll_wall:>11.2f}"
            f"{cycle.poll_cpu:>10.2f}{len(cycle.report.articles):>8}"
            f"{len(cycle.report.new_story_ids):>9}  {dict(cycle.statuses)}"
        )
    ratio = second.cpu / first.cpu if first.cpu else 0.0
    poll_ratio = second.cpu / first.poll_cpu if first.poll_cpu else 0.0
    print(
        f"farm served in cycle 2: {figures['farm_304s_second']} × 304, "
        f"{figures['farm_full_second']} full feeds"
    )
    print(
        f"cycle-2 CPU / cycle-1 CPU: {ratio:.1%} (target ≤ 10 %); "
        f"/ cycle-1 poll-only CPU: {poll_ratio:.1%}"
    )
    print(
        f"peak RSS: {figures['peak_rss_mb']:.0f} MB (after start-up: "
        f"{figures['rss_before_mb']:.0f} MB)"
    )
    out = {
        "bench": "poll",
        "feeds": figures["feeds"],
        "enrich": figures["enrich"],
        "first_wall_s": round(first.wall, 3),
        "first_cpu_s": round(first.cpu, 3),
        "first_poll_wall_s": round(first.poll_wall, 3),
        "first_poll_cpu_s": round(first.poll_cpu, 3),
        "first_new_articles": len(first.report.articles),
        "first_stories": len(first.report.new_story_ids),
        "second_wall_s": round(second.wall, 3),
        "second_cpu_s": round(second.cpu, 3),
        "second_not_modified": second.statuses["not_modified"],
        "farm_304s_second": figures["farm_304s_second"],
        "second_cpu_ratio": round(ratio, 4),
        "second_cpu_ratio_vs_poll_only": round(poll_ratio, 4),
        "peak_rss_mb": round(float(str(figures["peak_rss_mb"])), 1),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
