"""Aggregates for admins and operators: `/stats`, `newsbot stats` and `newsbot chats`, and the
series the Mini App's admins' charts draw (send outcomes per hour, followers per topic per day).

Counts only: no function here returns one chat's row, title, id or keyword. A reader's data is
the reader's; admins see how many, never who.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import String, cast, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import chats, ledger
from storage.dialect import insert_for
from storage.models import (
    Chat,
    EventLog,
    FollowerCount,
    HourlyOutcome,
    ShareCount,
    Source,
    Story,
    Subscription,
)


@dataclass(frozen=True, slots=True)
class DayStats:
    """What `/stats` shows: chats, followers, today's stories and messages, failing sources."""

    day: str  # the local date, YYYY-MM-DD
    active_by_type: dict[str, int]
    inactive: int
    pilihan: int  # active chats following Berita Pilihan
    topics: dict[str, int]  # active chats following each topic
    stories: int  # stories first seen since local midnight
    outcomes: dict[str, int]  # send outcomes counted today
    pending: int  # ledger rows still owed
    last_error: str | None  # today's last delivery failure
    failing: list[tuple[str, int]] = field(default_factory=list)  # (source, failures), worst first
    # Stories shared through inline mode per local day, the last SHARE_DAYS days (today last).
    shares: dict[str, int] = field(default_factory=dict)

    @property
    def shares_today(self) -> int:
        """Stories shared through inline mode today."""
        return self.shares.get(self.day, 0)

    @property
    def active(self) -> int:
        """Active chats of every type."""
        return sum(self.active_by_type.values())


async def day_stats(
    session: AsyncSession, now: datetime, tz: tzinfo, *, error_kind: str
) -> DayStats:
    """Today's numbers in `tz`; `error_kind` is the event-log kind of delivery failures."""
    local = now.astimezone(tz)
    since = datetime.combine(local.date(), time(0), tzinfo=tz)
    day = local.date().isoformat()
    per_type = await chats.count_chats(session)
    followers = await chats.followers_per_topic(session)
    stories = await session.scalar(
        select(func.count()).select_from(Story).where(Story.first_seen_at >= since)
    )
    last_error = await session.scalar(
        select(EventLog.message)
        .where(EventLog.kind == error_kind, EventLog.created_at >= since)
        .order_by(EventLog.id.desc())
        .limit(1)
    )
    failing = await session.execute(
        select(Source.name, Source.consecutive_failures)
        .where(Source.consecutive_failures > 0)
        .order_by(Source.consecutive_failures.desc(), Source.name)
    )
    inactive = per_type.pop("inactive", 0)
    return DayStats(
        day=day,
        active_by_type=per_type,
        inactive=inactive,
        pilihan=followers.pop(chats.PILIHAN, 0),
        topics=followers,
        stories=int(stories or 0),
        outcomes=await ledger.outcomes(session, day),
        pending=await ledger.open_count(session),
        last_error=last_error,
        failing=[(str(name), int(n)) for name, n in failing],
        shares=await shares_per_day(session, local.date(), SHARE_DAYS),
    )


SHARE_DAYS = 7  # days of shares /stats and `newsbot stats` show


async def count_share(session: AsyncSession, day: str) -> None:
    """One more story shared through inline mode on a local day (who shared is not kept)."""
    add = insert_for(session, ShareCount).values(day=day, count=1)
    add = add.on_conflict_do_update(
        index_elements=["day"], set_={"count": ShareCount.count + add.excluded.count}
    )
    await session.execute(add)


async def shares_per_day(session: AsyncSession, last: date, days: int) -> dict[str, int]:
    """Shares of each of the `days` local days up to `last`, oldest first (0 when none)."""
    span = [(last - timedelta(days=n)).isoformat() for n in reversed(range(days))]
    query = select(ShareCount.day, ShareCount.count).where(ShareCount.day >= span[0])
    found = {str(day): int(n) for day, n in await session.execute(query)}
    return {day: found.get(day, 0) for day in span}


@dataclass(frozen=True, slots=True)
class ChatAggregates:
    """How the chats are spread out; every figure is a count of chats (or subscriptions)."""

    by_type: dict[str, dict[str, int]]  # type -> {"active": n, "inactive": n}
    forum_topics: int  # active chats that are a forum topic of a group
    language: dict[str, int]  # of active chats
    push: dict[str, int]  # of active chats: {"on": n, "off": n}
    timezone: dict[str, int]  # of active chats; "default" is the bot's TIMEZONE
    quiet_hours: int  # active chats with quiet hours set
    own_pilihan_times: int  # active chats with their own Berita Pilihan times
    pilihan: int  # active chats following Berita Pilihan
    topics: dict[str, int]  # active chats following each topic
    keyword_chats: int  # active chats following at least one keyword (never which)
    keyword_subscriptions: int
    following_nothing: int  # active chats following nothing

    @property
    def active(self) -> int:
        """Active chats of every type."""
        return sum(t["active"] for t in self.by_type.values())

    @property
    def inactive(self) -> int:
        """Chats no longer reachable (blocked, removed, deleted)."""
        return sum(t["inactive"] for t in self.by_type.values())


async def chat_aggregates(session: AsyncSession) -> ChatAggregates:
    """Counts of chats by type, state, language, settings and what they follow."""
    by_type: dict[str, dict[str, int]] = {}
    query: Any = select(Chat.type, Chat.active, func.count()).group_by(Chat.type, Chat.active)
    for kind, active, n in await session.execute(query):
        counts = by_type.setdefault(str(kind), {"active": 0, "inactive": 0})
        counts["active" if active else "inactive"] += int(n)
    active = Chat.active.is_(True)

    async def spread(column: Any) -> Counter[Any]:
        rows = await session.execute(select(column, func.count()).where(active).group_by(column))
        return Counter({value: int(n) for value, n in rows})

    async def count(*where: Any) -> int:
        found = await session.scalar(select(func.count()).select_from(Chat).where(active, *where))
        return int(found or 0)

    push = await spread(Chat.push_enabled)
    zones = await spread(Chat.timezone)
    followed = select(Subscription.chat_pk)
    keyword = followed.where(Subscription.kind == chats.KEYWORD)
    keyword_subscriptions = await session.scalar(
        select(func.count())
        .select_from(Subscription)
        .join(Chat, Chat.id == Subscription.chat_pk)
        .where(active, Subscription.kind == chats.KEYWORD)
    )
    followers = await chats.followers_per_topic(session)
    return ChatAggregates(
        by_type=dict(sorted(by_type.items())),
        forum_topics=await count(Chat.thread_id != 0),
        language=dict(sorted((str(k), n) for k, n in (await spread(Chat.language)).items())),
        push={"on": push.get(True, 0), "off": push.get(False, 0)},
        timezone=dict(sorted((str(k or "default"), n) for k, n in zones.items())),
        quiet_hours=await count(Chat.quiet_start.is_not(None)),
        # A reset stores JSON null, not SQL NULL: compare the text.
        own_pilihan_times=await count(
            Chat.pilihan_times.is_not(None),
            cast(Chat.pilihan_times, String).not_in(("null", "[]")),
        ),
        pilihan=followers.pop(chats.PILIHAN, 0),
        topics=dict(sorted(followers.items(), key=lambda kv: (-kv[1], kv[0]))),
        keyword_chats=await count(Chat.id.in_(keyword)),
        keyword_subscriptions=int(keyword_subscriptions or 0),
        following_nothing=await count(Chat.id.not_in(followed)),
    )


async def hourly_outcomes(
    session: AsyncSession, since: datetime
) -> list[tuple[datetime, str, int]]:
    """(hour start, outcome, count) of every hour from `since` on, oldest first."""
    query = (
        select(HourlyOutcome.hour, HourlyOutcome.outcome, HourlyOutcome.count)
        .where(HourlyOutcome.hour >= since)
        .order_by(HourlyOutcome.hour, HourlyOutcome.outcome)
    )
    return [(hour, str(outcome), int(n)) for hour, outcome, n in await session.execute(query)]


async def record_followers(session: AsyncSession, day: str, counts: Mapping[str, int]) -> None:
    """Make `counts` the day's follower snapshot (a later one the same day replaces it)."""
    await session.execute(delete(FollowerCount).where(FollowerCount.day == day))
    rows = [{"day": day, "topic": topic, "count": n} for topic, n in sorted(counts.items())]
    if rows:
        await session.execute(insert(FollowerCount), rows)


async def follower_history(session: AsyncSession, since_day: str) -> dict[str, dict[str, int]]:
    """Day → topic → followers, for the snapshots from `since_day` (YYYY-MM-DD) on."""
    query = (
        select(FollowerCount.day, FollowerCount.topic, FollowerCount.count)
        .where(FollowerCount.day >= since_day)
        .order_by(FollowerCount.day)
    )
    history: dict[str, dict[str, int]] = {}
    for day, topic, n in await session.execute(query):
        history.setdefault(str(day), {})[str(topic)] = int(n)
    return history
