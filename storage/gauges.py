"""Cheap reads for health checks and metrics: how much is owed (and so: is the database there)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.ledger import OPEN_STATUSES
from storage.models import Delivery
from storage.send_budget import last_sent


async def queue_depth(session: AsyncSession) -> dict[str, int]:
    """Ledger rows still owed, by status (read through the status index, not the table)."""
    query = (
        select(Delivery.status, func.count())
        .where(Delivery.status.in_(OPEN_STATUSES))
        .group_by(Delivery.status)
    )
    found = {status: int(n) for status, n in (await session.execute(query)).all()}
    return {status: found.get(status, 0) for status in OPEN_STATUSES}


async def delivery_activity(session: AsyncSession) -> tuple[datetime | None, datetime | None]:
    """(Since when the oldest owed message is due, when any sender last had one accepted).

    Both read an index or a handful of rows, never the ledger: a health check every few
    seconds on a million-row ledger stays cheap.
    """
    oldest = await session.scalar(
        select(func.min(Delivery.not_before)).where(Delivery.status == "pending")
    )
    return oldest, await last_sent(session)
