"""Several `newsbot worker` processes on one PostgreSQL database: polling and sending shared.

For 1, 2 and 4 workers: a fresh database with N chats and a running broadcast, M sources on a
loopback feed farm (its own process) and the limit-enforcing Bot API farm (its own process,
bench.telegram_farm). The workers are started together and measured until every source was
polled once and the broadcast reached every chat:
- sources polled per second (first to last poll seen by the feed farm) and duplicate polls
  (a source polled twice in the cycle; must be 0);
- the broadcast's send rate against SEND_RATE whatever the number of workers, the worst
  one-second window, 429s, lost and duplicate messages.
All processes share this machine's cores: more workers add polling concurrency, not CPU.
Run: python -m bench.scale [--workers 1,2,4] [--sources 2000] [--chats 600]
     [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._pipeline import FarmProcess
from bench.fanout import FREE_RATE, TOKEN, database, farm_call, farm_process, seed

DEFAULT_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
REPO = Path(__file__).resolve().parents[1]


def start_workers(n: int, env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    """Start n `newsbot worker` processes at once."""
    command = [sys.executable, "-m", "bot", "worker"]
    return [
        subprocess.Popen(command, cwd=REPO, env=env, stderr=subprocess.DEVNULL) for _ in range(n)
    ]


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM every worker and wait for it."""
    for w in workers:
        w.send_signal(signal.SIGTERM)
    for w in workers:
        try:
            w.wait(timeout=60)
        except subprocess.TimeoutExpired:
            w.kill()
            w.wait()


def one_run(
    n_workers: int, n_sources: int, chats: int, telegram: str, postgres: str, timeout: float
) -> dict[str, Any]:
    """Measure one configuration; return its figures."""
    farm_call(telegram, "/_reset", post=True)
    feeds = FarmProcess(n_sources, items=3)
    feeds.start()
    try:
        with database(postgres) as url, tempfile.TemporaryDirectory() as tmp:
            asyncio.run(seed(url, chats))
            sources = Path(tmp) / "sources.toml"
            sources.write_text(
                "".join(
                    f'[[sources]]\nname = "Feed {i}"\nurl = "{feeds.feed_url(i)}"\n\n'
                    for i in range(n_sources)
                ),
                encoding="utf-8",
            )
            env = os.environ | {
                "DATABASE_URL": url,
                "BOT_TOKEN": TOKEN,
                "TELEGRAM_API_URL": telegram,
                "SOURCES_FILE": str(sources),
                "FETCH_PAGES": "false",
                "FETCH_PER_HOST": "16",  # every feed is on 127.0.0.1: don't let one host cap
                "MIN_INTERVAL": "3600",  # one cycle: a second poll of a source is a duplicate
                "MAX_INTERVAL": "7200",
                "SEND_RATE": str(int(FREE_RATE)),
                "LOG_LEVEL": "WARNING",
                "PTB_TIMEDELTA": "1",
            }
            started = time.monotonic()
            workers = start_workers(n_workers, env)
            try:
                polled = watch(feeds, telegram, n_sources, chats, started, timeout)
            finally:
                stop_workers(workers)
    finally:
        per_feed = {int(k): int(v) for k, v in feeds.stats()["per_feed"].items()}
        feeds.stop()
    sent = farm_call(telegram, "/_stats")
    per_chat = {int(k): int(v) for k, v in sent["per_chat"].items()}
    span = (sent["last"] - sent["first"]) if sent["received"] > 1 else 0.0
    return {
        "workers": n_workers,
        "sources": n_sources,
        "sources_polled": len(per_feed),
        "duplicate_polls": sum(n - 1 for n in per_feed.values() if n > 1),
        "poll_seconds": polled["poll_seconds"],
        "sources_per_second": (len(per_feed) / polled["poll_seconds"])
        if polled["poll_seconds"]
        else None,
        "chats": chats,
        "messages": sent["received"],
        "lost": chats - len(per_chat),
        "duplicate_messages": sum(n - 1 for n in per_chat.values() if n > 1),
        "send_rate": (sent["received"] - 1) / span if span else None,
        "worst_second": sent["worst_second"],
        "too_many": sent["too_many"],
        "finished": polled["finished"],
    }


def watch(
    feeds: FarmProcess,
    telegram: str,
    n_sources: int,
    chats: int,
    started: float,
    timeout: float,
) -> dict[str, Any]:
    """Wait until every source was polled and every chat reached (or the timeout)."""
    first_poll = last_poll = None
    seen = 0
    while time.monotonic() - started < timeout:
        now = time.monotonic()
        polled = sum(feeds.stats()["per_feed"].values())
        if polled and first_poll is None:
            first_poll = now
        if polled > seen:
            seen, last_poll = polled, now
        received = farm_call(telegram, "/_stats")["received"]
        if seen >= n_sources and received >= chats:
            break
        time.sleep(0.25)
    finished = seen >= n_sources
    poll_seconds = (last_poll - first_poll) if first_poll and last_poll else None
    return {"poll_seconds": poll_seconds, "finished": finished}


def main() -> None:
    """Run the benchmark, print a table and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--sources", type=int, default=2000)
    parser.add_argument("--chats", type=int, default=600)
    parser.add_argument("--timeout", type=float, default=600.0, help="per run, seconds")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE),
        help="a PostgreSQL server (a throw-away database is made on it per run)",
    )
    args = parser.parse_args()
    results = []
    with farm_process(0) as telegram:
        for n in (int(x) for x in args.workers.split(",")):
            results.append(
                one_run(n, args.sources, args.chats, telegram, args.database_url, args.timeout)
            )
    print(
        f"{'workers':>7} {'polled':>7} {'dup polls':>9} {'polls/s':>8} {'sent':>6} {'lost':>5}"
        f" {'dup msgs':>8} {'msg/s':>6} {'of rate':>7} {'worst 1s':>8} {'429s':>5}"
    )
    for r in results:
        rate = r["send_rate"] or 0.0
        print(
            f"{r['workers']:>7} {r['sources_polled']:>7} {r['duplicate_polls']:>9}"
            f" {r['sources_per_second'] or 0:>8.1f} {r['messages']:>6} {r['lost']:>5}"
            f" {r['duplicate_messages']:>8} {rate:>6.1f} {rate / FREE_RATE:>7.0%}"
            f" {r['worst_second']:>8} {r['too_many']:>5}"
        )
    print(json.dumps({"benchmark": "scale", "send_rate_limit": FREE_RATE, "results": results}))


if __name__ == "__main__":
    main()
