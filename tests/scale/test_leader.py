"""One holder at a time for a role, and a quick takeover when the holder goes away."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.leader import Role

RETRY = 0.05


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
    await asyncio.sleep(20 * RETRY)  # b tries many times meanwhile
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
    """The holder's database session is killed: its work stops and the other takes over."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's file lock has no connection to kill")
    log: list[str] = []
    a, b = Worker("a", log), Worker("b", log)
    task_a = asyncio.create_task(Role(engine, "sender", a, retry_every=RETRY).run())
    await asyncio.wait_for(a.running.wait(), 10)
    task_b = asyncio.create_task(Role(engine, "sender", b, retry_every=RETRY).run())
    async with engine.connect() as conn:
        await conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                " AND granted AND objid::bigint = (hashtextextended("
                "'newsbot:' || current_schema() || ':' || :role, 0) & 4294967295)"
            ),
            {"role": "sender"},
        )
    await asyncio.wait_for(b.running.wait(), 10)
    assert log[:3] == ["a started", "a stopped", "b started"]
    await stop(task_a)
    await stop(task_b)
