"""Cheap reads for health checks and metrics: how much is owed (and so: is the database there)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.ledger import OPEN_STATUSES
from storage.models import Delivery


async def queue_depth(session: AsyncSession) -> dict[str, int]:
    """Ledger rows still owed, by status (read through the status index, not the table)."""
    query = (
        select(Delivery.status, func.count())
        .where(Delivery.status.in_(OPEN_STATUSES))
        .group_by(Delivery.status)
    )
    found = {status: int(n) for status, n in (await session.execute(query)).all()}
    return {status: found.get(status, 0) for status in OPEN_STATUSES}
