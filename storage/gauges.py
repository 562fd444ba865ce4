"""Cheap reads for health checks and metrics: is the database there, how much is owed."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery

OPEN_STATUSES = ("pending", "sending")


async def ping(session: AsyncSession) -> None:
    """Run the cheapest query there is; raise when the database cannot answer."""
    await session.execute(text("SELECT 1"))


async def queue_depth(session: AsyncSession) -> dict[str, int]:
    """Ledger rows still owed, by status (read through the status index, not the table)."""
    query = (
        select(Delivery.status, func.count())
        .where(Delivery.status.in_(OPEN_STATUSES))
        .group_by(Delivery.status)
    )
    found = {status: int(n) for status, n in (await session.execute(query)).all()}
    return {status: found.get(status, 0) for status in OPEN_STATUSES}
