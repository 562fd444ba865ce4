"""Measure bulk article writes: storage.articles.insert_new_articles against raw executemany.

Both write the same rows into the same migrated schema (separate SQLite files in one temp dir,
WAL, synchronous=NORMAL), in batches, one transaction per batch. Ours is one INSERT … ON
CONFLICT DO NOTHING … RETURNING per 500 rows through SQLAlchemy and aiosqlite; raw is
sqlite3.executemany of a plain INSERT. When TEST_DATABASE_URL is set, ours is also measured on
PostgreSQL in a throw-away schema. Run: python -m bench.store [--rows 50000] [--batch 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench._schema import postgres_schema
from storage.articles import insert_new_articles
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.sources import sync_sources

_COLUMNS = (
    "url",
    "link",
    "source_id",
    "guid",
    "title",
    "feed_summary",
    "categories",
    "published_at",
    "first_seen_at",
)
_WORDS = [
    "pemerintah",
    "presiden",
    "menteri",
    "harga",
    "beras",
    "subsidi",
    "energi",
    "banjir",
    "jakarta",
    "surabaya",
    "warga",
    "kebijakan",
    "anggaran",
    "daerah",
    "polisi",
    "kasus",
    "korupsi",
    "pemilu",
    "partai",
    "timnas",
    "liga",
    "pertandingan",
    "saham",
    "rupiah",
    "inflasi",
    "bank",
    "ekspor",
    "impor",
    "gempa",
    "cuaca",
    "sekolah",
    "guru",
    "rumah",
    "sakit",
    "vaksin",
]
_CATEGORIES = ("Nasional", "Ekonomi", "Olahraga", "Regional", "Hukum", "Teknologi")
_EPOCH = datetime(2025, 1, 6, tzinfo=UTC)


def make_rows(n: int, source_id: int, seed: int = 7) -> list[dict[str, Any]]:
    """Realistic article rows: distinct URLs and guids, ~300-character summaries."""
    pick = random.Random(seed)
    rows = []
    for k in range(n):
        summary = " ".join(pick.choices(_WORDS, k=45))[:300]
        url = f"https://www.kabar{k % 40}.co.id/nasional/{2025000000 + k}/berita-{k}"
        rows.append(
            {
                "url": url,
                "link": url + "?utm_source=rss",
                "source_id": source_id,
                "guid": f"kabar-{k}",
                "title": " ".join(pick.choices(_WORDS, k=10)).capitalize(),
                "feed_summary": summary,
                "categories": pick.sample(_CATEGORIES, 2),
                "published_at": _EPOCH + timedelta(seconds=37 * k),
                "first_seen_at": _EPOCH + timedelta(seconds=37 * k + 60),
            }
        )
    return rows


def batches(rows: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    """Split rows into transactions of `size`."""
    return [rows[i : i + size] for i in range(0, len(rows), size)]


async def _add_source(engine: AsyncEngine) -> int:
    sessions = session_factory(engine)
    async with sessions.begin() as session:
        spec = {"name": "bench", "url": "https://bench.invalid/feed.xml"}
        await sync_sources(session, [spec], _EPOCH)
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT id FROM sources"))).scalar_one())


async def ours(engine: AsyncEngine, parts: Sequence[list[dict[str, Any]]]) -> tuple[float, int]:
    """Write every batch through insert_new_articles; return seconds and rows reported new."""
    sessions = session_factory(engine)
    new = 0
    start = time.perf_counter()
    for part in parts:
        async with sessions.begin() as session:
            new += len(await insert_new_articles(session, part))
    return time.perf_counter() - start, new


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):  # the format SQLAlchemy's SQLite DateTime writes
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, list):
        return json.dumps(value)
    return value


def raw(db_path: Path, parts: Sequence[list[dict[str, Any]]]) -> float:
    """Write every batch with sqlite3.executemany; return seconds (conversion included)."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    sql = f"INSERT INTO articles ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
    start = time.perf_counter()
    for part in parts:
        conn.execute("BEGIN")
        conn.executemany(sql, ([_sqlite_value(r[c]) for c in _COLUMNS] for r in part))
        conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


async def _migrated_sqlite(path: Path) -> tuple[AsyncEngine, int]:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    return engine, await _add_source(engine)


async def measure_sqlite(tmp: Path, n: int, batch: int) -> dict[str, float]:
    """Ours (new rows, then the same rows again: all conflicts) and raw, on SQLite."""
    engine, source_id = await _migrated_sqlite(tmp / "ours.db")
    rows = make_rows(n, source_id)
    parts = batches(rows, batch)
    try:
        ours_s, new = await ours(engine, parts)
        again_s, again_new = await ours(engine, parts)
    finally:
        await engine.dispose()
    assert new == n and again_new == 0, (new, again_new)
    raw_engine, raw_source = await _migrated_sqlite(tmp / "raw.db")
    await raw_engine.dispose()
    assert raw_source == source_id
    raw_s = raw(tmp / "raw.db", parts)
    return {"ours": n / ours_s, "ours_duplicates": n / again_s, "raw": n / raw_s}


async def measure_postgres(url: str, n: int, batch: int) -> dict[str, float]:
    """Ours on PostgreSQL, in a schema made for this run and dropped after."""
    async with postgres_schema(url) as engine:
        parts = batches(make_rows(n, await _add_source(engine)), batch)
        ours_s, new = await ours(engine, parts)
        again_s, _ = await ours(engine, parts)
        assert new == n
        return {"ours": n / ours_s, "ours_duplicates": n / again_s}


def _run(coro: Callable[[], Any]) -> Any:
    return asyncio.run(coro())


def main() -> None:
    """Run the benchmark, print a table and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_rates = _run(lambda: measure_sqlite(Path(tmp), args.rows, args.batch))
    pg_url = os.environ.get("TEST_DATABASE_URL")
    pg_rates = _run(lambda: measure_postgres(pg_url, args.rows, args.batch)) if pg_url else None
    ratio = sqlite_rates["ours"] / sqlite_rates["raw"]
    print(f"{args.rows} articles in batches of {args.batch}, one transaction per batch")
    print(f"{'writer':<52}{'rows/s':>10}")
    print(f"{'raw sqlite3.executemany INSERT (SQLite)':<52}{sqlite_rates['raw']:>10,.0f}")
    print(f"{'insert_new_articles, all new (SQLite)':<52}{sqlite_rates['ours']:>10,.0f}")
    print(
        f"{'insert_new_articles, all already stored (SQLite)':<52}"
        f"{sqlite_rates['ours_duplicates']:>10,.0f}"
    )
    if pg_rates is not None:
        print(f"{'insert_new_articles, all new (PostgreSQL)':<52}{pg_rates['ours']:>10,.0f}")
        print(
            f"{'insert_new_articles, all already stored (PostgreSQL)':<52}"
            f"{pg_rates['ours_duplicates']:>10,.0f}"
        )
    else:
        print("PostgreSQL: skipped (TEST_DATABASE_URL is not set)")
    print(f"ours / raw on SQLite: {ratio:.2f} (target ≥ 0.5)")
    out: dict[str, Any] = {
        "bench": "store",
        "rows": args.rows,
        "batch": args.batch,
        "sqlite_raw_rows_per_s": round(sqlite_rates["raw"]),
        "sqlite_ours_rows_per_s": round(sqlite_rates["ours"]),
        "sqlite_ours_duplicates_rows_per_s": round(sqlite_rates["ours_duplicates"]),
        "ours_over_raw": round(ratio, 3),
    }
    if pg_rates is not None:
        out["postgres_ours_rows_per_s"] = round(pg_rates["ours"])
        out["postgres_ours_duplicates_rows_per_s"] = round(pg_rates["ours_duplicates"])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
