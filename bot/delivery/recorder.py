"""Write send outcomes to the ledger: the row's new state, the day's counters, failures logged.

Everything of one batch goes in one transaction, retried until the database takes it: an
outcome that never reached the ledger would make a restart send the message again. Tries are
spaced by a bounded backoff (at most RETRY_CAP seconds), so the first write after an outage
comes within seconds of the database's return.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.compose import Outgoing
from bot.delivery.errors import MAX_ATTEMPTS, Action, Verdict, backoff
from bot.delivery.outcomes import note_failures, outcome_name
from bot.delivery.pilihan import local_day
from storage import chats, ledger, send_budget
from storage.outage import Backoff, OutageWatch

log = logging.getLogger(__name__)
RETRY_CAP = 2.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one row."""

    item: Outgoing
    verdict: Verdict
    message_id: int | None = None
    holds_slot: bool = True  # False: never sent (a skip), so it held no send slot
    plain: bool = False  # sent (or tried) again as plain text after an HTML error


class Recorder:
    """Records batches of outcomes for one sender (`worker`)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        worker: str,
        clock: Callable[[], datetime],
        tz: tzinfo,
        watch: OutageWatch | None = None,
    ) -> None:
        self._sessions = sessions
        self._worker = worker
        self._clock = clock
        self._tz = tz
        self._watch = watch or OutageWatch()

    async def write(self, batch: Sequence[Outcome]) -> Counter[str]:
        """Record a batch; return its outcome counts."""
        counts = Counter(outcome_name(o.verdict, o.item, o.holds_slot) for o in batch)
        counts["plain_text"] += sum(1 for o in batch if o.plain)
        attempt, backoff = 0, Backoff(first=0.25, cap=RETRY_CAP)
        while True:
            attempt += 1
            try:
                async with self._sessions.begin() as session:
                    now = self._clock()
                    sent = [o for o in batch if o.holds_slot and o.verdict.action is Action.SENT]
                    sent_rows = [(o.item.delivery_id, o.message_id) for o in sent]
                    tallies = await ledger.mark_sent_many(session, sent_rows, now)
                    if sent_rows:
                        await send_budget.beat(session, self._worker, now)
                    for outcome in batch:
                        if outcome.holds_slot and outcome.verdict.action is Action.SENT:
                            continue
                        ledger.merge(tallies, await self._record(session, outcome))
                    # Counted in the transaction that records the rows, never before.
                    await ledger.add_tallies(session, tallies)
                    await ledger.add_outcomes(session, local_day(now, self._tz), counts, at=now)
                    await note_failures(session, batch_failures(batch), now)
                self._watch.ok()
                return counts
            except Exception as exc:
                # Sending stalls meanwhile: the batch holds its send slots until recorded.
                if not self._watch.failed(exc, "the delivery recorder"):
                    log.exception("recording %d outcomes failed (try %d)", len(batch), attempt)
                await asyncio.sleep(backoff.next())

    async def _record(self, session: AsyncSession, outcome: Outcome) -> ledger.Tallies:
        """Write one row's outcome; return what it adds to broadcasts' counters."""
        item, verdict, now = outcome.item, outcome.verdict, self._clock()
        action, me = verdict.action, self._worker
        if not outcome.holds_slot:
            if item.skip_as == "failed":
                return await ledger.mark_failed(
                    session, item.delivery_id, verdict.reason, worker=me
                )
            return await ledger.mark_skipped(session, item.delivery_id, verdict.reason, worker=me)
        if action is Action.DEFER:
            # However long Telegram asks, the row stays owed: deferred, never dropped; and
            # flood control is not a failure, so the attempt is given back.
            until = now + timedelta(seconds=verdict.delay)
            await ledger.reschedule(
                session, item.delivery_id, until, verdict.reason, worker=me, refund=True
            )
        elif action is Action.CHAT_GONE:
            await chats.mark_inactive(session, item.chat_id, verdict.reason[:500], now)
            tallies = await ledger.mark_skipped(
                session, item.delivery_id, verdict.reason, worker=me
            )
            others = await ledger.skip_chat(session, item.chat_pk, verdict.reason)
            return ledger.merge(tallies, others)
        elif action is Action.MIGRATE and verdict.new_chat_id is not None:
            await ledger.reschedule(
                session, item.delivery_id, now, verdict.reason, worker=me, refund=True
            )
            await chats.migrate_chat(session, item.chat_id, verdict.new_chat_id, now)
        elif action is Action.RETRY and item.attempts < MAX_ATTEMPTS:
            until = now + timedelta(seconds=backoff(item.attempts))
            await ledger.reschedule(session, item.delivery_id, until, verdict.reason, worker=me)
        else:
            return await ledger.mark_failed(session, item.delivery_id, verdict.reason, worker=me)
        return {}


def batch_failures(batch: Sequence[Outcome]) -> Counter[str]:
    """Reasons of the rows in a batch that failed for good, with how many failed so."""
    failed: Counter[str] = Counter()
    for o in batch:
        if outcome_name(o.verdict, o.item, o.holds_slot) == "failed":
            failed[o.verdict.reason[:300]] += 1
    return failed
