"""The listing subcommands: `sources`, `latest`, `stats` and `chats`, each also as JSON."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.style import Style
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.cli.output import (
    Format,
    local_time,
    print_json,
    print_plain,
    print_report,
    print_table,
    stream_json,
    utc_time,
)
from bot.config import Settings
from bot.delivery.outcomes import EVENT_KIND as DELIVERY_EVENTS
from bot.delivery.outcomes import OUTCOMES
from bot.ingest.cycle import utcnow
from bot.runtime import open_database, open_resources
from storage import sources, stats, stories
from storage.db import session_factory
from storage.models import Source
from storage.stories import StoryView

PAGE = 200  # stories read per query while listing: memory stays flat however many there are

SOURCE_COLUMNS = (
    "source",
    "state",
    "last success",
    "failures",
    "last error",
    "next poll",
    "conditional",
    "interval",
)
PLAIN_SOURCE_COLUMNS = (
    "source",
    "state",
    "last_success",
    "failures",
    "last_error",
    "next_poll",
    "conditional",
    "interval_s",
    "paused_reason",
)
PLAIN_STORY_COLUMNS = (
    "id",
    "published",
    "topics",
    "sources",
    "sections",
    "title",
    "summary",
    "links",
)


async def show_sources(settings: Settings, fmt: Format) -> int:
    """Print each source's health."""
    async with open_resources(settings) as res, res.sessions() as session:
        rows = await sources.all_sources(session)
    if fmt == "json":
        print_json([_source_json(s, settings) for s in rows])
    elif fmt == "plain":
        print_plain(PLAIN_SOURCE_COLUMNS, (_source_plain(s, settings) for s in rows))
    else:
        print_table("sources", SOURCE_COLUMNS, (_source_row(s, settings) for s in rows))
    return 0


def _state(source: Source) -> str:
    return "paused" if not source.enabled else ("failing" if source.consecutive_failures else "ok")


def _interval(source: Source, settings: Settings) -> int:
    return source.learned_interval or source.interval or settings.max_interval


def _source_row(s: Source, settings: Settings) -> list[str]:
    return [
        s.name,
        _state(s) if s.enabled else f"paused: {s.paused_reason or ''}",
        _when(s.last_success_at, settings),
        str(s.consecutive_failures),
        s.last_error or "",
        _when(s.next_due_at, settings) if s.enabled else "—",
        {True: "yes", False: "no", None: "unknown"}[s.conditional],
        f"{_interval(s, settings) // 60} min",
    ]


def _source_plain(s: Source, settings: Settings) -> list[object]:
    return [
        s.name,
        _state(s),
        local_time(s.last_success_at, settings.tz),
        s.consecutive_failures,
        s.last_error,
        local_time(s.next_due_at, settings.tz) if s.enabled else None,
        {True: "yes", False: "no", None: "unknown"}[s.conditional],
        _interval(s, settings),
        s.paused_reason if not s.enabled else None,
    ]


def _source_json(s: Source, settings: Settings) -> dict[str, Any]:
    return {
        "name": s.name,
        "url": s.url,
        "kind": s.kind,
        "topic": s.topic,
        "state": _state(s),
        "paused_reason": s.paused_reason if not s.enabled else None,
        "last_polled_at": utc_time(s.last_polled_at),
        "last_success_at": utc_time(s.last_success_at),
        "last_error": s.last_error,
        "last_error_at": utc_time(s.last_error_at),
        "consecutive_failures": s.consecutive_failures,
        "next_poll_at": utc_time(s.next_due_at) if s.enabled else None,
        "conditional": s.conditional,
        "interval": _interval(s, settings),
    }


async def latest(
    settings: Settings,
    fmt: Format,
    *,
    limit: int | None,
    topic: str | None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """Print the newest stories (`limit` None: every one), streamed page by page."""
    if topic is not None:
        from bot.news.topics.taxonomy import resolve_topic

        found = resolve_topic(topic)
        if found is None:
            hint = "give a topic (e.g. olahraga) or a province (e.g. Jawa Timur)"
            Console(stderr=True).print(escape(f"unknown topic {topic!r}: {hint}"))
            return 2
        topic = found
    if since is not None and until is not None and since >= until:
        print("newsbot: --since must be earlier than --until", file=sys.stderr)
        return 2
    async with open_database(settings) as engine:
        found_stories = _stories(engine, limit=limit, topic=topic, since=since, until=until)
        if fmt in ("json", "jsonl"):
            views = (v.as_json() async for v in found_stories)
            await stream_json(views, lines=fmt == "jsonl")
        elif fmt == "plain":
            print_plain(PLAIN_STORY_COLUMNS, ())
            async for v in found_stories:
                print_plain((), (story_row(v, settings),))
        elif not await print_stanzas(found_stories, settings):
            Console().print("nothing stored yet: run `newsbot ingest --once`")
    return 0


async def _stories(
    engine: AsyncEngine,
    *,
    limit: int | None,
    topic: str | None,
    since: datetime | None,
    until: datetime | None,
) -> AsyncIterator[StoryView]:
    """Stories newest first, one short read per page (keyset on published time, then id)."""
    sessions = session_factory(engine)
    after: tuple[datetime, int] | None = None
    left = limit
    while left is None or left > 0:
        size = PAGE if left is None else min(PAGE, left)
        async with sessions() as session:
            page = await stories.latest_stories(
                session, limit=size, topic=topic, since=since, before=until, after=after
            )
        for view in page:
            yield view
        if len(page) < size:
            return
        left = None if left is None else left - len(page)
        after = (page[-1].published_at, page[-1].id)


def story_row(v: StoryView, settings: Settings) -> tuple[object, ...]:
    """A story as one tab-separated line's fields (PLAIN_STORY_COLUMNS)."""
    return (
        v.id,
        local_time(v.published_at, settings.tz),
        ", ".join(v.topics),
        ", ".join(dict.fromkeys(a.source for a in v.articles)),
        ", ".join(v.sections),
        v.title,
        v.summary,
        " ".join(a.url for a in v.articles),  # links hold no spaces
    )


async def print_stanzas(views: AsyncIterator[StoryView], settings: Settings) -> int:
    """Print stories for people, one stanza each; return how many."""
    console, count = Console(), 0
    async for v in views:
        # Titles and summaries are publishers' text: "[/b]" in one must print, not be markup.
        outlets = " · ".join(dict.fromkeys(a.source for a in v.articles))
        when = _when(v.published_at, settings)
        console.print(f"[bold]{escape(v.title)}[/bold]  [dim]{when}[/dim]")
        console.print(f"  {escape(outlets)}  [dim]{escape(', '.join(v.topics))}[/dim]")
        if v.sections:
            console.print(f"  [dim]({escape(', '.join(v.sections))})[/dim]")
        if v.summary:
            console.print(f"  {escape(v.summary)}")
        for a in v.articles:
            console.print(escape(f"  {a.url}"), style=Style(link=a.url))
        console.print()
        count += 1
    return count


async def show_stats(settings: Settings, fmt: Format) -> int:
    """Print what the admins' `/stats` shows: today's figures in TIMEZONE."""
    async with open_database(settings) as engine, session_factory(engine)() as session:
        today = await stats.day_stats(session, utcnow(), settings.tz, error_kind=DELIVERY_EVENTS)
    report = {
        "day": today.day,
        "timezone": settings.timezone,
        "chats": {
            "active": today.active,
            "inactive": today.inactive,
            "active_by_type": today.active_by_type,
        },
        "followers": {"pilihan": today.pilihan, "topics": today.topics},
        "stories_today": today.stories,
        "messages_today": {name: today.outcomes.get(name, 0) for name in OUTCOMES},
        "pending": today.pending,
        "last_delivery_error": today.last_error,
        "failing_sources": [{"name": n, "failures": f} for n, f in today.failing],
        # Inline shares per local day (a count only: who shared is never stored).
        "shares_today": today.shares_today,
        "shares_by_day": today.shares,
    }
    if fmt != "json":  # one line per source, not a nested record
        report["failing_sources"] = [f"{n} ({f})" for n, f in today.failing]
    print_report(f"newsbot stats, {today.day}", report, fmt)
    return 0


async def show_chats(settings: Settings, fmt: Format) -> int:
    """Print how the chats are spread out: counts only, never one chat."""
    async with open_database(settings) as engine, session_factory(engine)() as session:
        found = await stats.chat_aggregates(session)
    report = {
        "total": found.active + found.inactive,
        "active": found.active,
        "inactive": found.inactive,
        "by_type": found.by_type,
        "forum_topics": found.forum_topics,
        "language": found.language,
        "push": found.push,
        "timezone": found.timezone,
        "quiet_hours": found.quiet_hours,
        "own_pilihan_times": found.own_pilihan_times,
        "following": {
            "pilihan": found.pilihan,
            "topics": found.topics,
            "keywords": {
                "chats": found.keyword_chats,
                "subscriptions": found.keyword_subscriptions,
            },
            "nothing": found.following_nothing,
        },
    }
    print_report("newsbot chats (active chats unless said otherwise)", report, fmt)
    return 0


def _when(moment: datetime | None, settings: Settings) -> str:
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M") if moment else "—"
