"""Retention on SQLite and PostgreSQL: old rows go in small transactions, what is owed stays."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.ingest.indexing import index_missing
from bot.news.search.query import parse_query
from bot.ops.metrics import Metrics
from bot.ops.retention import FADED_AFTER, RetentionPolicy, prune, schedule_retention
from storage import search
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import (
    Article,
    Broadcast,
    Chat,
    ChatAffinity,
    ChatFeedback,
    Delivery,
    DigestItem,
    EventLog,
    Story,
    StoryBand,
)
from tests.bot.harness import make_settings, running_bot
from tests.ops.rows import CHATS, NOW, OLD_STORIES, fill

BATCH = 200


@contextmanager
def deletes_per_transaction(engine: AsyncEngine) -> Iterator[list[int]]:
    """Rows deleted by each committed transaction, counted from the statements themselves."""
    committed: list[int] = []
    running: dict[int, int] = {}

    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("DELETE"):
            running[id(conn)] = running.get(id(conn), 0) + max(cursor.rowcount, 0)

    def commit(conn: Any) -> None:
        committed.append(running.pop(id(conn), 0))

    sync = engine.sync_engine
    event.listen(sync, "after_cursor_execute", after)
    event.listen(sync, "commit", commit)
    try:
        yield committed
    finally:
        event.remove(sync, "after_cursor_execute", after)
        event.remove(sync, "commit", commit)


async def count(sessions: async_sessionmaker[AsyncSession], model: Any) -> int:
    async with sessions() as s:
        return int((await s.execute(select(func.count()).select_from(model))).scalar_one())


async def test_prune_deletes_old_rows_in_small_batches_and_keeps_what_is_owed(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kept = await fill(sessions)
    policy = RetentionPolicy(days=90, batch=BATCH, pause=0)
    with deletes_per_transaction(engine) as committed:
        counts = await prune(sessions, policy, NOW)

    assert counts == {
        "deliveries": OLD_STORIES * CHATS + 1 + CHATS,  # old pushes, a failed one, a broadcast
        "broadcasts": 1,
        "event_log": 450,
        "digest_items": 3 * CHATS,
        "stories": OLD_STORIES,
        "articles": 2 * OLD_STORIES,
    }
    deleting = [n for n in committed if n]
    assert max(deleting) <= BATCH  # every transaction is small…
    ledger = sum(n for table, n in counts.items() if table not in ("stories", "articles"))
    total = OLD_STORIES * (1 + 64 + 1 + 2) + ledger  # a story, its bands, topic and articles
    assert sum(deleting) == total  # …and together they deleted everything counted
    assert len(deleting) >= -(-total // BATCH)
    async with sessions() as s:
        stories = set((await s.scalars(select(Story.id))).all())
        deliveries = set((await s.scalars(select(Delivery.id))).all())
        broadcasts = set((await s.scalars(select(Broadcast.id))).all())
        days = set((await s.scalars(select(DigestItem.day))).all())
        no_story = select(func.count()).where(Article.story_id.is_(None))
        orphans = (await s.execute(no_story)).scalar_one()
    assert stories == kept.stories
    assert deliveries == kept.deliveries
    assert broadcasts == kept.broadcasts
    assert days == {"2026-11-23"}
    assert orphans == 0  # no article is left without its story (it would be re-processed)
    assert await count(sessions, StoryBand) == 64 * len(kept.stories)
    assert await count(sessions, EventLog) == 5
    # A second run finds nothing more.
    assert await prune(sessions, policy, NOW) == {}


async def test_zero_days_keeps_everything(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await fill(sessions)
    before = await count(sessions, Delivery)
    assert await prune(sessions, RetentionPolicy(days=0), NOW) == {}
    assert await count(sessions, Delivery) == before


async def test_newsbot_run_schedules_a_daily_prune(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, retention_days=30, timezone="Asia/Makassar")
    metrics = Metrics()
    async with running_bot(settings, clock=lambda: NOW) as bot:
        await fill(bot.resources.sessions)
        schedule_retention(bot.app, settings, metrics)
        assert bot.app.job_queue is not None
        [job] = bot.app.job_queue.get_jobs_by_name("retention")
        trigger = job.job.trigger
        assert str(trigger.timezone) == "Asia/Makassar"
        fields = {f.name: str(f) for f in trigger.fields}
        assert (fields["hour"], fields["minute"]) == ("3", "30")
        await job.run(bot.app)
    pruned = metrics.registry.get_sample_value("newsbot_pruned_rows_total", {"table": "stories"})
    assert pruned == OLD_STORIES
    off = make_settings(tmp_path, retention_days=0)
    async with running_bot(off) as bot:
        schedule_retention(bot.app, off, metrics)
        assert bot.app.job_queue is not None
        assert not bot.app.job_queue.get_jobs_by_name("retention")


async def newsbot(tmp_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    database = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    environment = clean | {"DATABASE_URL": database, "COLUMNS": "200"} | env
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=tmp_path, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_db_prune_command(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    await upgrade(engine)
    old = datetime.now(UTC) - timedelta(days=200)
    async with engine.begin() as conn:
        rows = [{"kind": "source", "message": "m", "created_at": old}] * 3
        await conn.execute(insert(EventLog), rows)
    await engine.dispose()

    code, out, err = await newsbot(tmp_path, "db", "prune", "--days", "3")
    assert code == 2 and "--days: must be a whole number of days, 7+" in err
    code, out, err = await newsbot(tmp_path, "db", "prune", RETENTION_DAYS="0")
    assert code == 0 and "retention is off" in out
    code, out, err = await newsbot(tmp_path, "db", "prune", RETENTION_DAYS="3")
    assert code == 2 and "RETENTION_DAYS" in err and "at least 7" in err
    code, out, err = await newsbot(tmp_path, "db", "prune")
    assert code == 0, err
    assert "rows older than 90 days" in out
    assert [line.split() for line in out.splitlines() if "event_log" in line] == [
        ["│", "event_log", "│", "3", "│"]
    ]


async def test_pruned_stories_leave_the_search_index(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    kept = await fill(sessions)
    indexed = await index_missing(sessions)
    assert indexed > len(kept.stories)
    await prune(sessions, RetentionPolicy(days=90, batch=BATCH, pause=0), NOW)
    async with sessions() as s:
        assert await search.indexed_count(s) == await count(sessions, Story)
        page = await search.search_stories(s, parse_query("berita"), limit=100, now=NOW)
    assert set(page.story_ids) == await story_ids(sessions)
    assert kept.stories <= set(page.story_ids)


async def story_ids(sessions: async_sessionmaker[AsyncSession]) -> set[int]:
    async with sessions() as s:
        return set((await s.scalars(select(Story.id))).all())


async def test_faded_tastes_and_signals_on_deleted_stories_go(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    kept = await fill(sessions)
    async with sessions.begin() as s:
        chat_pk = (await s.scalars(select(Chat.id).order_by(Chat.id))).first()
        assert chat_pk is not None
        old_story = (
            await s.scalars(select(Story.id).where(Story.id.not_in(kept.stories)))
        ).first()
        kept_story = min(kept.stories)
        long_ago = NOW - FADED_AFTER - timedelta(days=1)
        # More faded weights than a batch holds: retention takes them a batch at a time.
        faded = [
            {"chat_pk": chat_pk, "feature": f"k:kata{i}", "weight": 3.0, "learned_at": long_ago}
            for i in range(BATCH + 5)
        ]
        fresh = {"chat_pk": chat_pk, "feature": "t:olahraga", "weight": 1.0, "learned_at": NOW}
        await s.execute(
            insert(ChatAffinity),
            [*faded, fresh],
        )
        await s.execute(
            insert(ChatFeedback),
            [
                {"chat_pk": chat_pk, "story_id": story, "signal": "vote", "value": 1, "at": NOW}
                for story in (old_story, kept_story)
            ],
        )
    counts = await prune(sessions, RetentionPolicy(days=90, batch=BATCH, pause=0), NOW)
    assert counts["chat_affinities"] == BATCH + 5
    async with sessions() as s:
        assert (await s.scalars(select(ChatAffinity.feature))).all() == ["t:olahraga"]
        assert (await s.scalars(select(ChatFeedback.story_id))).all() == [kept_story]
