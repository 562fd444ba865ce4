"""The admins' page: today's numbers (`storage.stats.day_stats`, what `/stats` reports), the
sources and their health, broadcasts' progress, and the series its charts draw. Aggregates
only: no reader is named.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.outcomes import EVENT_KIND as DELIVERY_EVENTS
from bot.delivery.outcomes import OUTCOMES
from bot.delivery.pilihan import local_day
from bot.delivery.progress import Tally
from bot.i18n import Catalogue
from bot.news.topics.taxonomy import topic_label
from bot.telegram.formatting import format_time
from bot.webapp.auth import require_admin
from bot.webapp.deps import deps_of
from bot.webapp.reading import prefs
from storage import ledger, sources, stats
from storage.chats import PILIHAN
from storage.models import Broadcast, Source
from storage.stats import DayStats, day_stats

routes = web.RouteTableDef()
FOLLOWER_DAYS = 30
FOLLOWER_TOPICS = 6  # lines besides Berita Pilihan; more would not be readable at 360 px
BROADCASTS = 5


@routes.get("/api/admin")
async def overview(request: web.Request) -> web.Response:
    """Everything the admins' page shows, in one answer."""
    await require_admin(request)
    deps = deps_of(request)
    now, tz, cat = deps.clock(), deps.settings.tz, deps.catalogue
    lang, _ = await prefs(request)
    async with deps.sessions() as session:
        numbers = await day_stats(session, now, tz, error_kind=DELIVERY_EVENTS)
        hourly = await stats.hourly_outcomes(session, midnight(now, tz).astimezone(UTC))
        first = local_day(now - timedelta(days=FOLLOWER_DAYS - 1), tz)
        history = await stats.follower_history(session, first)
        every_source = await sources.all_sources(session)
        broadcasts = await _broadcasts(session, now, lang, tz, cat)
    body = {
        "today": _today(numbers),
        "hourly": _hourly(hourly, now, tz),
        "followers": _followers(history, numbers, now, tz, lang, cat),
        "sources": [_source(s, lang, tz, cat) for s in _by_health(every_source)],
        "broadcasts": broadcasts,
    }
    return web.json_response(body, headers={"Cache-Control": "no-store"})


def midnight(now: datetime, tz: tzinfo) -> datetime:
    """The start of `now`'s local day."""
    return datetime.combine(now.astimezone(tz).date(), time(0), tzinfo=tz)


def _today(numbers: DayStats) -> dict[str, Any]:
    return {
        "day": numbers.day,
        "active": numbers.active,
        "inactive": numbers.inactive,
        "by_type": numbers.active_by_type,
        "pilihan": numbers.pilihan,
        "followers": sorted(numbers.topics.items(), key=lambda kv: (-kv[1], kv[0])),
        "stories": numbers.stories,
        "outcomes": [[name, numbers.outcomes.get(name, 0)] for name in OUTCOMES],
        "pending": numbers.pending,
        "last_error": (numbers.last_error or "")[:300],
        "failing": [name for name, _ in numbers.failing],
    }


def _hourly(rows: list[tuple[datetime, str, int]], now: datetime, tz: tzinfo) -> dict[str, Any]:
    """Today's hours so far (local), each with its count of every outcome."""
    start = midnight(now, tz).astimezone(UTC)
    hours = int((now - start).total_seconds() // 3600) + 1
    counts = {name: [0] * hours for name in OUTCOMES}
    for hour, outcome, n in rows:
        index = int((hour - start).total_seconds() // 3600)
        if outcome in counts and 0 <= index < hours:
            counts[outcome][index] += n
    labels = [(start + timedelta(hours=i)).astimezone(tz).strftime("%H") for i in range(hours)]
    return {"hours": labels, "outcomes": list(OUTCOMES), "counts": counts}


def _followers(
    history: dict[str, dict[str, int]],
    numbers: DayStats,
    now: datetime,
    tz: tzinfo,
    lang: str,
    cat: Catalogue,
) -> dict[str, Any]:
    """Followers per topic on each of the last 30 days; today's from now, not a snapshot."""
    days = [local_day(now - timedelta(days=back), tz) for back in range(FOLLOWER_DAYS - 1, -1, -1)]
    history = {**history, days[-1]: {**numbers.topics, PILIHAN: numbers.pilihan}}
    ranked = sorted(numbers.topics, key=lambda t: (-numbers.topics[t], t))
    series = []
    for topic in [PILIHAN, *ranked[:FOLLOWER_TOPICS]]:
        label = cat.text(lang, "what.pilihan") if topic == PILIHAN else topic_label(topic, lang)
        values = [history[d].get(topic, 0) if d in history else None for d in days]
        series.append({"topic": topic, "label": label, "values": values})
    return {"days": [f"{d[8:10]}/{d[5:7]}" for d in days], "series": series}


def _by_health(found: list[Source]) -> list[Source]:
    """Paused first, then failing (most failures first), then the rest by name."""
    return sorted(found, key=lambda s: (s.enabled, -s.consecutive_failures, s.name.casefold()))


def _source(src: Source, lang: str, tz: tzinfo, cat: Catalogue) -> dict[str, Any]:
    if not src.enabled:
        state = "paused"
    elif src.consecutive_failures:
        state = "failing"
    elif src.last_success_at is not None:
        state = "ok"
    else:
        state = "never"
    success = src.last_success_at
    return {
        "name": src.name,
        "state": state,
        "failures": src.consecutive_failures,
        "error": (src.last_error or src.paused_reason or "")[:200],
        "last_success": format_time(success, tz, lang, catalogue=cat) if success else "",
    }


async def _broadcasts(
    session: AsyncSession, now: datetime, lang: str, tz: tzinfo, cat: Catalogue
) -> list[dict[str, Any]]:
    """The latest broadcasts with their progress, as the progress message counts it."""
    query = select(Broadcast).where(Broadcast.status != "draft")
    found = (await session.scalars(query.order_by(Broadcast.id.desc()).limit(BROADCASTS))).all()
    shown = []
    for b in found:
        counts = await ledger.tally(session, b.id)  # a few rows, however big the broadcast
        end = b.finished_at or now
        elapsed = max((end - b.created_at).total_seconds(), 1.0)
        tally = Tally.of_tally(counts, b.total, counts.get("sent", 0) / elapsed)
        shown.append(
            {
                "id": b.id,
                "status": b.status,
                "total": b.total,
                "sent": tally.sent,
                "blocked": tally.blocked,
                "failed": tally.failed,
                "cancelled": tally.cancelled,
                "remaining": tally.remaining,
                "rate": round(tally.rate, 1),
                "started": format_time(b.created_at, tz, lang, catalogue=cat),
            }
        )
    return shown
