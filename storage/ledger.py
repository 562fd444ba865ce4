"""The delivery ledger: rows owed to chats, claimed atomically, marked sent only after Telegram.

Repositories never commit: the caller owns the transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Select,
    Table,
    and_,
    bindparam,
    func,
    literal,
    null,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import claimable, dialect_name, insert_for
from storage.models import BroadcastTally, Delivery, DeliveryOutcome, HourlyOutcome, UTCDateTime

# Rows per INSERT: 10 columns × 1000 stays far below SQLite's and asyncpg's parameter limits.
INSERT_CHUNK = 1000
OPEN_STATUSES = ("pending", "sending")
# Pushes and digests go before broadcast rows: a push never waits behind a long broadcast.
PRIORITY = {"broadcast": 1}
# What rows add to their broadcasts' tallies (outcomes: sent, blocked, failed, cancelled).
Tallies = dict[int, Counter[str]]  # broadcast id → outcome → rows

_MARK_SENT_PG = text(
    "UPDATE deliveries AS d SET status = 'sent', telegram_message_id = v.mid, sent_at = :now "
    "FROM unnest(:ids, :mids) AS v(id, mid), "
    "(SELECT id, status FROM deliveries WHERE id = ANY(:ids) AND status <> 'sent' "
    "FOR UPDATE) AS old "
    "WHERE d.id = v.id AND old.id = d.id AND d.status <> 'sent' "
    "RETURNING d.broadcast_id, old.status AS was"
).bindparams(
    bindparam("ids", type_=ARRAY(BigInteger)),
    bindparam("mids", type_=ARRAY(BigInteger)),
    bindparam("now", type_=UTCDateTime()),
)


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


def owed_row(
    chat_pk: int,
    kind: str,
    now: datetime,
    *,
    held_until: datetime | None = None,
    **keys: Any,
) -> dict[str, Any]:
    """A pending ledger row owed to one chat (keys: story_id, broadcast_id or digest_key…).

    With `held_until` the row is 'held' (a push in quiet hours) until it is rolled into one
    "while you were away" message; it is never claimed itself.
    """
    return {
        "chat_pk": chat_pk,
        "kind": kind,
        "story_id": keys.get("story_id"),
        "broadcast_id": keys.get("broadcast_id"),
        "digest_key": keys.get("digest_key"),
        "story_ids": keys.get("story_ids"),
        "status": "pending" if held_until is None else "held",
        "priority": PRIORITY.get(kind, 0),
        "attempts": 0,
        "not_before": now if held_until is None else held_until,
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


async def owe_selected(
    session: AsyncSession, chat_pks: Select[Any], kind: str, now: datetime, **keys: Any
) -> int:
    """Owe a row (like `owed_row`) to every chat pk `chat_pks` yields, in one INSERT … SELECT.

    Nothing passes through Python, so a page of 100,000 chats costs one round trip and no
    memory here. Rows already owed (any unique key) are left alone. Returns how many were new.
    """
    template = owed_row(0, kind, now, **keys)
    table = cast(Table, Delivery.__table__)
    picked = chat_pks.subquery("picked")
    columns = [name for name in template if name != "chat_pk"]
    values = [
        null() if template[name] is None else literal(template[name], table.c[name].type)
        for name in columns
    ]
    # SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT (its parser is ambiguous).
    rows = select(picked.c[0], *values).where(picked.c[0].is_not(None))
    stmt = insert_for(session, Delivery).from_select(["chat_pk", *columns], rows)
    result = await session.execute(stmt.on_conflict_do_nothing())
    return int(result.rowcount)  # type: ignore[attr-defined]


async def claim(
    session: AsyncSession, now: datetime, limit: int, *, worker: str = "-"
) -> list[Claimed]:
    """Take up to `limit` due pending rows for `worker`; two claimers never get the same row.

    Pushes and digests come before broadcast rows, then the longest due, then the oldest.
    """
    due = (
        select(Delivery.id)
        .where(Delivery.status == "pending", Delivery.not_before <= now)
        .order_by(Delivery.priority, Delivery.not_before, Delivery.id)
        .limit(limit)
    )
    picked = claimable(session, due)
    stmt = (
        update(Delivery)
        .where(Delivery.id == picked.c.id, Delivery.status == "pending")
        .values(
            status="sending",
            attempts=Delivery.attempts + 1,
            claimed_by=worker,
            claimed_at=now,
        )
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
    return sorted(claimed, key=lambda c: (PRIORITY.get(c.kind, 0), c.id))


async def mark_sent(
    session: AsyncSession, delivery_id: int, message_id: int | None, now: datetime
) -> Tallies:
    """Record that Telegram accepted the message; return what it adds to its broadcast.

    Whoever holds the row now: it was delivered, so it is sent, even if it was cancelled while
    in flight or its claim was taken away (another holder then sees it is no longer theirs).
    """
    return await mark_sent_many(session, [(delivery_id, message_id)], now)


async def mark_sent_many(
    session: AsyncSession, sent: Sequence[tuple[int, int | None]], now: datetime
) -> Tallies:
    """`mark_sent` for many rows, (row id, Telegram message id) each, in one round trip.

    Returns, per broadcast, what the rows that changed add to its tally (a row cancelled
    while in flight moves from cancelled to sent); `add_tallies` writes them.
    """
    tallies: Tallies = {}
    if not sent:
        return tallies
    if dialect_name(session) == "postgresql":
        # One statement for the batch: the ids and message ids go as two arrays. The row's
        # previous status comes from the locked sub-select (RETURNING sees only the new row).
        result = await session.execute(
            _MARK_SENT_PG,
            {"ids": [i for i, _ in sent], "mids": [m for _, m in sent], "now": now},
        )
        changed = [(r.broadcast_id, r.was) for r in result]
    else:
        # SQLite: one writer at a time, so what is read here is what the update changes.
        ids = [i for i, _ in sent]
        found = await session.execute(
            select(Delivery.broadcast_id, Delivery.status).where(
                Delivery.id.in_(ids), Delivery.status != "sent"
            )
        )
        changed = [(r.broadcast_id, r.status) for r in found]
        # One statement compiled once and executed per row (building an UPDATE per row was a
        # good part of the sender's CPU).
        table = cast(Table, Delivery.__table__)
        stmt = (
            table.update()
            .where(table.c.id == bindparam("row_id"), table.c.status != "sent")
            .values(status="sent", telegram_message_id=bindparam("message_id"), sent_at=now)
        )
        await session.execute(stmt, [{"row_id": i, "message_id": m} for i, m in sent])
    for broadcast_id, was in changed:
        if broadcast_id is not None:
            tally = tallies.setdefault(broadcast_id, Counter())
            tally["sent"] += 1
            if was == "cancelled":
                tally["cancelled"] -= 1
    return tallies


async def add_tallies(session: AsyncSession, tallies: Tallies) -> None:
    """Add outcomes to their broadcasts' tallies (one upsert per broadcast and outcome).

    Always in the same order (broadcast, outcome): two recorders adding at once wait for each
    other, never deadlock.
    """
    for broadcast_id in sorted(tallies):
        for outcome, n in sorted(tallies[broadcast_id].items()):
            if not n:
                continue
            stmt = insert_for(session, BroadcastTally).values(
                broadcast_id=broadcast_id, outcome=outcome, count=n
            )
            stmt = stmt.on_conflict_do_update(
                index_elements=["broadcast_id", "outcome"],
                set_={"count": BroadcastTally.count + stmt.excluded.count},
            )
            await session.execute(stmt)


async def tally(session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    """A broadcast's rows per outcome (sent, blocked, failed, cancelled): a few rows read."""
    query = select(BroadcastTally.outcome, BroadcastTally.count).where(
        BroadcastTally.broadcast_id == broadcast_id
    )
    return {outcome: int(n) for outcome, n in (await session.execute(query)).all()}


async def mark_failed(
    session: AsyncSession, delivery_id: int, error: str, *, worker: str = "-"
) -> Tallies:
    """Give up on a row for good (a permanent error); return what it adds to its broadcast."""
    found = await _finish(session, delivery_id, worker, status="failed", error=error[:1000])
    return _tally(found, "failed")


async def mark_skipped(
    session: AsyncSession, delivery_id: int, reason: str, *, worker: str = "-"
) -> Tallies:
    """Skip a row whose chat is gone; return what it adds to its broadcast."""
    found = await _finish(session, delivery_id, worker, status="skipped", error=reason[:1000])
    return _tally(found, "blocked")


async def reschedule(
    session: AsyncSession,
    delivery_id: int,
    not_before: datetime,
    error: str | None = None,
    *,
    worker: str = "-",
    refund: bool = False,
) -> None:
    """Put a claimed row back to pending, due at `not_before` (flood control, backoff).

    `refund` gives the attempt back: flood control and a chat's migration are not failures,
    so they must not use up the retries meant for server errors.
    """
    attempts = Delivery.attempts - 1 if refund else Delivery.attempts
    await _finish(
        session,
        delivery_id,
        worker,
        status="pending",
        not_before=not_before,
        error=error,
        attempts=attempts,
        claimed_by=None,
        claimed_at=None,
    )


async def release(
    session: AsyncSession, ids: Sequence[int], not_before: datetime, *, worker: str = "-"
) -> None:
    """Hand claimed rows back unsent (shutdown, or their chat is not ready for a while)."""
    for start in range(0, len(ids), INSERT_CHUNK):
        chunk = list(ids[start : start + INSERT_CHUNK])
        await session.execute(
            update(Delivery)
            .where(
                Delivery.id.in_(chunk),
                Delivery.status == "sending",
                Delivery.claimed_by == worker,
            )
            .values(
                status="pending",
                not_before=not_before,
                attempts=Delivery.attempts - 1,
                claimed_by=None,
                claimed_at=None,
            )
        )


async def renew(session: AsyncSession, worker: str, now: datetime) -> set[int]:
    """Extend `worker`'s claims to `now`; return the ids it still holds (others were taken away).

    A row a worker no longer holds was cancelled (its broadcast), skipped (its chat is gone) or
    recovered after a lapsed lease: the worker must not send it.
    """
    result = await session.execute(
        update(Delivery)
        .where(Delivery.claimed_by == worker, Delivery.status == "sending")
        .values(claimed_at=now)
        .returning(Delivery.id)
        .execution_options(synchronize_session=False)
    )
    return {int(i) for i in result.scalars()}


async def held_by(session: AsyncSession, worker: str) -> set[int]:
    """Ids of the rows `worker` still holds."""
    query = select(Delivery.id).where(Delivery.claimed_by == worker, Delivery.status == "sending")
    return {int(i) for i in (await session.scalars(query)).all()}


async def recover(session: AsyncSession, now: datetime, lease: timedelta) -> int:
    """Return rows whose claim lapsed (its sender died) to 'pending'; return how many.

    A live sender renews its claims well within `lease`, so another process starting up never
    takes rows a live one is sending.
    """
    stale = now - lease
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.status == "sending",
            or_(Delivery.claimed_at.is_(None), Delivery.claimed_at < stale),
        )
        .values(status="pending", claimed_by=None, claimed_at=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def skip_chat(session: AsyncSession, chat_pk: int, reason: str) -> Tallies:
    """Skip every open row of a chat that is gone; return what they add to broadcasts."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.chat_pk == chat_pk, Delivery.status.in_(OPEN_STATUSES))
        .values(status="skipped", error=reason[:1000])
        .returning(Delivery.broadcast_id)
        .execution_options(synchronize_session=False)
    )
    return _tally(list(result.scalars()), "blocked")


async def counts(session: AsyncSession, *, broadcast_id: int | None = None) -> dict[str, int]:
    """Rows per status (all, or of one broadcast), for a broadcast's progress."""
    query = select(Delivery.status, func.count()).group_by(Delivery.status)
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
    """Cancel a broadcast's open rows, claimed ones too; return how many.

    A sender drops claimed rows it finds cancelled; one already in flight that Telegram accepts
    is still recorded as sent.
    """
    result = await session.execute(
        update(Delivery)
        .where(Delivery.broadcast_id == broadcast_id, Delivery.status.in_(OPEN_STATUSES))
        .values(status="cancelled")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def open_count(session: AsyncSession) -> int:
    """Rows owed and not yet sent (pending or being sent), of any age."""
    query = select(func.count()).where(Delivery.status.in_(OPEN_STATUSES))
    return int((await session.execute(query)).scalar_one())


async def add_outcomes(
    session: AsyncSession, day: str, counts: Mapping[str, int], *, at: datetime | None = None
) -> None:
    """Add to a local day's outcome counters (one upsert per outcome), and to `at`'s hour's."""
    hour = at.astimezone(UTC).replace(minute=0, second=0, microsecond=0) if at else None
    for outcome, n in sorted(counts.items()):
        if n <= 0:
            continue
        stmt = insert_for(session, DeliveryOutcome).values(day=day, outcome=outcome, count=n)
        stmt = stmt.on_conflict_do_update(
            index_elements=["day", "outcome"],
            set_={"count": DeliveryOutcome.count + stmt.excluded.count},
        )
        await session.execute(stmt)
        if hour is None:
            continue
        hourly = insert_for(session, HourlyOutcome).values(hour=hour, outcome=outcome, count=n)
        hourly = hourly.on_conflict_do_update(
            index_elements=["hour", "outcome"],
            set_={"count": HourlyOutcome.count + hourly.excluded.count},
        )
        await session.execute(hourly)


async def outcomes(session: AsyncSession, day: str) -> dict[str, int]:
    """A local day's outcome counters."""
    query = select(DeliveryOutcome.outcome, DeliveryOutcome.count).where(
        DeliveryOutcome.day == day
    )
    return {outcome: int(n) for outcome, n in (await session.execute(query)).all()}


async def next_due_at(session: AsyncSession) -> datetime | None:
    """When the earliest pending row falls due."""
    query = select(func.min(Delivery.not_before)).where(Delivery.status == "pending")
    value: datetime | None = (await session.execute(query)).scalar_one()
    return value


async def _finish(
    session: AsyncSession, delivery_id: int, worker: str, **values: Any
) -> list[int | None]:
    # Only a row this worker holds is finished: a recovered, re-claimed or cancelled row is
    # left to whoever holds it now. Returns the changed row's broadcast id ([] when none).
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == "sending",
            Delivery.claimed_by == worker,
        )
        .values(**values)
        .returning(Delivery.broadcast_id)
        .execution_options(synchronize_session=False)
    )
    return list(result.scalars())


def _tally(broadcast_ids: Sequence[int | None], outcome: str) -> Tallies:
    tallies: Tallies = {}
    for broadcast_id in broadcast_ids:
        if broadcast_id is not None:
            tallies.setdefault(broadcast_id, Counter())[outcome] += 1
    return tallies


def merge(into: Tallies, more: Tallies) -> Tallies:
    """Add `more` to `into`; return `into`."""
    for broadcast_id, tally in more.items():
        into.setdefault(broadcast_id, Counter()).update(tally)
    return into
