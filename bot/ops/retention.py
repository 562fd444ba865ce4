"""Data retention: drop stories and ledger rows older than RETENTION_DAYS, in small batches.

Every batch is its own short transaction, with a pause between them, so on SQLite the bot's
writers (ingest, the sender) get the lock between two batches and never wait long. What is
still owed is kept: open ledger rows, the rows of a running broadcast, the stories they name.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.news import affinity
from bot.ops.metrics import Metrics
from bot.telegram.typed_context import BotApp, BotContext
from storage import retention

log = logging.getLogger(__name__)

# Daily, at a quiet hour in TIMEZONE (few readers, few new stories).
PRUNE_AT = time(3, 30)
# Between two batches, so the bot's writers get the database.
PAUSE = 0.05
# A taste not taught again for eight half-lives weighs under 1/256 of what it did: gone.
FADED_AFTER = affinity.HALF_LIFE * 8


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How old is too old, and how many rows one transaction may delete."""

    days: int
    batch: int = 1000
    pause: float = PAUSE


async def prune(
    sessions: async_sessionmaker[AsyncSession], policy: RetentionPolicy, now: datetime
) -> dict[str, int]:
    """Delete what is older than the policy allows; return rows deleted per table."""
    if policy.days <= 0:
        return {}
    cutoff = now - timedelta(days=policy.days)
    done: Counter[str] = Counter()
    walks = (
        ("deliveries", retention.deliveries_batch),
        ("broadcasts", retention.broadcasts_batch),
        ("event_log", retention.event_log_batch),
    )
    for table, batch in walks:
        cursor: int | None = 0
        while cursor is not None:
            async with sessions.begin() as session:
                gone, cursor = await batch(session, cutoff, after=cursor, limit=policy.batch)
            done[table] += gone
            await asyncio.sleep(policy.pause)
    # Digest days are local dates; a day of slack covers every time zone.
    before_day = (cutoff - timedelta(days=1)).date().isoformat()
    done["digest_items"] += await _until_none_left(
        sessions, policy, partial(retention.digest_items_batch, before_day=before_day)
    )
    await _prune_stories(sessions, policy, cutoff, done)
    faded = partial(retention.faded_affinities_batch, learned_before=now - FADED_AFTER)
    done["chat_affinities"] += await _until_none_left(sessions, policy, faded)
    return {table: n for table, n in done.items() if n}


async def _until_none_left(
    sessions: async_sessionmaker[AsyncSession],
    policy: RetentionPolicy,
    batch: Callable[..., Awaitable[int]],
) -> int:
    """Run `batch(session, limit=…)`, a transaction each, until one deletes less than a batch."""
    total = 0
    while True:
        async with sessions.begin() as session:
            gone = await batch(session, limit=policy.batch)
        total += gone
        if gone < policy.batch:
            return total
        await asyncio.sleep(policy.pause)


async def _prune_stories(
    sessions: async_sessionmaker[AsyncSession],
    policy: RetentionPolicy,
    cutoff: datetime,
    done: Counter[str],
) -> None:
    async with sessions() as session:
        keep = await retention.referenced_story_ids(session)
    after = 0
    while True:
        async with sessions.begin() as session:
            found = await retention.old_stories(session, cutoff, after=after, limit=policy.batch)
            if not found:
                return
            # A story takes its articles, topics and band keys along: size the batch by rows.
            ids: list[int] = []
            rows = 0
            for story_id, weight in found:
                if ids and rows + weight > policy.batch:
                    break
                ids.append(story_id)
                rows += weight
            done.update(await retention.delete_stories(session, ids, keep))
        after = ids[-1]
        await asyncio.sleep(policy.pause)


def policy_of(settings: Settings) -> RetentionPolicy:
    """The retention policy from RETENTION_DAYS and PRUNE_BATCH."""
    return RetentionPolicy(days=settings.retention_days, batch=settings.prune_batch)


def schedule_retention(application: BotApp, settings: Settings, metrics: Metrics) -> None:
    """Prune once a day at PRUNE_AT local time (nothing when RETENTION_DAYS=0)."""
    if settings.retention_days <= 0:
        return
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("PTB was installed without the job-queue extra")
    policy = policy_of(settings)
    queue.run_daily(
        _prune_job(policy, metrics),
        PRUNE_AT.replace(tzinfo=settings.tz),
        name="retention",
        job_kwargs={"max_instances": 1, "coalesce": True},
    )


def _prune_job(
    policy: RetentionPolicy, metrics: Metrics
) -> Callable[[BotContext], Coroutine[None, None, None]]:
    async def prune_job(ctx: BotContext) -> None:
        if not ctx.state.lead:  # one process prunes; the others would only queue behind it
            return
        counts = await prune(ctx.sessions, policy, ctx.now())
        metrics.observe_pruned(counts)
        if counts:
            log.info("retention: pruned %s", ", ".join(f"{n} {t}" for t, n in counts.items()))

    return prune_job
