"""Sources and their fetch state. Repositories never commit: the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import insert_for
from storage.models import Source

# Fields that the sources file owns; everything else is state learned while polling.
CONFIG_FIELDS = ("url", "kind", "topic", "link_selector", "interval")


async def sync_sources(
    session: AsyncSession, specs: Sequence[dict[str, Any]], now: datetime
) -> list[str]:
    """Insert or update sources by name from the configuration; return the names added."""
    if not specs:
        return []
    existing = set((await session.scalars(select(Source.name))).all())
    rows = [
        {
            "name": s["name"],
            **{f: s.get(f) for f in CONFIG_FIELDS},
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
        set_={f: getattr(stmt.excluded, f) for f in CONFIG_FIELDS},
    )
    await session.execute(stmt, rows)
    return [s["name"] for s in specs if s["name"] not in existing]


async def add_source(session: AsyncSession, spec: dict[str, Any], now: datetime) -> Source | None:
    """Add one source unless its name or URL is taken; return it, or None when taken."""
    row = {f: spec.get(f) for f in CONFIG_FIELDS} | {
        "name": spec["name"],
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


async def update_source(session: AsyncSession, source_id: int, **values: Any) -> None:
    """Write fetch state (or a pause) for one source."""
    await session.execute(update(Source).where(Source.id == source_id).values(**values))
