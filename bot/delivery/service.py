"""Delivery as a service: the sender, the broadcast feeder and progress, started and stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot.config import Settings
from bot.delivery import outbox, progress, pushes, quiet, updates
from bot.delivery.budget import PACED, SendBudget
from bot.delivery.compose import Composer
from bot.delivery.pacing import Pacer, effective_rate
from bot.delivery.sender import Sender
from bot.delivery.transport import LeanTransport, Transport
from bot.i18n import Catalogue, default_catalogue
from bot.telegram.lean import LeanBotApi
from storage import ledger, send_budget
from storage.models import Broadcast
from storage.outage import OutageWatch

if TYPE_CHECKING:  # the ingest pipeline is heavy to import; delivery needs only the sessions
    from bot.runtime import Resources

log = logging.getLogger(__name__)
FEED_AHEAD = 2000  # broadcast rows kept owed ahead of the sender: the rest wait in `chats`
# …and at least this many seconds of sending at the sender's rate (10,000 rows at the paid
# 1,000 a second), so the sender never runs dry between two of the feeder's ticks.
FEED_SECONDS = 10.0
TICK = 2.0
PROGRESS_EVERY = 5.0
DEFAULT_PUSH_MAX_AGE = timedelta(hours=6)
BUDGET_KEEP = timedelta(minutes=5)  # longer than any chat's gap or a usual flood-control hold
HEARTBEAT_KEEP = timedelta(days=1)


class OweStories(Protocol):
    """Owe a batch of stories marked owed (pushes, updates): (stories handled, rows added)."""

    async def __call__(
        self, session: AsyncSession, now: datetime, *, max_age: timedelta, tz: tzinfo
    ) -> tuple[int, int]: ...


def utcnow() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def send_concurrency(rate: float) -> int:
    """Sends in flight: enough to keep `rate` up at ~250 ms a call, and the crash bound."""
    return max(4, min(256, math.ceil(rate / 4)))


class DeliveryService:
    """Owns the sender task and the broadcast loop."""

    def __init__(
        self,
        bot: Bot,
        sessions: async_sessionmaker[AsyncSession],
        sender: Sender,
        *,
        catalogue: Catalogue,
        tz: Any,
        clock: Callable[[], datetime] = utcnow,
        push_max_age: timedelta = DEFAULT_PUSH_MAX_AGE,
        watch: OutageWatch | None = None,
    ) -> None:
        self.bot = bot
        self.sender = sender
        self._sessions = sessions
        self._catalogue = catalogue
        self._tz = tz
        self._clock = clock
        self._push_max_age = push_max_age
        self._tasks: list[asyncio.Task[None]] = []
        self._kick = asyncio.Event()
        self._last_edit: dict[int, tuple[float, int]] = {}
        self._recover_at = 0.0
        self._watch = watch or OutageWatch()

    async def start(self, *, sole: bool = False) -> None:
        """Return rows a dead sender left 'sending' to the queue, then start sending.

        `sole`: this process holds the lead role, so no other sender is alive and every claim
        is a dead one's: take them back at once instead of waiting for their lease to lapse.
        """
        await self._recover(lease=timedelta(0) if sole else None)
        self._tasks = [
            asyncio.create_task(self.sender.run(), name="delivery-sender"),
            asyncio.create_task(self._upkeep_loop(), name="delivery-upkeep"),
        ]

    async def stop(self) -> None:
        """Stop sending; unsent rows stay owed for the next start."""
        await self.sender.stop()
        for task in self._tasks[1:]:
            task.cancel()  # the broadcast loop keeps no state: its work is in the ledger
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    @property
    def running(self) -> bool:
        """Tell whether the sender task is alive (for /healthz)."""
        return bool(self._tasks) and not self._tasks[0].done()

    async def push_owed(self) -> int:
        """Owe the pushes of every story still marked owed and wake the sender; return rows."""
        return await self._owe_all(pushes.enqueue_owed_pushes)

    async def push_updates(self) -> int:
        """Owe the updates of stories a later outlet added facts to; return rows."""
        return await self._owe_all(updates.enqueue_owed_updates)

    async def _owe_all(self, owe: OweStories) -> int:
        """Run `owe` a batch of stories at a time until none is left; wake the sender."""
        added = 0
        while True:
            async with self._sessions.begin() as session:
                stories, rows = await owe(
                    session, self._clock(), max_age=self._push_max_age, tz=self._tz
                )
            added += rows
            if not stories:
                break
        if added:
            self.sender.wake()
        return added

    async def roll_quiet(self) -> int:
        """Owe "while you were away" to chats whose quiet hours ended; return how many."""
        async with self._sessions.begin() as session:
            owed = await quiet.roll_held(session, self._clock())
        if owed:
            self.sender.wake()
        return owed

    def kick(self) -> None:
        """Something was enqueued or a broadcast started or was cancelled: act now."""
        self._kick.set()
        self.sender.wake()

    async def _recover(self, lease: timedelta | None = None) -> None:
        now = self._clock()
        async with self._sessions.begin() as session:
            recovered = await ledger.recover(
                session, now, self.sender.lease if lease is None else lease
            )
            # Bookkeeping that only grows otherwise: chats long free of any gap, senders gone.
            await send_budget.forget_past(session, now - BUDGET_KEEP)
            await send_budget.forget_senders(session, now, HEARTBEAT_KEEP)
        if recovered:
            log.info("%d deliveries held by a stopped sender are owed again", recovered)
        self._recover_at = time.monotonic() + self.sender.lease.total_seconds() / 2

    async def _upkeep_loop(self) -> None:
        # Each chore is apart: one failing (say, a story that cannot be matched) must not
        # stop the others; what it did not do stays marked in the database for the next tick.
        chores = (
            self.push_owed,
            self.push_updates,
            self.roll_quiet,
            self._feed_broadcasts,
            self._recover_due,
        )
        while True:
            for chore in chores:
                try:
                    await chore()
                except Exception as exc:
                    if not self._watch.failed(exc, "delivery upkeep"):
                        log.exception("delivery upkeep (%s) failed; retrying", chore.__name__)
                    break  # the next tick tries every chore again
            self._kick.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), timeout=TICK)

    async def _recover_due(self) -> None:
        if time.monotonic() >= self._recover_at:
            await self._recover()

    async def _feed_broadcasts(self) -> None:
        async with self._sessions() as session:
            running = await outbox.running_broadcasts(session)
        ahead = max(FEED_AHEAD, int(self.sender.pacer.rate * FEED_SECONDS))
        for broadcast_id in running:
            fed = 0
            async with self._sessions.begin() as session:
                while (owed := await ledger.open_rows(session, broadcast_id)) < ahead:
                    page = await outbox.enqueue_broadcast_page(
                        session, broadcast_id, self._clock(), limit=max(outbox.PAGE, ahead - owed)
                    )
                    fed += page
                    if not page:
                        break
                finished = await outbox.finish_if_done(session, broadcast_id, self._clock())
            if fed:
                self.sender.wake()
            await self._show_progress(broadcast_id, final=finished)

    async def show_final(self, broadcast_id: int) -> None:
        """Replace the progress message with the report (after a cancel)."""
        await self._show_progress(broadcast_id, final=True)

    async def _show_progress(self, broadcast_id: int, *, final: bool) -> None:
        last = self._last_edit.get(broadcast_id)
        now = time.monotonic()
        if not final and last is not None and now - last[0] < PROGRESS_EVERY:
            return
        async with self._sessions() as session:
            broadcast = await session.get(Broadcast, broadcast_id)
            counts = await ledger.tally(session, broadcast_id)  # a few rows, never the ledger
        if broadcast is None or broadcast.progress_message_id is None:
            return
        chat_id, message_id = broadcast.progress_chat_id, broadcast.progress_message_id
        if chat_id is None:
            return
        sent = counts.get("sent", 0)
        rate = (sent - last[1]) / (now - last[0]) if last and now > last[0] else 0.0
        self._last_edit[broadcast_id] = (now, sent)
        tally = progress.Tally.of_tally(counts, broadcast.total, rate)
        cat, lang = self._catalogue, "id"
        # Edits count against the bot's and the admin chat's limits like any message; under
        # flood control a progress edit is skipped (the next tick brings a newer one), while
        # the final report goes out regardless.
        paced = await self.sender.pace(chat_id, "private" if chat_id > 0 else "group")
        if not paced and not final:
            return
        token = PACED.set(True)  # the slot is taken: the rate limiter lets the edit through
        try:
            if final:
                text = progress.report_text(cat, lang, broadcast, tally, self._clock())
                await progress.edit(self.bot, chat_id, message_id, text, None)
                self._last_edit.pop(broadcast_id, None)
                return
            text = progress.progress_text(cat, lang, broadcast, tally)
            markup = progress.cancel_keyboard(cat, lang, broadcast_id)
            await progress.edit(self.bot, chat_id, message_id, text, markup)
        finally:
            PACED.reset(token)


def build_service(
    bot: Bot,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    bot_username: Callable[[], str | None],
    composer: Composer | None = None,
    clock: Callable[[], datetime] = utcnow,
    watch: OutageWatch | None = None,
    budget: SendBudget | None = None,
    transport: Transport | None = None,
) -> DeliveryService:
    """Wire the pacer, composer and sender from the settings (and this process's budget).

    The sender's messages take the lean path (`LeanTransport`) to the address `bot` calls
    whenever `bot` talks HTTP itself (PTB's HTTPXRequest, as in production); replies, edits and
    progress stay with PTB's `bot`. A Bot with another request object (tests' in-process fake
    Bot API) keeps every call in PTB.
    """
    watch = watch or OutageWatch()
    rate = effective_rate(settings.send_rate, settings.paid_broadcast)
    concurrency = send_concurrency(rate)
    if transport is None and isinstance(bot.request, HTTPXRequest):
        transport = LeanTransport(LeanBotApi(bot.base_url, connections=concurrency + 4))
    budget = budget or SendBudget(Pacer(rate), watch=watch)
    composer = composer or Composer(
        tz=settings.tz, bot_username=bot_username, clock=clock, public_url=settings.public_url
    )
    sender = Sender(
        bot,
        sessions,
        composer,
        budget.pacer,
        concurrency=concurrency,
        paid=settings.paid_broadcast,
        clock=clock,
        tz=settings.tz,
        lease=timedelta(seconds=settings.delivery_lease),
        watch=watch,
        budget=budget,
        transport=transport,
    )
    return DeliveryService(
        bot,
        sessions,
        sender,
        catalogue=default_catalogue(),
        tz=settings.tz,
        clock=clock,
        push_max_age=timedelta(hours=settings.push_max_age),
        watch=watch,
    )


async def start_delivery(
    application: Application[Any, Any, Any, Any, Any, Any],
    resources: Resources,
    settings: Settings,
    *,
    sole: bool = False,
    budget: SendBudget | None = None,
) -> DeliveryService:
    """Start delivering (`sole`: as the holder of the lead role); `await service.stop()` after."""
    bot = application.bot

    def username() -> str | None:
        try:
            name: str | None = bot.username
            return name
        except RuntimeError:  # the Bot was not initialised (no getMe yet)
            return None

    service = build_service(
        bot,
        resources.sessions,
        settings,
        bot_username=username,
        watch=resources.watch,
        budget=budget,
    )
    await service.start(sole=sole)
    return service
