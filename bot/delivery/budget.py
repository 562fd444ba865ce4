"""The bot's one sending budget: every call to Telegram that sends draws on it.

Telegram's limits belong to the bot, not to a process. Inside a process the `Pacer` spaces
sends (overall slots, per-chat gaps, flood-control holds); the sender, progress edits and every
reply share that one Pacer. When several processes serve one bot (PostgreSQL: `web` × N and
`worker` × N), a `PostgresBudget` is drawn on as well: a slot is then taken from rows every
process sees (storage.send_budget), so a reply in a `web` process and the lead's broadcast
never add up past a limit.

A reply may go ahead of queued broadcast messages (it takes the next slot, not the end of the
queue) but never past a limit; one that cannot get a slot within its patience is not sent.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.pacing import FREE_RATE, WINDOW, Pacer, chat_gap
from storage import send_budget
from storage.outage import OutageWatch

log = logging.getLogger(__name__)

# Set in the tasks whose calls already drew on the budget (the sender's sends, progress
# edits): the Telegram rate limiter lets those through as they are.
PACED: ContextVar[bool] = ContextVar("newsbot_paced", default=False)
# Shared slots are as wide as the Pacer's own (WINDOW / rate): each process sleeps to its slot
# on its own clock after a round trip, and one late wake-up must not put two processes' sends
# into one of Telegram's windows. (Inside a process the Pacer's window guard does that job.)
SPACING = WINDOW


class SharedBudget(Protocol):
    """A budget that several processes draw on."""

    async def take(
        self, chat_id: int | None, chat_type: str, *, paid: bool, patience: float
    ) -> tuple[bool, float]:
        """(True, wait before sending) when a slot was taken; else (False, wait until free)."""
        ...

    async def take_many(
        self, chats: list[tuple[int, str]], *, paid: bool, patience: float
    ) -> list[tuple[bool, float]]:
        """`take` for several messages (chat, chat type) at once, in order."""
        ...

    async def defer_chat(self, chat_id: int, seconds: float) -> None:
        """Hold a chat back."""
        ...

    async def pause_all(self, seconds: float) -> None:
        """Hold every send back."""
        ...


class PostgresBudget:
    """The shared budget in PostgreSQL: one round trip per slot (newsbot_take_send_slot)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], rate: float) -> None:
        self._sessions = sessions
        self._free_interval = SPACING / min(rate, FREE_RATE)
        self._paid_interval = SPACING / rate

    async def take(
        self, chat_id: int | None, chat_type: str, *, paid: bool, patience: float
    ) -> tuple[bool, float]:
        """Take a slot of the free (or paid) pace and the chat's gap, within `patience`."""
        pace, interval = ("paid", self._paid_interval) if paid else ("free", self._free_interval)
        async with self._sessions() as session:
            # The function is one statement, atomic on its own: no BEGIN and COMMIT around it
            # (three round trips become one, which matters at 1,000 slots a second).
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            return await send_budget.take_slot(
                session, pace, interval, chat_id, chat_gap(chat_type), patience
            )

    async def take_many(
        self, chats: list[tuple[int, str]], *, paid: bool, patience: float
    ) -> list[tuple[bool, float]]:
        """Slots for several messages in one round trip (the sender's batches)."""
        pace, interval = ("paid", self._paid_interval) if paid else ("free", self._free_interval)
        with_gaps = [(chat, chat_gap(kind)) for chat, kind in chats]
        async with self._sessions() as session:
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            return await send_budget.take_slots(session, pace, interval, with_gaps, patience)

    async def defer_chat(self, chat_id: int, seconds: float) -> None:
        """Hold a chat back for every process."""
        async with self._sessions.begin() as session:
            await send_budget.defer_chat(session, chat_id, seconds)

    async def pause_all(self, seconds: float) -> None:
        """Hold every send of every process back."""
        async with self._sessions.begin() as session:
            await send_budget.pause_all(session, seconds)


class SendBudget:
    """This process's pacer, and the shared budget when processes share one bot."""

    def __init__(
        self,
        pacer: Pacer,
        shared: SharedBudget | None = None,
        *,
        watch: OutageWatch | None = None,
    ) -> None:
        self.pacer = pacer
        self.shared = shared
        self._watch = watch or OutageWatch()

    async def shared_slot(self, chat_id: int, chat_type: str, *, paid: bool) -> float | None:
        """After the local slot, the shared one: seconds to wait, or None when the chat is
        held by another process (the caller puts the message back; its gap is noted here)."""
        if self.shared is None:
            return 0.0
        granted, wait = await self.shared.take(chat_id, chat_type, paid=paid, patience=60.0)
        if granted:
            return wait
        self.pacer.defer_chat(chat_id, wait)
        return None

    async def shared_slots(
        self, chats: list[tuple[int, str]], *, paid: bool
    ) -> list[float | None]:
        """`shared_slot` for several messages (chat, chat type) in one round trip, in order."""
        if self.shared is None:
            return [0.0] * len(chats)
        taken = await self.shared.take_many(chats, paid=paid, patience=60.0)
        waits: list[float | None] = []
        for (chat_id, _), (granted, wait) in zip(chats, taken, strict=True):
            if not granted:
                self.pacer.defer_chat(chat_id, wait)
            waits.append(wait if granted else None)
        return waits

    async def reply_slot(self, chat_id: int | None, chat_type: str, *, patience: float) -> bool:
        """Wait for a slot for a reply (at most `patience` s); False when none comes in time.

        `chat_id` None: a call that goes to no chat (an inline answer, a callback answer): it
        takes an overall slot only.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + patience
        while True:
            held = self.pacer.paused_until
            if chat_id is not None:
                held = max(held, self.pacer.ready_at(chat_id))
            wait = held - self.pacer.now()
            if wait <= 0:
                break
            if loop.time() + wait > deadline:
                return False
            await asyncio.sleep(wait)  # then look again: another send may have taken the chat
        if chat_id is not None:
            # Hold the chat before waiting for the slot, so the sender cannot slip in between,
            # and again once sent, so the gap counts from the real send.
            self.pacer.note_sent(chat_id, chat_type)
        if self.shared is not None and not await self._shared_reply_slot(
            chat_id, chat_type, deadline
        ):
            return False
        await self.pacer.slot()  # the last gate: this process's sends stay within the rate
        if chat_id is not None:
            self.pacer.note_sent(chat_id, chat_type)
        return True

    async def _shared_reply_slot(
        self, chat_id: int | None, chat_type: str, deadline: float
    ) -> bool:
        assert self.shared is not None
        loop = asyncio.get_running_loop()
        while True:
            left = deadline - loop.time()
            try:
                granted, wait = await self.shared.take(
                    chat_id, chat_type, paid=False, patience=max(0.0, left)
                )
            except Exception as exc:
                # The shared budget is out of reach with the database: this process's own
                # pacing still holds, and a reader who asks for /help still gets it.
                if not self._watch.failed(exc, "the send budget"):
                    log.exception("the shared send budget failed")
                return True
            if granted:
                if wait > 0:
                    await asyncio.sleep(wait)
                return True
            if wait > left:
                return False
            await asyncio.sleep(wait)

    async def flood(self, chat_id: int | None, seconds: float, *, bot_wide: bool) -> None:
        """Telegram answered 429: hold the chat (or everything) back here and for the others."""
        if chat_id is not None:
            self.pacer.defer_chat(chat_id, seconds)
        if bot_wide or chat_id is None:
            self.pacer.pause_all(seconds)
        if self.shared is None:
            return
        try:
            if chat_id is not None:
                await self.shared.defer_chat(chat_id, seconds)
            if bot_wide or chat_id is None:
                await self.shared.pause_all(seconds)
        except Exception as exc:
            if not self._watch.failed(exc, "the send budget"):
                log.exception("could not share a flood-control hold")
