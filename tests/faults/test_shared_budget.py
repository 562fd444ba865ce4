"""Two processes' replies drawing on one PostgreSQL budget stay within Telegram's limits."""

from __future__ import annotations

import asyncio
import time

from bot.delivery.budget import PostgresBudget, SendBudget
from bot.delivery.pacing import Pacer
from storage.db import create_engine, session_factory
from storage.migrate import upgrade

RATE = 30.0


def worst_second(times: list[float]) -> int:
    times = sorted(times)
    worst, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 1.0:
            start += 1
        worst = max(worst, end - start + 1)
    return worst


async def test_two_processes_share_the_rate_and_each_chats_gap(pg_database: str) -> None:
    engine = create_engine(pg_database)
    await upgrade(engine)
    sessions = session_factory(engine)
    # Two "processes": each its own pacer, both the same rows in PostgreSQL.
    budgets = [SendBudget(Pacer(RATE), PostgresBudget(sessions, RATE)) for _ in range(2)]
    sent: list[tuple[int, float]] = []  # (chat, when)

    async def reader(budget: SendBudget, chat_id: int) -> None:
        for _ in range(3):
            if await budget.reply_slot(chat_id, "private", patience=10):
                sent.append((chat_id, time.monotonic()))

    try:
        # 40 readers, each replied to three times, from whichever process took the update;
        # chats 1-20 hear from both processes.
        await asyncio.gather(
            *(reader(budgets[n % 2], 1 + n % 20) for n in range(40)),
        )
    finally:
        await engine.dispose()
    assert len(sent) == 120  # nobody was given up on within the patience
    # Both processes together: never more than the rate in any second (one slot of slack for
    # the sleeps' own timing), and every chat's messages a second apart.
    assert worst_second([t for _, t in sent]) <= RATE + 1
    for chat in range(1, 21):
        times = sorted(t for c, t in sent if c == chat)
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert min(gaps) >= 0.95, (chat, gaps)


async def test_a_chat_held_by_flood_control_is_held_for_every_process(pg_database: str) -> None:
    engine = create_engine(pg_database)
    await upgrade(engine)
    sessions = session_factory(engine)
    first, second = (SendBudget(Pacer(RATE), PostgresBudget(sessions, RATE)) for _ in range(2))
    try:
        await first.flood(42, 3.0, bot_wide=False)  # Telegram told the first process: 3 s
        start = time.monotonic()
        assert not await second.reply_slot(42, "private", patience=1.0)
        assert await second.reply_slot(7, "private", patience=1.0)  # other chats go on
        assert await second.reply_slot(42, "private", patience=5.0)
        waited = time.monotonic() - start
    finally:
        await engine.dispose()
    assert 2.5 <= waited <= 5.0, waited
