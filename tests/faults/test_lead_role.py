"""The lead role under real faults: never two holders at once, and always a holder again."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.tcp_proxy import TcpProxy
from bot.ops.leader import RETRY_EVERY, Role, role_is_held
from storage.db import create_engine
from tests.faults.conftest import through


@dataclass
class Shifts:
    """When each holder's work ran: (who, started, ended) on the monotonic clock."""

    done: list[tuple[str, float, float]] = field(default_factory=list)
    running: dict[str, float] = field(default_factory=dict)

    def work(self, who: str) -> Callable[[], Coroutine[Any, Any, None]]:
        async def shift() -> None:
            self.running[who] = time.monotonic()
            try:
                await asyncio.Event().wait()
            finally:
                self.done.append((who, self.running.pop(who), time.monotonic()))

        return shift

    def overlapping(self) -> bool:
        spans = [*self.done, *((w, s, time.monotonic()) for w, s in self.running.items())]
        spans.sort(key=lambda span: span[1])
        return any(later[1] < earlier[2] for earlier, later in zip(spans, spans[1:], strict=False))


# Only a guard against a hang: how fast a role moves is measured by `python -m bench.recovery`,
# not asserted here (a shared machine's load makes any tight bound flaky).
HANG_GUARD = 120.0


async def until(check: Callable[[], bool], what: str) -> float:
    """Wait until `check()`; return the seconds it took (fail only if it never happens)."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > HANG_GUARD:
            pytest.fail(f"{what} never happened")
        await asyncio.sleep(0.02)
    return time.monotonic() - start


class Running:
    """Roles started as tasks, cancelled at the end."""

    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[None]] = []

    def start(self, role: Role) -> Role:
        self.tasks.append(asyncio.create_task(role.run()))
        return role

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def lock_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        pid = await conn.scalar(
            text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted LIMIT 1")
        )
    assert pid is not None, "nobody holds an advisory lock"
    return int(pid)


async def test_a_silent_holder_stops_before_another_takes_over(
    pg_database: str, pg_proxy: TcpProxy
) -> None:
    cut_off = create_engine(through(pg_database, pg_proxy))
    direct = create_engine(pg_database)
    shifts, running = Shifts(), Running()
    try:
        first = running.start(Role(cut_off, "lead", shifts.work("first")))
        await until(first.holding.is_set, "the first holder")
        second = running.start(Role(direct, "lead", shifts.work("second")))
        await asyncio.sleep(RETRY_EVERY * 1.5)
        assert not second.holding.is_set()

        pg_proxy.blackhole()  # a partition: nobody learns the other side is gone
        stopped = await until(lambda: "first" not in shifts.running, "the first to stop")
        # The server ends the silent session after LOCK_IDLE_TIMEOUT and frees the lock.
        took = await until(second.holding.is_set, "the second holder")
        assert stopped < took
        assert not shifts.overlapping(), shifts
    finally:
        pg_proxy.restore()
        await running.stop()
        await cut_off.dispose()
        await direct.dispose()
    assert [who for who, _, _ in shifts.done] == ["first", "second"]


async def test_a_terminated_lock_session_hands_the_role_over(pg_database: str) -> None:
    engine = create_engine(pg_database)
    shifts, running = Shifts(), Running()
    try:
        first = running.start(Role(engine, "lead", shifts.work("first")))
        await until(first.holding.is_set, "the first holder")
        second = running.start(Role(engine, "lead", shifts.work("second")))
        async with engine.connect() as admin:
            await admin.execute(
                text("SELECT pg_terminate_backend(:pid)"), {"pid": await lock_pid(engine)}
            )
        await until(second.holding.is_set, "the second holder")
        await until(lambda: "first" in {w for w, _, _ in shifts.done}, "the first's end")
        assert not shifts.overlapping(), shifts
    finally:
        await running.stop()
        await engine.dispose()


async def test_the_holder_takes_the_role_again_after_an_outage(
    pg_database: str, pg_proxy: TcpProxy
) -> None:
    engine = create_engine(through(pg_database, pg_proxy))
    shifts, running = Shifts(), Running()
    try:
        role = running.start(Role(engine, "lead", shifts.work("only")))
        await until(role.holding.is_set, "the holder")
        pg_proxy.cut()
        await until(lambda: not role.holding.is_set(), "the loss")
        await asyncio.sleep(3)
        pg_proxy.restore()
        await until(role.holding.is_set, "the role again")
    finally:
        await running.stop()
        await engine.dispose()
    assert (role.taken, role.lost) == (2, 2)
    assert not shifts.overlapping()


async def test_role_is_held_tells_the_truth_on_both_stores(
    pg_database: str, tmp_path: Path
) -> None:
    for url in (pg_database, f"sqlite+aiosqlite:///{tmp_path / 'lead.db'}"):
        engine = create_engine(url)
        running = Running()
        try:
            assert not await role_is_held(engine, "lead")
            role = running.start(Role(engine, "lead", Shifts().work("x")))
            await until(role.holding.is_set, "the holder")
            assert await role_is_held(engine, "lead")
            assert not await role_is_held(engine, "another role")
            await running.stop()
            assert not await role_is_held(engine, "lead")
        finally:
            await running.stop()
            await engine.dispose()
