"""One holder at a time for a named role (the sender, the digest scheduler) across processes.

On PostgreSQL the role is a session-level advisory lock (`pg_try_advisory_lock`) held on a
connection of its own: when the holder dies, its connection closes and PostgreSQL releases the
lock at once, so a waiting process takes over at its next try. On SQLite, where several
processes can only share one file on one machine, an exclusive `flock` on a file next to the
database plays the same part; the kernel drops it when the holder dies.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.locks import LOCK_KEY

log = logging.getLogger(__name__)

StillHeld = Callable[[], Awaitable[bool]]  # asks whether this process still holds the role
RETRY_EVERY = 2.0  # how often a waiting process tries to take the role (a holder checks 4×)


_TRY_LOCK = f"SELECT pg_try_advisory_lock({LOCK_KEY})"


class Role:
    """Run `work` only while this process holds `role`; cancel it the moment the hold is lost.

    A waiting process tries every `retry_every` seconds; once it has the lock it waits a short
    grace before working, so a holder that lost its connection (and so the lock) without dying
    has noticed and stopped: the two never work at once. Takeover: within `1.75 × retry_every`.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        role: str,
        work: Callable[[], Coroutine[Any, Any, None]],
        *,
        retry_every: float = RETRY_EVERY,
    ) -> None:
        self._engine = engine
        self._role = role
        self._work = work
        self._retry_every = retry_every
        self._check_every = retry_every / 4  # how often a holder makes sure it still holds
        self._grace = 3 * self._check_every
        self.holding = asyncio.Event()

    async def run(self) -> None:
        """Wait for the role, run the work while holding it, and start over when it is lost."""
        while True:
            try:
                async with self._hold() as still_held:
                    if still_held is None:
                        await asyncio.sleep(self._retry_every)
                        continue
                    # A holder whose lock connection died checks at least three times within
                    # this grace, so it has stopped its work before ours starts.
                    await asyncio.sleep(self._grace)
                    if not await still_held():
                        continue
                    log.info("took the %s role", self._role)
                    self.holding.set()
                    try:
                        await self._while_held(still_held)
                    finally:
                        self.holding.clear()
                await asyncio.sleep(self._retry_every)  # lost it: give the others their turn
            except asyncio.CancelledError:
                raise
            except Exception:  # a dropped connection: wait, then try to take the role again
                log.exception("lost the %s role", self._role)
                await asyncio.sleep(self._retry_every)

    async def _while_held(self, still_held: StillHeld) -> None:
        work = asyncio.create_task(self._work(), name=f"role-{self._role}")
        try:
            while not work.done():
                await asyncio.wait({work}, timeout=self._check_every)
                if not work.done() and not await still_held():
                    log.error("the %s role was lost; stopping its work", self._role)
                    return
            work.result()  # the work ended by itself: surface its error, if any
        finally:
            if not work.done():
                work.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await work

    def _hold(self) -> contextlib.AbstractAsyncContextManager[StillHeld | None]:
        url = self._engine.url
        if url.get_backend_name() == "postgresql":
            return _advisory_lock(self._engine, self._role)
        return _file_lock(_lock_path(url.database, self._role))


@contextlib.asynccontextmanager
async def _advisory_lock(engine: AsyncEngine, role: str) -> AsyncIterator[StillHeld | None]:
    async with engine.connect() as conn:
        got = await conn.scalar(text(_TRY_LOCK), {"name": role})
        await conn.commit()
        if not got:
            yield None
            return
        try:
            yield partial(_lock_alive, conn)
        finally:
            with contextlib.suppress(Exception):  # a dead connection released it already
                await conn.execute(text("SELECT pg_advisory_unlock_all()"))
                await conn.commit()


async def _lock_alive(conn: AsyncConnection) -> bool:
    # A session-level advisory lock lives as long as its connection: alive means held.
    try:
        await conn.execute(text("SELECT 1"))
        await conn.commit()
    except Exception:
        log.exception("the connection holding the advisory lock failed")
        return False
    return True


def _lock_path(database: str | None, role: str) -> Path:
    base = Path(database) if database and database != ":memory:" else Path("newsbot")
    return base.with_name(f"{base.name}.{role}.lock")


@contextlib.asynccontextmanager
async def _file_lock(path: Path) -> AsyncIterator[StillHeld | None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return

        async def still_held() -> bool:
            return True  # only this process can release an flock it holds

        try:
            yield still_held
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
