"""The delivery ledger: rows owed to chats, claimed atomically, marked sent only after Telegram.

Repositories never commit: the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import insert_for
from storage.models import Delivery

# Rows per INSERT: 9 columns × 1000 stays far below SQLite's and asyncpg's parameter limits.
INSERT_CHUNK = 1000
OPEN_STATUSES = ("pending", "sending")


@dataclass(frozen=True, slots=True)
class Claimed:
    """A ledger row this process now owns (status 'sending'), with what sending needs."""

    id: int
    chat_pk: int
    kind: str
    story_id: int | None
    broadcast_id: int | None
    digest_key: str | None
    story_ids: list[int] | None
    attempts: int


def owed_row(chat_pk: int, kind: str, now: datetime, **keys: Any) -> dict[str, Any]:
    """A pending ledger row owed to one chat (keys: story_id, broadcast_id or digest_key…)."""
    return {
        "chat_pk": chat_pk,
        "kind": kind,
        "story_id": keys.get("story_id"),
        "broadcast_id": keys.get("broadcast_id"),
        "digest_key": keys.get("digest_key"),
        "story_ids": keys.get("story_ids"),
        "status": "pending",
        "attempts": 0,
        "not_before": now,
        "created_at": now,
    }


async def enqueue(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows unless one with the same unique key exists; return how many were new."""
    added = 0
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = list(rows[start : start + INSERT_CHUNK])
        # Any of the three unique keys (chat+story, chat+broadcast, chat+digest) makes the
        # row a duplicate; DO NOTHING without a target covers them all on both backends.
        stmt = insert_for(session, Delivery).values(chunk).on_conflict_do_nothing()
        result = await session.execute(stmt.returning(Delivery.id))
        added += len(result.all())
    return added


async def claim(session: AsyncSession, now: datetime, limit: int) -> list[Claimed]:
    """Take up to `limit` due pending rows for sending; two claimers never get the same row."""
    due = (
        select(Delivery.id)
        .where(Delivery.status == "pending", Delivery.not_before <= now)
        .order_by(Delivery.not_before, Delivery.id)
        .limit(limit)
    )
    if _dialect(session) == "postgresql":
        due = due.with_for_update(skip_locked=True)
    # One UPDATE statement: on SQLite it takes the write lock before reading, on PostgreSQL the
    # locked subquery skips rows another claimer holds; the status guard makes both airtight.
    stmt = (
        update(Delivery)
        .where(Delivery.id.in_(due.scalar_subquery()), Delivery.status == "pending")
        .values(status="sending", attempts=Delivery.attempts + 1)
        .returning(
            Delivery.id,
            Delivery.chat_pk,
            Delivery.kind,
            Delivery.story_id,
            Delivery.broadcast_id,
            Delivery.digest_key,
            Delivery.story_ids,
            Delivery.attempts,
        )
        .execution_options(synchronize_session=False)
    )
    rows = (await session.execute(stmt)).all()
    claimed = [
        Claimed(
            id=r.id,
            chat_pk=r.chat_pk,
            kind=r.kind,
            story_id=r.story_id,
            broadcast_id=r.broadcast_id,
            digest_key=r.digest_key,
            story_ids=list(r.story_ids) if r.story_ids is not None else None,
            attempts=r.attempts,
        )
        for r in rows
    ]
    return sorted(claimed, key=lambda c: c.id)


async def mark_sent(
    session: AsyncSession, delivery_id: int, message_id: int | None, now: datetime
) -> None:
    """Record that Telegram accepted the message."""
    await _finish(session, delivery_id, status="sent", telegram_message_id=message_id, sent_at=now)


async def mark_failed(session: AsyncSession, delivery_id: int, error: str) -> None:
    """Give up on a row for good (a permanent error)."""
    await _finish(session, delivery_id, status="failed", error=error[:1000])


async def mark_skipped(session: AsyncSession, delivery_id: int, reason: str) -> None:
    """Skip a row whose chat is gone."""
    await _finish(session, delivery_id, status="skipped", error=reason[:1000])


async def reschedule(
    session: AsyncSession, delivery_id: int, not_before: datetime, error: str | None = None
) -> None:
    """Put a claimed row back to pending, due at `not_before` (flood control, backoff)."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == "sending")
        .values(status="pending", not_before=not_before, error=error)
    )


async def release(session: AsyncSession, ids: Sequence[int], not_before: datetime) -> None:
    """Hand claimed rows back unsent (shutdown, or their chat is not ready for a while)."""
    if ids:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(list(ids)), Delivery.status == "sending")
            .values(status="pending", not_before=not_before, attempts=Delivery.attempts - 1)
        )


async def recover(session: AsyncSession) -> int:
    """Return rows a crashed process left 'sending' to 'pending'; return how many."""
    result = await session.execute(
        update(Delivery).where(Delivery.status == "sending").values(status="pending")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def skip_chat(session: AsyncSession, chat_pk: int, reason: str) -> int:
    """Skip every open row of a chat that is gone; return how many."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.chat_pk == chat_pk, Delivery.status.in_(OPEN_STATUSES))
        .values(status="skipped", error=reason[:1000])
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def counts(
    session: AsyncSession, *, since: datetime | None = None, broadcast_id: int | None = None
) -> dict[str, int]:
    """Rows per status (created since `since`, or of one broadcast), for /stats and progress."""
    query = select(Delivery.status, func.count()).group_by(Delivery.status)
    if since is not None:
        query = query.where(Delivery.created_at >= since)
    if broadcast_id is not None:
        query = query.where(Delivery.broadcast_id == broadcast_id)
    return {status: int(n) for status, n in (await session.execute(query)).all()}


async def open_rows(session: AsyncSession, broadcast_id: int) -> int:
    """How many rows of a broadcast are still pending or being sent."""
    query = select(func.count()).where(
        and_(Delivery.broadcast_id == broadcast_id, Delivery.status.in_(OPEN_STATUSES))
    )
    return int((await session.execute(query)).scalar_one())


async def cancel_open(session: AsyncSession, broadcast_id: int) -> int:
    """Cancel a broadcast's pending rows (rows being sent finish); return how many."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.broadcast_id == broadcast_id, Delivery.status == "pending")
        .values(status="cancelled")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def next_due_at(session: AsyncSession) -> datetime | None:
    """When the earliest pending row falls due."""
    query = select(func.min(Delivery.not_before)).where(Delivery.status == "pending")
    value: datetime | None = (await session.execute(query)).scalar_one()
    return value


async def _finish(session: AsyncSession, delivery_id: int, **values: Any) -> None:
    # Only a row this process claimed is finished: a recovered or cancelled row is left alone.
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == "sending")
        .values(**values)
    )


def _dialect(session: AsyncSession) -> str:
    bind = session.bind
    return bind.dialect.name if bind is not None else "sqlite"
