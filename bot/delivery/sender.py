"""The sender: claims due ledger rows, paces them, sends, and records each outcome.

A row is marked sent only after Telegram accepted it. A send slot is released only once its
outcome is committed, so at most `concurrency` messages can have reached Telegram without the
ledger knowing: after a crash, those few are the only ones that can go out twice.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, MessageId

from bot.delivery.compose import Composer, Outgoing, plain_text
from bot.delivery.errors import MAX_ATTEMPTS, Action, Verdict, backoff, classify
from bot.delivery.pacing import Pacer
from bot.outgoing import send_kwargs
from storage import chats, ledger

log = logging.getLogger(__name__)

# A row whose chat may not be sent to for longer than this goes back to the ledger.
HOLD_SECONDS = 5.0
WRITE_BATCH = 200
IDLE_POLL = 1.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one row."""

    item: Outgoing
    verdict: Verdict
    message_id: int | None = None
    holds_slot: bool = True


class Sender:
    """Runs as one asyncio task: `await sender.run()`, stopped by `await sender.stop()`."""

    def __init__(
        self,
        bot: Bot,
        sessions: async_sessionmaker[AsyncSession],
        composer: Composer,
        pacer: Pacer,
        *,
        concurrency: int,
        paid: bool,
        clock: Callable[[], datetime],
    ) -> None:
        self._bot = bot
        self._sessions = sessions
        self._composer = composer
        self._pacer = pacer
        self._paid = paid
        self._clock = clock
        self.concurrency = concurrency
        self._capacity = max(8, concurrency * 4)
        self._slots = asyncio.Semaphore(concurrency)
        self._heap: list[tuple[float, int, Outgoing]] = []
        self._results: asyncio.Queue[Outcome | None] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopping = False
        self._drained = True
        self.stats: Counter[str] = Counter()

    def wake(self) -> None:
        """New rows were enqueued: look for them now rather than at the next poll."""
        self._drained = False
        self._wake.set()

    async def run(self) -> None:
        """Send until stopped."""
        writer = asyncio.create_task(self._write_loop())
        try:
            while not self._stopping:
                if len(self._heap) < self._capacity // 2 and not self._drained:
                    await self._fill()
                if not self._heap:
                    await self._idle(IDLE_POLL)
                    continue
                ready, _, item = self._heap[0]
                wait = ready - self._pacer.now()
                if wait > 0:
                    await self._idle(min(wait, IDLE_POLL))
                    continue
                heapq.heappop(self._heap)
                await self._dispatch(item)
        finally:
            await self._finish(writer)

    async def stop(self) -> None:
        """Stop claiming, let in-flight sends finish and hand unsent rows back."""
        self._stopping = True
        self._wake.set()

    async def _idle(self, seconds: float) -> None:
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except TimeoutError:
            self._drained = False  # deferred rows may have fallen due: look again

    async def _fill(self) -> None:
        want = self._capacity - len(self._heap)
        async with self._sessions.begin() as session:
            claimed = await ledger.claim(session, self._clock(), want)
            items = await self._composer.compose(session, claimed) if claimed else []
        self._drained = len(claimed) < want
        now, later = self._pacer.now(), []
        for item in items:
            if item.skip_reason is not None:
                verdict = Verdict(Action.FAIL, item.skip_reason)
                self._results.put_nowait(Outcome(item, verdict, holds_slot=False))
                continue
            ready = max(now, self._pacer.ready_at(item.chat_id))
            if ready - now > HOLD_SECONDS:
                later.append((item.delivery_id, ready - now))
            else:
                heapq.heappush(self._heap, (ready, item.delivery_id, item))
        if later:
            await self._release(later)

    async def _release(self, rows: list[tuple[int, float]]) -> None:
        async with self._sessions.begin() as session:
            for delivery_id, delay in rows:
                await ledger.release(
                    session, [delivery_id], self._clock() + timedelta(seconds=delay)
                )

    async def _dispatch(self, item: Outgoing) -> None:
        await self._slots.acquire()
        # A 429 may have deferred this chat while the row waited in the heap.
        ready = self._pacer.ready_at(item.chat_id)
        if ready > self._pacer.now():
            self._slots.release()
            heapq.heappush(self._heap, (ready, item.delivery_id, item))
            return
        await self._pacer.slot()
        self._pacer.note_sent(item.chat_id, item.chat_type)
        task = asyncio.create_task(self._send(item))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, item: Outgoing) -> None:
        try:
            verdict, message_id = await self._attempt(item)
            if verdict.action is Action.PLAIN_TEXT and item.rendered is not None:
                log.warning("Telegram could not parse our HTML (%s); sending plain text", verdict)
                self.stats["plain_text"] += 1
                plain = replace(item.rendered, text=plain_text(item.rendered.text))
                await self._pacer.slot()
                verdict, message_id = await self._attempt(
                    replace(item, rendered=plain), html=False
                )
                if verdict.action is Action.PLAIN_TEXT:
                    verdict = Verdict(Action.FAIL, verdict.reason)
            if verdict.action is Action.DEFER:
                self._pacer.defer_chat(item.chat_id, verdict.delay)
        except Exception as exc:  # never lose a slot: a bug in sending must not stall the queue
            log.exception("sending delivery %s failed", item.delivery_id)
            verdict, message_id = Verdict(Action.RETRY, repr(exc)), None
        self._results.put_nowait(Outcome(item, verdict, message_id))

    async def _attempt(self, item: Outgoing, *, html: bool = True) -> tuple[Verdict, int | None]:
        common: dict[str, Any] = {
            "chat_id": item.chat_id,
            "message_thread_id": item.thread_id or None,
            "allow_paid_broadcast": True if self._paid else None,
        }
        try:
            if item.copy_from is not None:
                copied: MessageId = await self._bot.copy_message(
                    from_chat_id=item.copy_from[0], message_id=item.copy_from[1], **common
                )
                return Verdict(Action.SENT), copied.message_id
            assert item.rendered is not None
            kwargs = send_kwargs(item.rendered)
            if not html:
                kwargs["parse_mode"] = None
            message = await self._bot.send_message(**common, **kwargs)
            return Verdict(Action.SENT), message.message_id
        except Exception as exc:
            return classify(exc), None

    async def _write_loop(self) -> None:
        while True:
            first = await self._results.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < WRITE_BATCH and not self._results.empty():
                nxt = self._results.get_nowait()
                if nxt is None:
                    await self._write(batch)
                    return
                batch.append(nxt)
            await self._write(batch)

    async def _write(self, batch: list[Outcome]) -> None:
        for attempt in range(1, 6):
            try:
                async with self._sessions.begin() as session:
                    for outcome in batch:
                        await self._record(session, outcome)
                break
            except Exception:
                # The outcome must reach the ledger, or a restart would send it again.
                log.exception("recording %d outcomes failed (try %d)", len(batch), attempt)
                await asyncio.sleep(min(30.0, 2.0**attempt))
        for outcome in batch:
            self.stats[_stat_name(outcome)] += 1
            if outcome.holds_slot:
                self._slots.release()
        if any(o.verdict.action is not Action.SENT for o in batch):
            self.wake()

    async def _record(self, session: AsyncSession, outcome: Outcome) -> None:
        item, verdict, now = outcome.item, outcome.verdict, self._clock()
        action = verdict.action
        if not outcome.holds_slot:
            await ledger.mark_skipped(session, item.delivery_id, verdict.reason)
        elif action is Action.SENT:
            await ledger.mark_sent(session, item.delivery_id, outcome.message_id, now)
        elif action is Action.DEFER:
            # However long Telegram asks, the row stays owed: deferred, never dropped.
            until = now + timedelta(seconds=verdict.delay)
            await ledger.reschedule(session, item.delivery_id, until, verdict.reason)
        elif action is Action.CHAT_GONE:
            await chats.mark_inactive(session, item.chat_id, verdict.reason[:500], now)
            await ledger.mark_skipped(session, item.delivery_id, verdict.reason)
            await ledger.skip_chat(session, item.chat_pk, verdict.reason)
        elif action is Action.MIGRATE and verdict.new_chat_id is not None:
            await ledger.reschedule(session, item.delivery_id, now, verdict.reason)
            await chats.migrate_chat(session, item.chat_id, verdict.new_chat_id, now)
        elif action is Action.RETRY and item.attempts < MAX_ATTEMPTS:
            until = now + timedelta(seconds=backoff(item.attempts))
            await ledger.reschedule(session, item.delivery_id, until, verdict.reason)
        else:
            await ledger.mark_failed(session, item.delivery_id, verdict.reason)

    async def _finish(self, writer: asyncio.Task[None]) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=30)
        self._results.put_nowait(None)
        await writer
        unsent = [item.delivery_id for _, _, item in self._heap]
        self._heap.clear()
        if unsent:
            async with self._sessions.begin() as session:
                await ledger.release(session, unsent, self._clock())


def _stat_name(outcome: Outcome) -> str:
    if not outcome.holds_slot:
        return "skipped"
    action = outcome.verdict.action
    if action is Action.RETRY and outcome.item.attempts >= MAX_ATTEMPTS:
        return "failed"
    return action.value
