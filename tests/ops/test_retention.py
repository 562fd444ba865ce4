"""Retention on SQLite and PostgreSQL: old rows go in small transactions, what is owed stays."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.metrics import Metrics
from bot.retention import RetentionPolicy, prune, schedule_retention
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import (
    Article,
    Broadcast,
    Chat,
    Delivery,
    DigestItem,
    EventLog,
    Source,
    Story,
    StoryBand,
    StoryTopic,
)
from tests.bot.harness import make_settings, running_bot

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=200)
RECENT = NOW - timedelta(days=2)
CHATS = 40
OLD_STORIES = 30
BATCH = 200


@dataclass
class Kept:
    """Ids that must survive the prune."""

    stories: set[int] = field(default_factory=set)
    deliveries: set[int] = field(default_factory=set)
    broadcasts: set[int] = field(default_factory=set)


async def add_story(s: AsyncSession, when: datetime, serial: int, **extra: Any) -> int:
    """A story as the pipeline leaves it: 64 band keys, a topic, two articles."""
    values = {
        "title": f"Berita {serial}",
        "summary": "",
        "topics": ["nasional"],
        "published_at": when,
        "first_seen_at": when,
        "updated_at": when,
        "outlet_count": 2,
    } | extra
    story_id = int((await s.execute(insert(Story).values(values).returning(Story.id))).scalar())
    bands = [{"band_key": serial * 1000 + b, "story_id": story_id} for b in range(64)]
    await s.execute(insert(StoryBand), bands)
    topic = {"story_id": story_id, "topic": "nasional", "published_at": when}
    await s.execute(insert(StoryTopic).values(topic))
    for n in range(2):
        url = f"https://outlet.example/{serial}-{n}"
        await s.execute(
            insert(Article).values(
                url=url, link=url, source_id=1, story_id=story_id, title="t",
                feed_summary="", categories=[], first_seen_at=when,
            )
        )  # fmt: skip
    return story_id


def ledger_row(chat_pk: int, status: str, when: datetime, **keys: Any) -> dict[str, Any]:
    return {
        "chat_pk": chat_pk,
        "kind": keys.pop("kind", "push"),
        "status": status,
        "attempts": 1,
        "not_before": when,
        "created_at": when,
        "story_id": keys.get("story_id"),
        "broadcast_id": keys.get("broadcast_id"),
        "digest_key": keys.get("digest_key"),
        "story_ids": keys.get("story_ids"),
    }


async def insert_row(s: AsyncSession, row: dict[str, Any]) -> int:
    return int((await s.execute(insert(Delivery).values(row).returning(Delivery.id))).scalar())


def digest_item(chat_pk: int, day: str, story_id: int) -> dict[str, Any]:
    return {"chat_pk": chat_pk, "day": day, "story_id": story_id}


async def fill(sessions: async_sessionmaker[AsyncSession]) -> Kept:
    """Old and recent stories, ledger rows, digest items and events; what must stay."""
    kept = Kept()
    async with sessions.begin() as s:
        await s.execute(
            insert(Source).values(
                id=1, name="Outlet", url="https://outlet.example/rss", enabled=True,
                consecutive_failures=0, next_due_at=NOW, created_at=OLD,
            )
        )  # fmt: skip
        await s.execute(
            insert(Chat),
            [
                {"chat_id": 100 + n, "thread_id": 0, "type": "private", "language": "id",
                 "active": True, "push_enabled": True, "created_at": OLD, "updated_at": OLD}
                for n in range(CHATS)
            ],
        )  # fmt: skip
        chat_pks = list((await s.scalars(select(Chat.id).order_by(Chat.id))).all())
        old = [await add_story(s, OLD, n) for n in range(OLD_STORIES)]
        serial = OLD_STORIES
        for extra in (
            {},  # recent
            {"published_at": OLD, "first_seen_at": OLD},  # an outlet joined it lately
            {"published_at": OLD, "first_seen_at": OLD, "updated_at": OLD},  # pinned lately
        ):
            serial += 1
            when = RECENT if "updated_at" not in extra else OLD
            pinned = {"pinned_at": RECENT} if "updated_at" in extra else {}
            kept.stories.add(await add_story(s, when, serial, **(extra | pinned)))
        owed = await add_story(s, OLD, serial + 1)  # a push still owed
        in_digest = await add_story(s, OLD, serial + 2)  # in a digest being sent
        kept.stories |= {owed, in_digest}

        # Pushes of the old stories, sent long ago: they go.
        rows = [ledger_row(c, "sent", OLD, story_id=st) for st in old for c in chat_pks]
        rows += [ledger_row(chat_pks[0], "failed", OLD, story_id=owed)]
        await s.execute(insert(Delivery), rows)
        # Still owed, however old: they stay, with their stories.
        still = [
            ledger_row(chat_pks[1], "pending", OLD, story_id=owed),
            ledger_row(chat_pks[2], "sending", OLD, kind="digest", digest_key="2026-05-01T07:00",
                       story_ids=[in_digest]),
        ]  # fmt: skip
        for row in still:
            kept.deliveries.add(await insert_row(s, row))

        done = Broadcast(admin_id=1, text="x", status="done", created_at=OLD, finished_at=OLD)
        running = Broadcast(admin_id=1, text="y", status="running", created_at=OLD)
        s.add_all([done, running])
        await s.flush()
        kept.broadcasts.add(running.id)
        await s.execute(
            insert(Delivery),
            [ledger_row(c, "sent", OLD, kind="broadcast", broadcast_id=done.id) for c in chat_pks],
        )
        for c in chat_pks:  # a running broadcast keeps its rows: they make its report
            row = ledger_row(c, "sent", OLD, kind="broadcast", broadcast_id=running.id)
            kept.deliveries.add(await insert_row(s, row))
        recent = ledger_row(chat_pks[3], "sent", RECENT, story_id=min(kept.stories))
        kept.deliveries.add(await insert_row(s, recent))

        fresh = min(kept.stories)
        items = [digest_item(c, "2026-05-01", st) for st in old[:3] for c in chat_pks]
        items += [digest_item(c, "2026-11-23", fresh) for c in chat_pks]
        await s.execute(insert(DigestItem), items)
        events = [{"kind": "source", "message": "m", "created_at": OLD} for _ in range(450)]
        events += [{"kind": "source", "message": "m", "created_at": RECENT} for _ in range(5)]
        await s.execute(insert(EventLog), events)
    return kept


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
