"""Smooth pacing of sends: one slot every 1/rate s overall, and a gap per chat.

Hand-written because PTB's AIORateLimiter is a token bucket (about twice the rate gets through
in the first second) that pauses every request on one 429; the ledger needs per-chat deferral.

Every ledger message and every broadcast progress edit takes a slot here. Handler replies do
not: each answers one user's own message (so that chat's rate is the user's), and making a
reader wait behind a 100,000-chat broadcast for an answer to /start would be worse than the
rare 429 it could cause, which PTB then raises to the handler.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Awaitable, Callable
from time import monotonic

# Telegram's free limit; more needs allow_paid_broadcast (Telegram Stars).
FREE_RATE = 30.0
PAID_RATE = 1000.0
# Gaps a little over 1 s and 3 s (20 a minute): event-loop jitter must not squeeze two sends
# into Telegram's window.
PRIVATE_GAP = 1.05
GROUP_GAP = 3.05
# Never more than `rate` sends inside any window this long: a guard against late wake-ups,
# and 40 ms of room for a send's way from its slot to Telegram, which varies (a busy event
# loop, a reply's path beside the sender's); at 1.02 s a loaded machine drew rare 429s from the
# limit-enforcing farm. The cost: a steady 28.8 messages a second at SEND_RATE 30 (96 %),
# 961 at the paid 1,000. A send the sender made counts from when its answer came back (see
# `Pacer.answered`), so a stall on either side of the wire cannot eat this room.
WINDOW = 1.04
# A stamp's time while its call is on its way (`Pacer.sending` to `Pacer.answered`).
IN_FLIGHT = math.inf
# How late a slot may still be given (it never breaks the WINDOW guard below it), and how fast
# missed slots are made up: at twice the pace, not all at once. At 1,000 a second a 100-ms
# stall owes 100 slots; sent in one burst they reached the (limit-enforcing) Bot API faster
# than it read them, its clock bunched them, and a window later it answered 429.
CATCH_UP = 0.25
CATCH_UP_SPEED = 2.0
# Chats remembered before the pacer forgets those whose gap has passed.
PURGE_AT = 2048
# A slot's place in the window(s) it was counted in (see `Pacer.sending`).
Stamp = list[list[float]]


def effective_rate(send_rate: float, paid: bool) -> float:
    """The overall rate to pace at: SEND_RATE, capped at 30/s unless paid broadcast is on."""
    return min(send_rate, PAID_RATE if paid else FREE_RATE)


def chat_gap(chat_type: str) -> float:
    """Seconds between two messages to one chat of this type."""
    return PRIVATE_GAP if chat_type == "private" else GROUP_GAP


class Pacer:
    """Hands out send slots evenly in time and tracks when each chat may be sent to again.

    Above Telegram's free rate, only paid messages (allow_paid_broadcast) may use the extra
    slots: the others also take a slot of an inner pacer at the free rate.
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._free = Pacer(FREE_RATE, clock=clock, sleep=sleep) if rate > FREE_RATE else None
        self.rate = rate
        # Even slots that fill the window exactly: `rate` per WINDOW, not per second, so the
        # guard below only binds when slots bunch after a stall.
        self.interval = WINDOW / rate
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0  # the next slot of the even schedule
        self._given = 0.0  # the last slot given (behind the schedule while catching up)
        self._recent: deque[list[float]] = deque()
        self._capacity = max(1, int(rate))
        self._chat_ready: dict[int, float] = {}
        self._purge_at = PURGE_AT
        self._paused_until = 0.0

    async def slot(self, *, paid: bool = False) -> Stamp:
        """Wait for the next overall send slot; slots never accumulate while idle.

        Returns the slot's stamp: give it to `sending` the moment the call really goes out.
        """
        inner: Stamp = []
        if self._free is not None and not paid:
            inner = await self._free.slot()
        now = self._clock()
        late = now - self._next
        # A slot missed by a moment (the sender was busy reading the database) is still
        # given, so a stall does not lower the rate; after real idling none is owed.
        catching_up = 0 < late <= CATCH_UP
        at = self._next if catching_up else max(self._next, now)
        # Never two slots closer than half the pace (missed ones are made up at twice it).
        at = max(at, self._given + self.interval / CATCH_UP_SPEED)
        steady = at
        at = max(at, self._paused_until)
        if len(self._recent) >= self._capacity:
            counted = self._recent[-self._capacity][0]
            # A call still on its way a window later (a long stall) counts as answered now.
            at = max(at, (now if counted == IN_FLIGHT else counted) + WINDOW)
        if catching_up and at == steady:
            self._next += self.interval  # the even schedule goes on; `at` is behind it
        else:
            self._next = at + self.interval
        self._given = max(at, now)  # when it is really given
        entry = [at]
        self._recent.append(entry)
        while len(self._recent) > self._capacity:
            self._recent.popleft()
        if at > now:
            await self._sleep(at - now)
        # A busy event loop wakes us late: the window counts from when the send really starts.
        entry[0] = max(at, self._clock())
        return [entry, *inner]

    def sending(self, stamp: Stamp) -> None:
        """The call of a slot goes out now; the window counts from its answer (`answered`).

        Between the slot and the call lie a task switch or two, and between the call and
        Telegram reading it a stall of either process: on a loaded machine (a collection, a
        database batch) tens of milliseconds. A call stamped when it was started, and one on
        time a window later, reached the limit-enforcing farm 60-85 ms closer than the window
        (measured: 6 429s in 100,000 paid messages). Telegram has read a call once its answer
        is back, so counting from then keeps the window on its clock too; it costs the
        answer's time (about a millisecond) once a window.
        """
        for entry in stamp:
            entry[0] = IN_FLIGHT

    def answered(self, stamp: Stamp) -> None:
        """The call of a slot (see `sending`) was answered, or failed, now."""
        now = self._clock()
        for entry in stamp:
            entry[0] = now

    def ready_at(self, chat_key: int) -> float:
        """When a chat may next be sent to (monotonic seconds)."""
        return self._chat_ready.get(chat_key, 0.0)

    def now(self) -> float:
        """The pacer's clock."""
        return self._clock()

    def note_sent(self, chat_key: int, chat_type: str) -> None:
        """Remember a send to a chat so its next one waits the chat's gap."""
        self._chat_ready[chat_key] = max(
            self._chat_ready.get(chat_key, 0.0), self._clock() + chat_gap(chat_type)
        )
        if len(self._chat_ready) > self._purge_at:
            self._forget_past()

    def defer_chat(self, chat_key: int, seconds: float) -> None:
        """Hold a chat back for `seconds` (flood control for that chat)."""
        until = self._clock() + seconds
        self._chat_ready[chat_key] = max(self._chat_ready.get(chat_key, 0.0), until)

    def pause_all(self, seconds: float) -> None:
        """Hold every send back for `seconds` (flood control for the whole bot)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    @property
    def paused_until(self) -> float:
        """Until when every send is held back (monotonic seconds; in the past when not)."""
        return self._paused_until

    def _forget_past(self) -> None:
        # Chats whose gap has passed need no entry: keeps memory flat on 100k-chat broadcasts.
        # The next purge waits until the table doubles, so the work stays constant per send.
        now = self._clock()
        self._chat_ready = {k: v for k, v in self._chat_ready.items() if v > now}
        self._purge_at = max(PURGE_AT, 2 * len(self._chat_ready))
