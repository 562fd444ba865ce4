"""One holder at a time for a role, and a quick takeover when the holder goes away."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ops.leader import Role

RETRY = 0.4  # holders check every 0.1 s; a new holder waits 0.3 s


class Worker:
    """A role's work that records when it runs and runs until cancelled."""

    def __init__(self, name: str, log: list[str]) -> None:
        self.name = name
        self.log = log
        self.running = asyncio.Event()

    async def __call__(self) -> None:
        self.log.append(f"{self.name} started")
        self.running.set()
        try:
            await asyncio.Event().wait()
        finally:
            self.running.clear()
            self.log.append(f"{self.name} stopped")


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def test_one_holder_then_takeover(engine: AsyncEngine) -> None:
    log: list[str] = []
    a, b = Worker("a", log), Worker("b", log)
    role_a = Role(engine, "sender", a, retry_every=RETRY)
    role_b = Role(engine, "sender", b, retry_every=RETRY)
    task_a = asyncio.create_task(role_a.run())
    await asyncio.wait_for(a.running.wait(), 10)
    task_b = asyncio.create_task(role_b.run())
    await asyncio.sleep(5 * RETRY)  # b tries several times meanwhile
    assert log == ["a started"] and not role_b.holding.is_set()

    await stop(task_a)
    await asyncio.wait_for(b.running.wait(), 10)
    assert log == ["a started", "a stopped", "b started"]
    await stop(task_b)


async def test_roles_are_independent(engine: AsyncEngine) -> None:
    log: list[str] = []
    sender, digests = Worker("sender", log), Worker("digests", log)
    tasks = [
        asyncio.create_task(Role(engine, "sender", sender, retry_every=RETRY).run()),
        asyncio.create_task(Role(engine, "digests", digests, retry_every=RETRY).run()),
    ]
    await asyncio.wait_for(asyncio.gather(sender.running.wait(), digests.running.wait()), 10)
    for task in tasks:
        await stop(task)


async def test_a_holder_whose_connection_dies_stops_its_work(engine: AsyncEngine) -> None:
    """The holder's database session is killed: its work stops before anyone's starts again."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's file lock has no connection to kill")
    log: list[str] = []
    a, b = Worker("a", log), Worker("b", log)
    roles = [Role(engine, "sender", w, retry_every=RETRY) for w in (a, b)]
    task_a = asyncio.create_task(roles[0].run())
    await asyncio.wait_for(a.running.wait(), 10)
    task_b = asyncio.create_task(roles[1].run())
    async with engine.connect() as conn:
        await conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                " AND granted AND objid::bigint = (hashtextextended("
                "'newsbot:' || current_schema() || ':' || :role, 0) & 4294967295)"
            ),
            {"role": "sender"},
        )
    # Whoever takes the role next (b, or a again on a new connection), a stopped first.
    await _within(10, lambda: len(log) >= 3)
    assert log[:2] == ["a started", "a stopped"]
    assert log[2] in ("a started", "b started")
    assert [r.holding.is_set() for r in roles].count(True) == 1
    await stop(task_a)
    await stop(task_b)


async def _within(seconds: float, condition: Callable[[], bool]) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"not within {seconds} s")
