"""`newsbot latest --since/--until/--all`: a day's stories exported through the real CLI.

More stories than one page, several sharing a published time across page boundaries, on
SQLite and PostgreSQL: every story comes out exactly once, in order, and only those in range.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from bot.cli.listings import PAGE
from storage import sources
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Article
from tests.dbs import database_url
from tests.delivery.factory import add_story
from tests.ingest.process import environment, newsbot

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 11, 23, 0, 0, tzinfo=WIB)
DAY = datetime(2026, 11, 24, 0, 0, tzinfo=WIB)  # the day exported
GROUP = 7  # stories per published time: a page of 200 ends inside a group
COUNT = 700


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with database_url(request.param, tmp_path) as url:
        yield url


async def seed(url: str) -> list[tuple[datetime, int, str]]:
    """Stories over two days and a bit, inserted in random order; return (published, id, topic)."""
    times = [START + timedelta(minutes=30 * (i // GROUP)) for i in range(COUNT)]
    # The edges of the exported day: its first instant is in it, the next day's is not.
    times += [DAY, DAY + timedelta(days=1) - timedelta(microseconds=1), DAY + timedelta(days=1)]
    random.Random(11).shuffle(times)
    engine = create_engine(url)
    try:
        await upgrade(engine)
        async with session_factory(engine).begin() as session:
            await sources.sync_sources(
                session, [{"name": "Kompas", "url": "http://127.0.0.1:9/rss"}], START
            )
            source = await sources.source_by_name(session, "Kompas")
            assert source is not None
            made = []
            for n, when in enumerate(times):
                topic = "olahraga" if n % 3 == 0 else "ekonomi"
                story_id = await add_story(session, f"Berita {n}", [topic], published_at=when)
                made.append((when, story_id, topic))
            rows = [
                {
                    "url": f"http://127.0.0.1:9/berita/{story_id}",
                    "link": f"http://127.0.0.1:9/berita/{story_id}",
                    "source_id": source.id,
                    "story_id": story_id,
                    "guid": str(story_id),
                    "title": f"Artikel {story_id}",
                    "feed_summary": "",
                    "categories": [],
                    "published_at": when,
                    "first_seen_at": when,
                }
                for when, story_id, _ in made
            ]
            await session.execute(insert(Article), rows)
    finally:
        await engine.dispose()
    return sorted(made, key=lambda m: (m[0], m[1]), reverse=True)


def ids_in(made: list[tuple[datetime, int, str]], since: datetime, until: datetime) -> list[int]:
    return [story_id for when, story_id, _ in made if since <= when < until]


async def test_export_streams_every_story_in_range_once_in_order(
    tmp_path: Path, db_url: str
) -> None:
    made = await seed(db_url)
    assert COUNT > 2 * PAGE
    env = {"DATABASE_URL": db_url, "TIMEZONE": "Asia/Jakarta"}

    code, out, err = await newsbot(tmp_path, "latest", "--all", "--jsonl", **env)
    assert code == 0, err
    lines = out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [m[1] for m in made]
    first = json.loads(lines[0])
    assert set(first) == {
        "id", "title", "summary", "topics", "sections", "published_at", "image_url", "articles",
    }  # fmt: skip
    assert first["articles"] == [
        {
            "url": f"http://127.0.0.1:9/berita/{first['id']}",
            "source": "Kompas",
            "title": f"Artikel {first['id']}",
            "section": None,
        }
    ]

    # A day in TIMEZONE: a date alone as --until takes in that whole day.
    day = ids_in(made, DAY, DAY + timedelta(days=1))
    assert len(day) > PAGE
    code, out, err = await newsbot(
        tmp_path, "latest", "--since", "2026-11-24", "--until", "2026-11-24", "--all", "--jsonl",
        **env,
    )  # fmt: skip
    assert code == 0, err
    assert [json.loads(line)["id"] for line in out.splitlines()] == day

    # Times without an offset are in TIMEZONE; with one, as given. --until is exclusive.
    since, until = DAY + timedelta(hours=6), DAY + timedelta(hours=18)
    code, out, err = await newsbot(
        tmp_path, "latest", "--since", "2026-11-24T06:00", "--until", "2026-11-24T11:00Z",
        "--all", "--json", **env,
    )  # fmt: skip
    assert code == 0, err
    assert until == datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
    assert [s["id"] for s in json.loads(out)] == ids_in(made, since, until)

    # --json --all is one array, streamed; --topic still applies.
    code, out, err = await newsbot(
        tmp_path, "latest", "--all", "--json", "--topic", "olahraga", **env
    )
    assert code == 0, err
    assert [s["id"] for s in json.loads(out)] == [m[1] for m in made if m[2] == "olahraga"]

    # --limit still counts across pages; piped, one tab-separated line per story.
    code, out, err = await newsbot(
        tmp_path, "latest", "--limit", "200", "--until", "2026-11-24", **env
    )
    assert code == 0, err
    header, *rows = out.splitlines()
    assert header.split("\t") == [
        "id", "published", "topics", "sources", "sections", "title", "summary", "links",
    ]  # fmt: skip
    assert len(rows) == 200 and all(len(r.split("\t")) == 8 for r in rows)
    wanted = ids_in(made, START, DAY + timedelta(days=1))[:200]
    assert [int(r.split("\t")[0]) for r in rows] == wanted
    published = datetime.fromisoformat(rows[0].split("\t")[1])
    assert published.utcoffset() == timedelta(hours=7)
    assert rows[0].split("\t")[7] == f"http://127.0.0.1:9/berita/{wanted[0]}"


async def test_export_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    for args, words in (
        (["--since", "yesterday"], "is not an ISO date or time"),
        (["--since", "2026-11-25", "--until", "2026-11-24"], "--since must be earlier"),
        (["--all", "--limit", "5"], "not allowed with argument"),
        (["--json", "--jsonl"], "not allowed with argument"),
    ):
        code, out, err = await newsbot(tmp_path, "latest", *args)
        assert code == 2, args
        assert words in err and out == "", (args, err)


def first_line_then_close(tmp_path: Path, db_url: str) -> tuple[bytes, int, bytes]:
    """`newsbot latest --all --jsonl | head -n 1`: read one line, close the pipe, wait."""
    reader, writer = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "latest", "--all", "--jsonl"],
        cwd=tmp_path,
        env=environment(tmp_path, DATABASE_URL=db_url),
        stdout=writer,
        stderr=subprocess.PIPE,
    )
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        line = pipe.readline()
    _, err = proc.communicate(timeout=120)
    return line, proc.returncode, err


async def test_a_reader_that_stops_early_ends_the_export_quietly(
    tmp_path: Path, db_url: str
) -> None:
    await seed(db_url)
    line, code, err = await asyncio.to_thread(first_line_then_close, tmp_path, db_url)
    assert json.loads(line)["title"].startswith("Berita ")
    assert code == 141  # as a shell reports a command stopped by a closed pipe
    assert err == b""  # no traceback, no "unexpected error"
