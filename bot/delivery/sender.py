"""The sender: claims due ledger rows, paces them, sends, and records each outcome.

A row is marked sent only after Telegram accepted it. A send slot is released only once its
outcome is committed, so at most `concurrency` messages can have reached Telegram without the
ledger knowing: after a crash, those few are the only ones that can go out twice.

Rows are claimed in the ledger under this sender's name (`worker`) and the claims are renewed
while held, so another process starting up recovers only the rows of a sender that died.
A row that cannot go out soon (its chat deferred by flood control, or the whole bot paused) goes
back to the ledger with its due time: the in-memory queue only holds what is about to be sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import os
import socket
import uuid
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.delivery.budget import PACED, SendBudget
from bot.delivery.compose import Composer, Outgoing, plain_text
from bot.delivery.errors import Action, Verdict
from bot.delivery.outbox import DEFAULT_TZ
from bot.delivery.pacing import Pacer, Stamp
from bot.delivery.recorder import Outcome, Recorder
from bot.delivery.transport import PtbTransport, Transport
from storage import ledger
from storage.ledger import Claimed
from storage.outage import Backoff, OutageWatch

log = logging.getLogger(__name__)

# A row whose chat may not be sent to for longer than this goes back to the ledger.
HOLD_SECONDS = 5.0
WRITE_BATCH = 500
# The writer waits this long for more outcomes before recording a batch: at 1,000 messages a
# second one transaction per 50 rows instead of one per handful (each is ~7 round trips).
# Slots stay held meanwhile, so this also bounds how long a slot waits for its record.
WRITE_LINGER = 0.05
# Shared-budget slots (PostgreSQL, several processes) are taken for the rows due in the next
# this-many seconds at once: one round trip for 50 messages at 1,000 a second, still one per
# message at 30 (a reply from another process then never waits behind a block of them).
# The next batch is taken beside the sends while the last one is used (at most two in hand):
# taken only once the slots in hand ran out, each round trip was lost from the shared pace.
SHARED_AHEAD = 0.05
# A slot taken ahead is used within this long of its time, or taken again.
GRANT_KEEP = 0.5
# A shared slot this close is not slept for: asyncio's timers wake in whole milliseconds, so
# sleeping for it and then for the pacer's own slot cost two wake-ups a message (about 700 a
# second at most). The pacer, spacing this process's sends at the same pace, still waits; 2 ms
# is 5 % of the window's 40-ms room.
SHARED_EARLY = 0.002
# Rows claimed (and composed) at once: a bigger claim stalls the event loop long enough to
# bunch the sends queued behind it.
FILL_MAX = 256
IDLE_POLL = 1.0
# How often the sender checks that the rows it queued are still its own (a cancelled
# broadcast's rows are taken away), and the longest it waits between tries after an error.
CHECK_EVERY = 0.5
ERROR_PAUSE = 2.0
# 429s on two different chats this close together mean the bot as a whole is over its limit.
BOT_WIDE_WINDOW = 2.0
DEFAULT_LEASE = timedelta(minutes=2)
STOP_WRITE_TIMEOUT = 60.0


def worker_name() -> str:
    """A name for this sender in the ledger: host, process and a random suffix."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


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
        tz: tzinfo = DEFAULT_TZ,
        lease: timedelta = DEFAULT_LEASE,
        worker: str | None = None,
        watch: OutageWatch | None = None,
        budget: SendBudget | None = None,
        transport: Transport | None = None,
    ) -> None:
        self._bot = bot
        self._transport = transport or PtbTransport(bot)
        self._sessions = sessions
        self._composer = composer
        self.pacer = pacer
        self._budget = budget or SendBudget(pacer, watch=watch)
        self._paid = paid
        self._clock = clock
        self._tz = tz
        self.lease = lease
        self.worker = worker or worker_name()
        self.concurrency = concurrency
        self._capacity = max(8, concurrency * 4)
        self._slots = asyncio.Semaphore(concurrency)
        # (ready at, sequence, item): the sequence breaks ties, so items are never compared.
        self._heap: list[tuple[float, int, Outgoing]] = []
        self._seq = itertools.count()
        self._held: set[int] = set()  # row ids queued or in flight, until their outcome is written
        self._results: asyncio.Queue[Outcome | None] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopping = False
        self._drained = True
        # Bumped each time there may be new work; a claim that began before it cannot call
        # the ledger drained (it may have missed what a `wake()` during it announced).
        self._asked = 0
        self._sweep = False
        self._check_at = 0.0
        self._renew_at = 0.0
        self._recent_429: deque[tuple[float, int]] = deque()
        self.stats: Counter[str] = Counter()
        self._watch = watch or OutageWatch()
        self._backoff = Backoff(first=0.25, cap=ERROR_PAUSE)
        # Rows taken out of the queue whose hand-back the database refused (an outage): they
        # are still claimed by this sender and go back at the next step that reaches it.
        self._orphans: set[int] = set()
        self._recorder = Recorder(sessions, self.worker, clock, tz, self._watch)
        # Row id → when its shared slot (taken ahead, with others) comes, on the pacer's clock.
        self._granted: dict[int, float] = {}
        self._shared_batch = max(1, int(pacer.rate * SHARED_AHEAD))
        # The batch of shared slots being taken beside the sends, and its rows.
        self._granting: asyncio.Task[None] | None = None
        self._granting_ids: set[int] = set()
        # Rows are claimed and composed beside the sends too: a claim takes tens of
        # milliseconds, and the send loop waiting on it left its slots unused.
        self._filling: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """New rows were enqueued (or cancelled): look at the ledger now, not at the next poll."""
        self._look_again()
        self._check_at = 0.0
        self._wake.set()

    async def run(self) -> None:
        """Send until stopped."""
        await self._transport.open()
        writer = asyncio.create_task(self._write_loop())
        try:
            while not self._stopping:
                try:
                    await self._step()
                except Exception as exc:
                    # A database outage or a bug must not end delivery: the ledger keeps the
                    # work, and the next step starts from it. An outage is logged once.
                    if not self._watch.failed(exc, "the sender"):
                        log.exception("delivery step failed; retrying")
                    await self._idle(self._backoff.next())
        finally:
            try:
                await self._finish(writer)
            finally:
                await self._transport.close()

    async def stop(self) -> None:
        """Stop claiming, let in-flight sends finish and hand unsent rows back."""
        self._stopping = True
        self._wake.set()

    async def pace(self, chat_id: int, chat_type: str, *, patience: float = HOLD_SECONDS) -> bool:
        """Take a send slot for another call to a chat (a progress edit) and note it.

        False when the chat or the bot is held back longer than `patience` (flood control):
        the caller skips or postpones its call. The caller marks its call PACED.
        """
        return await self._budget.reply_slot(chat_id, chat_type, patience=patience)

    async def _step(self) -> None:
        if self._filling is not None and self._filling.done():
            filled, self._filling = self._filling, None
            filled.result()  # a failed claim fails the step, as if it had run here
        now = self.pacer.now()
        # Not while a claim is on its way: rows it claimed after the check's snapshot would
        # look taken away.
        if self._heap and now >= self._check_at and self._filling is None:
            await self._check_claims()
        paused = self.pacer.paused_until - now
        if paused > 0:
            # Flood control for the whole bot: what cannot go out soon goes back to the ledger.
            if paused > HOLD_SECONDS and self._heap:
                queued = [item for _, _, item in self._heap]
                self._heap.clear()
                await self._hand_back(queued)
            await self._idle(min(paused, IDLE_POLL))
            return
        if self._sweep:
            await self._sweep_late()
        if len(self._heap) < self._capacity // 2 and not self._drained and self._filling is None:
            self._filling = asyncio.create_task(self._fill())
            self._filling.add_done_callback(lambda _: self._wake.set())  # work, or an error
        if not self._heap:  # until a claim brings work (its callback wakes us), or the poll
            await self._idle(IDLE_POLL)
            return
        ready, _, item = self._heap[0]
        wait = ready - self.pacer.now()
        if wait > 0:
            await self._idle(min(wait, IDLE_POLL, CHECK_EVERY))
            return
        heapq.heappop(self._heap)
        await self._dispatch(item)

    async def _idle(self, seconds: float) -> None:
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except TimeoutError:
            self._look_again()  # deferred rows may have fallen due

    def _look_again(self) -> None:
        self._drained = False
        self._asked += 1

    async def _fill(self) -> None:
        want = min(FILL_MAX, self._capacity - len(self._heap))
        asked = self._asked
        async with self._sessions.begin() as session:
            if self._orphans:
                await ledger.release(
                    session, list(self._orphans), self._clock(), worker=self.worker
                )
            claimed = await ledger.claim(session, self._clock(), want, worker=self.worker)
        self._held.difference_update(self._orphans)
        self._orphans.clear()
        self._watch.ok()
        self._backoff.reset()
        self._drained = len(claimed) < want and self._asked == asked
        # A row already queued or in flight here may come back if a claim was recovered by
        # mistake: it is ours, and it is sent (or recorded) once.
        fresh = [row for row in claimed if row.id not in self._held]
        self._held.update(row.id for row in fresh)
        now, late = self.pacer.now(), []
        for item in await self._compose(fresh):
            if item.skip_as == "cancelled":
                # Cancelling the broadcast already marked (and counted) its open rows.
                self._held.discard(item.delivery_id)
                self.stats["dropped"] += 1
                continue
            if item.skip_reason is not None:
                verdict = Verdict(Action.FAIL, item.skip_reason)
                self._results.put_nowait(Outcome(item, verdict, holds_slot=False))
                continue
            ready = max(now, self.pacer.ready_at(item.chat_id))
            if ready - now > HOLD_SECONDS:
                late.append(item)
            else:
                self._push(ready, item)
        if late:
            await self._hand_back(late)

    async def _compose(self, rows: Sequence[Claimed]) -> list[Outgoing]:
        if not rows:
            return []
        try:
            async with self._sessions() as session:
                return await self._composer.compose(session, rows)
        except Exception:
            # A row whose rendering raises already fails alone (Composer): this is the database.
            # Hand the rows back unharmed and let the step fail, so the sender pauses.
            self._orphans.update(row.id for row in rows)
            with contextlib.suppress(Exception):
                await self._release_orphans()
            raise

    async def _release_orphans(self) -> None:
        ids = list(self._orphans)
        async with self._sessions.begin() as session:
            await ledger.release(session, ids, self._clock(), worker=self.worker)
        self._held.difference_update(ids)
        self._orphans.difference_update(ids)

    def _push(self, ready: float, item: Outgoing) -> None:
        heapq.heappush(self._heap, (ready, next(self._seq), item))

    def _ready_at(self, item: Outgoing) -> float:
        return max(self.pacer.ready_at(item.chat_id), self.pacer.paused_until)

    async def _sweep_late(self) -> None:
        """Hand back queued rows that a 429 has pushed beyond the hold."""
        self._sweep = False
        now = self.pacer.now()
        keep: list[tuple[float, int, Outgoing]] = []
        late: list[tuple[float, int, Outgoing]] = []
        for entry in self._heap:
            (late if self._ready_at(entry[2]) - now > HOLD_SECONDS else keep).append(entry)
        if late:
            self._heap = keep
            heapq.heapify(self._heap)
            await self._hand_back([item for _, _, item in late])

    async def _hand_back(self, items: Sequence[Outgoing]) -> None:
        """Return rows to the ledger, each due when its chat (or the bot) may send again."""
        ids = {item.delivery_id for item in items}  # none of them is in the queue any more
        for row_id in ids:
            self._granted.pop(row_id, None)
        now, wall = self.pacer.now(), self._clock()
        by_due: dict[datetime, list[int]] = {}
        for item in items:
            due = wall + timedelta(seconds=max(0.0, self._ready_at(item) - now))
            by_due.setdefault(due, []).append(item.delivery_id)
        try:
            async with self._sessions.begin() as session:
                for due, rows in by_due.items():
                    await ledger.release(session, rows, due, worker=self.worker)
        except Exception:
            self._orphans.update(ids)  # still claimed: handed back once the database answers
            raise
        self._held.difference_update(ids)
        self.stats["handed_back"] += len(ids)

    async def _check_claims(self) -> None:
        """Drop queued rows that are no longer ours (cancelled broadcast, chat gone, recovered)."""
        now = self._clock()
        async with self._sessions.begin() as session:
            if self.pacer.now() >= self._renew_at:
                owned = await ledger.renew(session, self.worker, now)
                self._renew_at = self.pacer.now() + self.lease.total_seconds() / 4
            else:
                owned = await ledger.held_by(session, self.worker)
        self._check_at = self.pacer.now() + CHECK_EVERY
        lost = [entry for entry in self._heap if entry[2].delivery_id not in owned]
        if lost:
            self._heap = [entry for entry in self._heap if entry[2].delivery_id in owned]
            heapq.heapify(self._heap)
            self._held.difference_update(entry[2].delivery_id for entry in lost)
            for entry in lost:
                self._granted.pop(entry[2].delivery_id, None)
            self.stats["dropped"] += len(lost)
            log.info("%d queued deliveries were cancelled or taken away: not sent", len(lost))

    async def _dispatch(self, item: Outgoing) -> None:
        await self._slots.acquire()
        # A 429 may have deferred this chat (or the bot) while the row waited in the queue.
        ready, now = self._ready_at(item), self.pacer.now()
        if ready > now:
            self._slots.release()
            if ready - now > HOLD_SECONDS:
                await self._hand_back([item])
            else:
                self._push(ready, item)
            return
        paid = self._is_paid(item)
        # Hold the chat now, not once the slot comes: a reply to it must not slip in between.
        self.pacer.note_sent(item.chat_id, item.chat_type)
        try:
            wait = await self._shared_wait(item, paid)
        except BaseException:  # the database is gone: the row stays queued, still ours
            self._slots.release()
            self._push(self.pacer.now(), item)
            raise
        if wait is None:  # another process (a reply) holds this chat: try again when free
            self._slots.release()
            self._push(self._ready_at(item), item)
            return
        if wait > SHARED_EARLY:
            await asyncio.sleep(wait)
        # This process's pacer is the last gate: however the shared wait went, it keeps this
        # process's sends within the rate in any window.
        stamp = await self.pacer.slot(paid=paid)
        if self._stopping:  # stopped while waiting (the lead role was lost): send nothing new
            self._slots.release()
            self._push(self.pacer.now(), item)
            return
        self.pacer.note_sent(item.chat_id, item.chat_type)
        task = asyncio.create_task(self._send(item, stamp))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _shared_wait(self, item: Outgoing, paid: bool) -> float | None:
        """Seconds until `item`'s slot of the shared budget, or None when another process
        holds its chat. Slots are taken for a batch of rows ready now, in one round trip, and
        the next batch's beside the sends."""
        if self._budget.shared is None:
            return 0.0
        if item.delivery_id in self._granting_ids and self._granting is not None:
            # Its slot is on its way: wait for that round trip, not a second one. A failed
            # one is retried below, where its error reaches the step.
            await asyncio.wait([self._granting])
            self.stats["shared_waited"] += 1
        now = self.pacer.now()
        at = self._granted.pop(item.delivery_id, None)
        if at is not None and now - at <= GRANT_KEEP:
            self.stats["shared_ahead"] += 1
            self._take_ahead(paid)
            return max(0.0, at - now)
        self.stats["shared_stale" if at is not None else "shared_inline"] += 1
        if at is not None:
            # Its batch was taken before a pause or a stall: the slots after it are as old.
            # Forget them all, so the batch taken now is the queue's next rows in order (one
            # round trip per stale row, each taking slots for rows further back, put the
            # shared pace seconds ahead of the queue).
            self._granted = {k: t for k, t in self._granted.items() if now - t <= GRANT_KEEP}
        ahead = self._ready_now(self._shared_batch - 1, paid)
        batch = [item, *(entry[2] for entry in ahead)]
        try:
            waits = await self._budget.shared_slots(
                [(o.chat_id, o.chat_type) for o in batch], paid=paid
            )
        except BaseException:
            for entry in ahead:
                heapq.heappush(self._heap, entry)
            raise
        now = self.pacer.now()
        for entry, wait in zip(ahead, waits[1:], strict=True):
            other = entry[2]
            if wait is None:  # its chat is held elsewhere: queued again for when it is free
                self._push(self._ready_at(other), other)
            else:  # back at the head of the queue, in its place, with its slot
                self._granted[other.delivery_id] = now + wait
                heapq.heappush(self._heap, entry)
        self._take_ahead(paid)
        return waits[0]

    def _take_ahead(self, paid: bool) -> None:
        """Start taking the next batch of shared slots, unless a batch is still in hand."""
        if self._granting is not None or len(self._granted) >= self._shared_batch:
            return
        horizon = self.pacer.now() + 2 * SHARED_AHEAD
        batch = [
            item
            for ready, _, item in heapq.nsmallest(
                len(self._granted) + 2 * self._shared_batch, self._heap
            )
            if ready <= horizon
            and item.delivery_id not in self._granted
            and self._is_paid(item) == paid
            and self._ready_at(item) <= horizon
        ][: self._shared_batch]
        if not batch:
            return
        self._granting_ids = {item.delivery_id for item in batch}
        self._granting = asyncio.create_task(self._take_slots(batch, paid))

    async def _take_slots(self, batch: list[Outgoing], paid: bool) -> None:
        try:
            waits = await self._budget.shared_slots(
                [(o.chat_id, o.chat_type) for o in batch], paid=paid
            )
        except Exception as exc:  # the rows take their slots themselves, and meet the error
            if not self._watch.failed(exc, "the send budget"):
                log.exception("taking shared send slots ahead failed")
            return
        finally:
            self._granting, self._granting_ids = None, set()
        now = self.pacer.now()
        for other, wait in zip(batch, waits, strict=True):
            if wait is not None:  # None: its chat is held elsewhere, deferred in the pacer
                self._granted[other.delivery_id] = now + wait

    def _ready_now(self, n: int, paid: bool) -> list[tuple[float, int, Outgoing]]:
        """Take up to `n` more queued rows of the same pace that could be sent now (the head
        of the queue, in order), as their queue entries."""
        now = self.pacer.now()
        taken: list[tuple[float, int, Outgoing]] = []
        others: list[tuple[float, int, Outgoing]] = []
        while self._heap and len(taken) < n and self._heap[0][0] <= now:
            entry = heapq.heappop(self._heap)
            item = entry[2]
            ok = self._is_paid(item) == paid and self._ready_at(item) <= now
            row = item.delivery_id
            free = row not in self._granted and row not in self._granting_ids
            (taken if ok and free else others).append(entry)
        for entry in others:
            heapq.heappush(self._heap, entry)
        return taken

    def _is_paid(self, item: Outgoing) -> bool:
        # Paid broadcasting costs Stars per message: only admin broadcasts use it.
        return self._paid and item.kind == "broadcast"

    async def _send(self, item: Outgoing, stamp: Stamp) -> None:
        PACED.set(True)  # this task's calls drew on the budget already (its own context)
        plain = False
        try:
            verdict, message_id = await self._attempt(item, stamp)
            if verdict.action is Action.PLAIN_TEXT and item.rendered is not None:
                log.warning("Telegram could not parse our HTML (%s); sending plain text", verdict)
                plain = True
                text = plain_text(item.rendered.text)
                verdict, message_id = await self._attempt(
                    replace(item, rendered=replace(item.rendered, text=text)),
                    await self.pacer.slot(paid=self._is_paid(item)),
                    html=False,
                )
                if verdict.action is Action.PLAIN_TEXT:
                    verdict = Verdict(Action.FAIL, verdict.reason)
            if verdict.action is Action.DEFER:
                await self._flood_control(item.chat_id, verdict.delay)
        except Exception as exc:  # never lose a slot: a bug in sending must not stall the queue
            log.exception("sending delivery %s failed", item.delivery_id)
            verdict, message_id = Verdict(Action.RETRY, repr(exc)), None
        self._results.put_nowait(Outcome(item, verdict, message_id, plain=plain))

    async def _flood_control(self, chat_id: int, delay: float) -> None:
        """Defer the chat; when another chat was just refused too, pause the whole bot."""
        now = self.pacer.now()
        while self._recent_429 and now - self._recent_429[0][0] > BOT_WIDE_WINDOW:
            self._recent_429.popleft()
        # Telegram's 429 does not say whether the chat or the bot is over its limit; our own
        # pacing keeps every chat within its limit, so refusals on two chats at once mean
        # the bot as a whole is (or another process shares the token): everything waits.
        bot_wide = any(other != chat_id for _, other in self._recent_429)
        self._recent_429.append((now, chat_id))
        self._sweep = True
        if bot_wide:
            self.stats["paused"] += 1
            log.warning("flood control for the whole bot: pausing all sends for %.0f s", delay)
        await self._budget.flood(chat_id, delay, bot_wide=bot_wide)

    async def _attempt(
        self, item: Outgoing, stamp: Stamp, *, html: bool = True
    ) -> tuple[Verdict, int | None]:
        self.pacer.sending(stamp)
        try:
            return await self._transport.send(item, html=html, paid=self._is_paid(item))
        finally:
            self.pacer.answered(stamp)

    async def _write_loop(self) -> None:
        while True:
            first = await self._results.get()
            if first is None:
                return
            batch = [first]
            if not self._stopping:
                await asyncio.sleep(WRITE_LINGER)
            while len(batch) < WRITE_BATCH and not self._results.empty():
                nxt = self._results.get_nowait()
                if nxt is None:
                    await self._write(batch)
                    return
                batch.append(nxt)
            await self._write(batch)

    async def _write(self, batch: list[Outcome]) -> None:
        counts = await self._recorder.write(batch)
        self.stats.update(+counts)
        for outcome in batch:
            self._held.discard(outcome.item.delivery_id)
            if outcome.holds_slot:
                self._slots.release()
        if any(o.verdict.action is not Action.SENT for o in batch):
            # Rows went back to the ledger (or a chat is gone): look for work again, but
            # without the claims check `wake()` forces for outside callers.
            self._look_again()
            self._wake.set()

    async def _finish(self, writer: asyncio.Task[None]) -> None:
        for side in (self._filling, self._granting):
            if side is not None:  # its rows are queued (and handed back below) or orphans
                await asyncio.wait([side], timeout=STOP_WRITE_TIMEOUT)
                if side.done() and not side.cancelled() and side.exception() is not None:
                    log.warning("stopping: %s", side.exception())
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=30)
        self._results.put_nowait(None)
        try:
            await asyncio.wait_for(writer, timeout=STOP_WRITE_TIMEOUT)
        except TimeoutError:
            # The database is gone: unrecorded rows stay claimed and their lease lapses, so
            # another process (or the next start) recovers them.
            log.error("could not record the last outcomes before stopping")
            return
        self._orphans.update(item.delivery_id for _, _, item in self._heap)
        self._heap.clear()
        if self._orphans:
            try:
                await self._release_orphans()
            except Exception as exc:  # their claims lapse and the next sender recovers them
                if not self._watch.failed(exc, "the sender stopping"):
                    log.exception("could not hand back %d unsent deliveries", len(self._orphans))
