"""Names of send outcomes, counted per day in the ledger, and failures an admin can read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.compose import Outgoing
from bot.delivery.errors import MAX_ATTEMPTS, Action, Verdict
from storage.models import EventLog

# Every outcome /stats shows, in its order.
OUTCOMES = (
    "sent",
    "blocked",
    "chat_not_found",
    "migrated",
    "deferred",
    "retried",
    "failed",
    "plain_text",
    "cancelled",
    "skipped",
)
EVENT_KIND = "delivery"


def outcome_name(verdict: Verdict, item: Outgoing, attempted: bool = True) -> str:
    """The counter one row's outcome adds to (`attempted` False: it was never sent)."""
    if not attempted:
        return item.skip_as
    action = verdict.action
    if action is Action.SENT:
        return "sent"
    if action is Action.DEFER:
        return "deferred"
    if action is Action.CHAT_GONE:
        return "chat_not_found" if "chat not found" in verdict.reason.lower() else "blocked"
    if action is Action.MIGRATE and verdict.new_chat_id is not None:
        return "migrated"
    if action is Action.RETRY and item.attempts < MAX_ATTEMPTS:
        return "retried"
    return "failed"


async def note_failures(session: AsyncSession, failures: Mapping[str, int], now: datetime) -> None:
    """Log each distinct reason rows failed for good, once per batch, where /stats shows it."""
    for reason, n in failures.items():
        message = reason if n == 1 else f"{reason} (×{n})"
        session.add(EventLog(kind=EVENT_KIND, message=message[:1000], created_at=now))
