"""What PTB's JobQueue runs: the ingest cycle, and Berita Pilihan for the chats that are due.

Jobs only decide what is due; the ledger in the database says what was already owed, so a
restart or an overlapping minute never owes a digest twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import JobQueue

from bot.config import Settings, parse_clock
from bot.delivery.personal import FeatureCache, picks_for_chats
from bot.delivery.pilihan import local_day
from bot.delivery.quiet import chat_zone
from bot.telegram.typed_context import BotApp, BotContext
from storage import chats, sources, stats
from storage.models import Chat, Delivery
from storage.outage import OutageWatch

log = logging.getLogger(__name__)

# The ingest job runs again when the next source falls due, at least this often and at most
# this soon after the last run: a push is late by no more than the source's interval.
INGEST_AT_MOST = timedelta(seconds=30)
INGEST_AT_LEAST = timedelta(seconds=1)
PILIHAN_EVERY = timedelta(minutes=1)
# The day's follower snapshot is rewritten this often: the last one of a day stands for it.
FOLLOWERS_EVERY = timedelta(hours=1)
# A slot still counts as due this long after its time (a restart or a slow minute).
PILIHAN_GRACE = timedelta(minutes=30)
PAGE = 500
# While the database is away, the next ingest cycle is tried this soon: the first cycle after
# its return stores what the interrupted one could not.
OUTAGE_RETRY = 5.0


@dataclass(frozen=True, slots=True)
class DueDigest:
    """A chat owed a Berita Pilihan at one slot of its local day."""

    chat_pk: int
    digest_key: str  # "2026-11-25T07:00", local to the chat
    day: str
    tz: tzinfo


def due_slot(
    now: datetime, tz: tzinfo, times: list[time], grace: timedelta = PILIHAN_GRACE
) -> tuple[str, str] | None:
    """(digest_key, day) of the latest slot at or before `now` within `grace`, else None."""
    local = now.astimezone(tz)
    for slot in sorted(times, reverse=True):
        at = local.replace(hour=slot.hour, minute=slot.minute, second=0, microsecond=0)
        if at <= local < at + grace:
            return f"{at.date().isoformat()}T{slot:%H:%M}", local_day(now, tz)
    return None


def chat_times(chat: Chat, settings: Settings) -> list[time]:
    """The chat's Pilihan times, else PILIHAN_TIMES."""
    if chat.pilihan_times:
        try:
            return [parse_clock(t) for t in chat.pilihan_times]
        except ValueError:
            log.warning("chat %s has bad Pilihan times %r", chat.id, chat.pilihan_times)
    return list(settings.pilihan_times)


async def due_digests(
    session: AsyncSession, settings: Settings, now: datetime, *, after_pk: int = 0
) -> tuple[list[DueDigest], int | None]:
    """One page of chats following Pilihan that are due and not yet owed; next cursor or None."""
    page = await chats.chats_page(session, after_pk, PAGE, following=chats.PILIHAN)
    if not page:
        return [], None
    due: list[DueDigest] = []
    for chat in page:
        tz = chat_zone(chat.timezone, settings.tz)
        slot = due_slot(now, tz, chat_times(chat, settings))
        if slot is not None:
            due.append(DueDigest(chat.id, slot[0], slot[1], tz))
    if due:
        query = select(Delivery.chat_pk, Delivery.digest_key).where(
            Delivery.chat_pk.in_([d.chat_pk for d in due]),
            Delivery.digest_key.in_({d.digest_key for d in due}),
        )
        owed = {(int(r.chat_pk), str(r.digest_key)) for r in await session.execute(query)}
        due = [d for d in due if (d.chat_pk, d.digest_key) not in owed]
    return due, page[-1].id


async def enqueue_due_digests(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime
) -> int:
    """Owe every due chat its digest, ranked for it (bot.delivery.personal); the picks leave
    out what it already got today."""
    from bot.delivery.outbox import enqueue_digest  # the delivery helper's module

    owed = 0
    cursor: int | None = 0
    cache = FeatureCache()  # each story's features, computed once for every chat
    while cursor is not None:
        async with sessions.begin() as session:
            due, cursor = await due_digests(session, settings, now, after_pk=cursor)
            chats_due = [(d.chat_pk, d.tz) for d in due]
            picks = await picks_for_chats(session, chats_due, now=now, cache=cache)
            for digest in due:
                ids = picks[digest.chat_pk].ids
                if ids and await enqueue_digest(
                    session, digest.chat_pk, digest.digest_key, ids, digest.day, now
                ):
                    owed += 1
    return owed


async def ingest_job(ctx: BotContext) -> None:
    """One ingest cycle, then the next one when the next source is due (one chain of runs)."""
    try:
        await _ingest(ctx)
    finally:
        delay = await until_next_poll(ctx.sessions, ctx.now(), ctx.resources.watch)
        # PTB types a context's job queue loosely; the application's is JobQueue[BotContext].
        queue = cast("JobQueue[BotContext] | None", ctx.job_queue)
        if queue is not None:
            queue.run_once(ingest_job, delay, name="ingest")


async def until_next_poll(
    sessions: async_sessionmaker[AsyncSession], now: datetime, watch: OutageWatch | None = None
) -> float:
    """Seconds until the earliest enabled source is due, within the ingest job's bounds."""
    low, high = INGEST_AT_LEAST.total_seconds(), INGEST_AT_MOST.total_seconds()
    try:
        async with sessions() as session:
            due = await sources.next_due(session)
    except Exception as exc:
        if watch is None or not watch.failed(exc, "the ingest schedule"):
            log.exception("cannot read when the next source is due")
        return OUTAGE_RETRY if watch is not None and not watch.up else high
    if due is None:
        return high
    return min(max((due - now).total_seconds(), low), high)


async def _ingest(ctx: BotContext) -> None:
    # New stories carry their own `pushes_owed` mark, so if this fails after storing them,
    # delivery's upkeep still owes their pushes within seconds.
    report = await ctx.resources.ingestor.run_once()
    if report.new_story_ids:
        log.info("ingest: %d new stories", len(report.new_story_ids))
        service = ctx.state.delivery
        if service is not None:
            service.kick()  # its upkeep owes the pushes now (running it here too would race)


async def pilihan_job(ctx: BotContext) -> None:
    """Owe Berita Pilihan to the chats whose slot has come (the lead process only)."""
    if not ctx.state.lead:
        return
    owed = await enqueue_due_digests(ctx.sessions, ctx.settings, ctx.now())
    if owed:
        log.info("Berita Pilihan owed to %d chats", owed)
        service = ctx.state.delivery
        if service is not None:
            service.kick()


async def followers_job(ctx: BotContext) -> None:
    """Write today's followers per topic for the admins' 30-day chart (the lead process only)."""
    if not ctx.state.lead:
        return
    await snapshot_followers(ctx.sessions, ctx.settings.tz, ctx.now())


async def snapshot_followers(
    sessions: async_sessionmaker[AsyncSession], tz: tzinfo, now: datetime
) -> None:
    """Record how many active chats follow each topic on `now`'s local day."""
    async with sessions.begin() as session:
        counts = await chats.followers_per_topic(session)
        await stats.record_followers(session, local_day(now, tz), counts)


def schedule_jobs(application: BotApp) -> None:
    """Put the ingest, Pilihan and follower-count jobs on the JobQueue (one of each at a time)."""
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("PTB was installed without the job-queue extra")
    kwargs = {"max_instances": 1, "coalesce": True}
    queue.run_once(ingest_job, 1, name="ingest")  # each run schedules the next
    queue.run_repeating(pilihan_job, PILIHAN_EVERY, first=5, name="pilihan", job_kwargs=kwargs)
    queue.run_repeating(
        followers_job, FOLLOWERS_EVERY, first=30, name="followers", job_kwargs=kwargs
    )
