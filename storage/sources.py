"""Sources and their fetch state. Repositories never commit: the caller owns the transaction."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import claimable, insert_for
from storage.models import CHAT, CONFIG, Source

log = logging.getLogger(__name__)

# Fields that the sources file owns; everything else is state learned while polling.
CONFIG_FIELDS = ("url", "kind", "topic", "link_selector", "interval")


async def sync_sources(
    session: AsyncSession, specs: Sequence[dict[str, Any]], now: datetime
) -> list[str]:
    """Insert or update sources from the configuration; return the names added.

    A configured source is the stored one of the same name, else the one with its URL: so a
    renamed source keeps its history, as does one whose URL changed. Every one of them is
    marked as coming from the sources file (trusted).
    """
    if not specs:
        return []
    stored = (await session.execute(select(Source.id, Source.name, Source.url))).all()
    by_name = {row.name: row for row in stored}
    by_url = {row.url: row for row in stored}
    matched: dict[str, Any] = {}  # spec name -> stored row
    for spec in specs:
        if spec["name"] in by_name:
            matched[spec["name"]] = by_name[spec["name"]]
    claimed = {row.id for row in matched.values()}
    for spec in specs:
        row = by_url.get(spec["url"])
        if spec["name"] not in matched and row is not None and row.id not in claimed:
            matched[spec["name"]] = row  # renamed in the sources file
            claimed.add(row.id)
    specs = _settle_urls(specs, matched, by_url, claimed)
    if not specs:
        return []
    await _rename(session, specs, matched)
    rows = [
        {
            "name": s["name"],
            **{f: s.get(f) for f in CONFIG_FIELDS},
            "origin": CONFIG,
            "enabled": True,
            "consecutive_failures": 0,
            "next_due_at": now,
            "created_at": now,
        }
        for s in specs
    ]
    stmt = insert_for(session, Source)
    stmt = stmt.on_conflict_do_update(
        index_elements=[Source.name],
        set_={f: getattr(stmt.excluded, f) for f in (*CONFIG_FIELDS, "origin")},
    )
    await session.execute(stmt, rows)
    for spec in specs:
        problem = spec.get("_conflict")
        if problem:
            await session.execute(
                update(Source)
                .where(Source.name == spec["name"])
                .values(last_error=problem, last_error_at=now)
            )
    return [s["name"] for s in specs if s["name"] not in matched]


def _settle_urls(
    specs: Sequence[dict[str, Any]],
    matched: dict[str, Any],
    by_url: dict[str, Any],
    claimed: set[int],
) -> list[dict[str, Any]]:
    """Give each spec its URL unless a source no longer configured still holds it.

    Such a spec keeps its current URL and carries the reason ("_conflict") to record on it; a
    source that cannot move may in turn block another one, hence the loop.
    """
    taken = {url for url, row in by_url.items() if row.id not in claimed}
    settled = {s["name"]: dict(s) for s in specs}
    changed = True
    while changed:
        changed = False
        wanted: dict[str, int] = {}
        for spec in settled.values():
            wanted[spec["url"]] = wanted.get(spec["url"], 0) + 1
        for name, spec in settled.items():
            own = matched.get(name)
            blocked = spec["url"] in taken or wanted[spec["url"]] > 1
            if not blocked or own is None or spec["url"] == own.url:
                continue
            holder = by_url.get(spec["url"])
            by_whom = repr(holder.name) if holder is not None else "another source"
            spec["_conflict"] = (
                f"the sources file gives this source the URL held by {by_whom}; its old URL is "
                "kept until that is resolved"
            )
            spec["url"] = own.url
            changed = True
    wanted = {}
    for spec in settled.values():
        wanted[spec["url"]] = wanted.get(spec["url"], 0) + 1
    kept = []
    for name, spec in settled.items():
        if name not in matched and (spec["url"] in taken or wanted[spec["url"]] > 1):
            log.warning("source %r not added: its URL belongs to another source", name)
            continue
        kept.append(spec)
    return kept


async def _rename(
    session: AsyncSession, specs: Sequence[dict[str, Any]], matched: dict[str, Any]
) -> None:
    """Move names and URLs of matched sources into place, even when two of them swap."""
    moving = [
        (spec, matched[spec["name"]])
        for spec in specs
        if spec["name"] in matched
        and (matched[spec["name"]].name, matched[spec["name"]].url) != (spec["name"], spec["url"])
    ]
    # Park every moving row on a unique placeholder first: swapped names or URLs would
    # otherwise collide with a row not yet moved (unique constraints are checked per row).
    for _, row in moving:
        parked = f"\u2060renaming {row.id}"
        await session.execute(
            update(Source).where(Source.id == row.id).values(name=parked, url=parked)
        )
    for spec, row in moving:
        await session.execute(
            update(Source).where(Source.id == row.id).values(name=spec["name"], url=spec["url"])
        )


async def add_source(session: AsyncSession, spec: dict[str, Any], now: datetime) -> Source | None:
    """Add one source from chat unless its name or URL is taken; return it, or None when taken.

    It is marked as coming from chat: every request made for it goes through the address guard.
    """
    row = {f: spec.get(f) for f in CONFIG_FIELDS} | {
        "name": spec["name"],
        "origin": spec.get("origin", CHAT),
        "enabled": True,
        "consecutive_failures": 0,
        "next_due_at": now,
        "created_at": now,
    }
    stmt = insert_for(session, Source).values(row).on_conflict_do_nothing().returning(Source.id)
    new_id = (await session.execute(stmt)).scalar_one_or_none()
    return None if new_id is None else await session.get(Source, new_id)


async def all_sources(session: AsyncSession) -> list[Source]:
    """Every source, by name."""
    return list((await session.scalars(select(Source).order_by(Source.name))).all())


async def source_by_name(session: AsyncSession, name: str) -> Source | None:
    """The source called `name`, if any."""
    return (await session.scalars(select(Source).where(Source.name == name))).first()


async def due_sources(
    session: AsyncSession, now: datetime, *, limit: int | None = None
) -> list[Source]:
    """Enabled sources whose next poll is due, most overdue first."""
    query = (
        select(Source)
        .where(Source.enabled.is_(True), Source.next_due_at <= now)
        .order_by(Source.next_due_at)
    )
    if limit is not None:
        query = query.limit(limit)
    return list((await session.scalars(query)).all())


async def enabled_sources(session: AsyncSession) -> list[Source]:
    """Every source that is not paused."""
    query = select(Source).where(Source.enabled.is_(True)).order_by(Source.name)
    return list((await session.scalars(query)).all())


async def next_due(session: AsyncSession) -> datetime | None:
    """When the next enabled source falls due."""
    query = select(Source.next_due_at).where(Source.enabled.is_(True))
    return (await session.scalars(query.order_by(Source.next_due_at).limit(1))).first()


async def update_sources(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Write fetch state for many sources at once: each row has `id` and the same columns."""
    await session.execute(update(Source), list(rows))


async def update_source(session: AsyncSession, source_id: int, **values: Any) -> None:
    """Write fetch state (or a pause) for one source."""
    await session.execute(update(Source).where(Source.id == source_id).values(**values))


async def release_claims(
    session: AsyncSession, claims: Mapping[int, datetime], now: datetime
) -> int:
    """Make claimed sources due at `now` again, each only if it still carries the lease time
    its claim wrote (nobody polled it since); return how many."""
    released = 0
    for source_id, leased_until in claims.items():
        result = await session.execute(
            update(Source)
            .where(Source.id == source_id, Source.next_due_at == leased_until)
            .values(next_due_at=now)
            .execution_options(synchronize_session=False)
        )
        released += int(getattr(result, "rowcount", 0) or 0)
    return released


async def claim_due_sources(
    session: AsyncSession,
    now: datetime,
    *,
    lease: timedelta,
    limit: int,
    due_by: datetime | None = None,
) -> list[Source]:
    """Take up to `limit` sources due by `due_by` (default: now) for this poller, oldest first.

    The claim moves each source's `next_due_at` to `now + lease`, so another process sees it
    as not due and none goes to two pollers; the poll then writes the real next time. A poller
    that dies mid-poll loses its claim when the lease runs out.
    """
    due = (
        select(Source.id)
        .where(Source.enabled.is_(True), Source.next_due_at <= (due_by or now))
        .order_by(Source.next_due_at, Source.id)
        .limit(limit)
    )
    picked = claimable(session, due)
    stmt = (
        update(Source)
        .where(Source.id == picked.c.id, Source.next_due_at <= (due_by or now))
        .values(next_due_at=now + lease)
        .returning(Source)
        .execution_options(synchronize_session=False)
    )
    return sorted((await session.scalars(stmt)).all(), key=lambda s: s.id)
