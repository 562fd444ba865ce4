"""A broadcast through a database outage: `newsbot run` (or workers) as real processes.

Shared by the fault tests (tests/faults) and bench.recovery: a seeded database with N chats and
a running broadcast, the limit-enforcing Bot API farm on loopback, the bot's processes reaching
the database through a TcpProxy, and an outage (cut or black-hole) once a share has been sent.
What comes back: when the database returned, when the first message went out after that,
who got what, and what each process wrote to stderr.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.fanout import TOKEN, seed
from bench.tcp_proxy import TcpProxy
from bench.telegram_farm import Limits, TelegramFarm

REPO = Path(__file__).resolve().parents[1]
Outage = Callable[[], Awaitable[None]]  # makes the database unreachable, then restores it


@dataclass
class Process:
    """A `newsbot` process and what it has written to stderr."""

    proc: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    async def read(self) -> None:
        assert self.proc.stderr is not None
        while line := await self.proc.stderr.readline():
            self.lines.append(line.decode(errors="replace"))

    def count(self, text: str) -> int:
        return sum(text in line for line in self.lines)


@dataclass
class OutageRun:
    """What one run saw."""

    chats: int
    at_outage: int  # messages the farm had accepted when the outage began
    restored_at: float | None  # monotonic, when the database was reachable again
    first_after: float | None  # seconds from the return to the next accepted message
    elapsed: float  # from the start to every chat reached (or the timeout)
    per_chat: dict[int, int]
    too_many: int  # 429s the farm answered
    processes: list[Process]
    exit_codes: list[int | None]

    @property
    def lost(self) -> int:
        return self.chats - len(self.per_chat)

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.per_chat.values())

    @property
    def stderr(self) -> str:
        return "".join(line for p in self.processes for line in p.lines)


def bot_environment(database_url: str, api: str, sources: Path, **extra: str) -> dict[str, str]:
    """The environment of a bot process: this one's, minus any bot settings, plus ours."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    return (
        base
        | {
            "DATABASE_URL": database_url,
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api,
            "SOURCES_FILE": str(sources),
            "FETCH_PAGES": "false",
            "SEND_RATE": "30",
            "PTB_TIMEDELTA": "1",
            "LOG_LEVEL": "INFO",
        }
        | extra
    )


async def start_process(mode: str, env: dict[str, str], cwd: Path) -> Process:
    """Start `python -m bot MODE` with stderr read into `lines`."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        mode,
        cwd=cwd,
        env=env | {"PYTHONPATH": str(REPO)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    process = Process(proc)
    process.reader = asyncio.create_task(process.read())
    return process


async def stop_processes(processes: list[Process]) -> list[int | None]:
    """SIGTERM each process, wait for it (kill after 30 s); return the exit codes."""
    for p in processes:
        if p.proc.returncode is None:
            p.proc.send_signal(signal.SIGTERM)
    codes: list[int | None] = []
    for p in processes:
        try:
            codes.append(await asyncio.wait_for(p.proc.wait(), timeout=30))
        except TimeoutError:
            p.proc.kill()
            await p.proc.wait()
            codes.append(None)
        if p.reader is not None:
            await p.reader
    return codes


async def broadcast_through_outage(
    database_url: str,
    bot_database_url: str,
    *,
    chats: int,
    outage: Outage | None,
    mode: Literal["run", "worker"] = "run",
    processes: int = 1,
    outage_after: float = 1 / 3,
    within: float = 120.0,
    extra_env: dict[str, str] | None = None,
) -> OutageRun:
    """Seed `chats` and a running broadcast, run the bot, and cause `outage` mid-broadcast.

    `database_url` is how the test reaches the database, `bot_database_url` how the bot does
    (through a proxy, for a network outage).
    """
    await seed(database_url, chats)
    farm = TelegramFarm(limits=Limits())
    api = await farm.start()
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.toml"
        # Nothing to poll, really: a source that refuses at once keeps ingest quiet.
        sources.write_text('[[sources]]\nname = "Diam"\nurl = "http://127.0.0.1:9/rss"\n')
        env = bot_environment(bot_database_url, api, sources, **(extra_env or {}))
        started = time.monotonic()
        procs = [await start_process(mode, env, Path(tmp)) for _ in range(processes)]
        restored_at = first_after = None
        at_outage = 0
        try:
            while len(farm.received) < chats * outage_after:
                await _check_alive(procs, started, within)
            at_outage = len(farm.received)
            if outage is not None:
                await outage()
                restored_at = time.monotonic()
                before = len(farm.received)
                while len(farm.per_chat()) < chats and first_after is None:
                    if len(farm.received) > before:
                        first_after = farm.received[before].at - restored_at
                    await _check_alive(procs, started, within)
            while len(farm.per_chat()) < chats:
                await _check_alive(procs, started, within)
            if outage is not None and first_after is None and len(farm.received) > at_outage:
                first_after = farm.received[at_outage].at - (restored_at or 0.0)
            elapsed = time.monotonic() - started
            await asyncio.sleep(1.0)  # what is still to come would be a duplicate
        except TimeoutError:
            elapsed = time.monotonic() - started
        finally:
            codes = await stop_processes(procs)
            await farm.close()
    return OutageRun(
        chats=chats,
        at_outage=at_outage,
        restored_at=restored_at,
        first_after=first_after,
        elapsed=elapsed,
        per_chat=farm.per_chat(),
        too_many=farm.too_many,
        processes=procs,
        exit_codes=codes,
    )


async def _check_alive(procs: list[Process], started: float, within: float) -> None:
    for p in procs:
        if p.proc.returncode is not None:
            raise RuntimeError(f"a bot process exited ({p.proc.returncode}): {p.lines[-20:]}")
    if time.monotonic() - started > within:
        raise TimeoutError
    await asyncio.sleep(0.05)


def proxy_outage(proxy: TcpProxy, seconds: float, kind: Literal["cut", "blackhole"]) -> Outage:
    """An outage of `seconds` on the proxy."""

    async def outage() -> None:
        await proxy.outage(seconds, kind=kind)

    return outage


def sqlite_lock_outage(path: Path, seconds: float) -> Outage:
    """Another process's write lock held on the SQLite file for `seconds`."""

    async def outage() -> None:
        holder = await asyncio.to_thread(_lock, path)
        try:
            await asyncio.sleep(seconds)
        finally:
            await asyncio.to_thread(_unlock, holder)

    return outage


def _lock(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, timeout=60, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def _unlock(holder: sqlite3.Connection) -> None:
    holder.rollback()
    holder.close()


def restart_outage(admin_url: str, database: str, seconds: float) -> Outage:
    """A PostgreSQL restart, as the bot sees it: for `seconds`, every connection to `database`
    is ended by the server (`pg_terminate_backend`) as soon as it appears."""

    async def outage() -> None:
        engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                loop = asyncio.get_running_loop()
                until = loop.time() + seconds
                while loop.time() < until:
                    await conn.execute(
                        text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = :db AND pid <> pg_backend_pid()"
                        ),
                        {"db": database},
                    )
                    await asyncio.sleep(0.05)
        finally:
            await engine.dispose()

    return outage
