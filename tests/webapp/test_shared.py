"""Shared answers: built once for concurrent askers, the old one given while a new one builds."""

from __future__ import annotations

import asyncio

import pytest

from bot.webapp.shared import Shared


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Builder:
    def __init__(self) -> None:
        self.builds = 0
        self.gate = asyncio.Event()
        self.gate.set()
        self.fail = False

    async def __call__(self, key: str) -> str:
        self.builds += 1
        await self.gate.wait()
        if self.fail:
            raise RuntimeError("database gone")
        return f"{key}#{self.builds}"


async def test_concurrent_askers_share_one_build_and_fresh_answers_are_kept() -> None:
    clock, build = Clock(), Builder()
    shared = Shared(build, ttl=10, max_stale=100, size=8, clock=clock)
    build.gate.clear()
    askers = [asyncio.create_task(shared("a")) for _ in range(20)]
    await asyncio.sleep(0)
    build.gate.set()
    assert set(await asyncio.gather(*askers)) == {"a#1"}
    clock.now = 9
    assert await shared("a") == "a#1" and build.builds == 1


async def test_a_stale_answer_is_given_while_one_rebuild_runs() -> None:
    clock, build = Clock(), Builder()
    shared = Shared(build, ttl=10, max_stale=100, size=8, clock=clock)
    assert await shared("a") == "a#1"
    clock.now = 11
    build.gate.clear()
    assert [await shared("a") for _ in range(5)] == ["a#1"] * 5  # nobody waits
    await asyncio.sleep(0)  # the rebuild starts
    assert build.builds == 2  # one rebuild for all of them
    build.gate.set()
    await asyncio.sleep(0.01)
    assert await shared("a") == "a#2"


async def test_too_old_an_answer_is_rebuilt_before_it_is_given() -> None:
    clock, build = Clock(), Builder()
    shared = Shared(build, ttl=10, max_stale=100, size=8, clock=clock)
    await shared("a")
    clock.now = 101
    assert await shared("a") == "a#2"


async def test_a_failed_rebuild_keeps_the_old_answer_and_a_failed_build_raises() -> None:
    clock, build = Clock(), Builder()
    shared = Shared(build, ttl=10, max_stale=100, size=8, clock=clock)
    await shared("a")
    clock.now = 11
    build.fail = True
    assert await shared("a") == "a#1"
    await asyncio.sleep(0.01)
    assert await shared("a") == "a#1"
    with pytest.raises(RuntimeError, match="database gone"):
        await shared("b")


async def test_the_oldest_answers_make_room() -> None:
    clock, build = Clock(), Builder()
    shared = Shared(build, ttl=10, max_stale=100, size=2, clock=clock)
    for key in ("a", "b", "c"):
        await shared(key)
    await shared("a")  # "a" was dropped: built again
    assert build.builds == 4
    await shared.close()
