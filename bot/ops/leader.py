"""One holder at a time for a named role (the sender, the digest scheduler) across processes.

On PostgreSQL the role is a session-level advisory lock (`pg_try_advisory_lock`) held on a
connection of its own: when the holder dies, its connection closes and PostgreSQL releases the
lock at once, so a waiting process takes over at its next try. On SQLite, where several
processes can only share one file on one machine, an exclusive `flock` on a file next to the
database plays the same part; the kernel drops it when the holder dies.

A lock is never assumed held. The holder asks its lock connection every `check_every` seconds
and counts an answer later than CHECK_TIMEOUT as a loss, so it stops its work within about
two seconds of the connection going quiet. The server, told to end that session after
LOCK_IDLE_TIMEOUT seconds of silence (`idle_session_timeout`), only frees the lock well after
that; a network partition that leaves the old session open on the server can then not keep
the role from everyone for ever, and the old holder has stopped before a new one starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.locks import LOCK_KEY
from storage.outage import Backoff, OutageWatch, is_outage

log = logging.getLogger(__name__)

StillHeld = Callable[[], Awaitable[bool]]  # asks whether this process still holds the role
RETRY_EVERY = 2.0  # how often a waiting process tries to take the role (a holder checks 4×)
CHECK_TIMEOUT = 1.5  # a lock check unanswered this long means the lock may be gone
LOCK_IDLE_TIMEOUT = 10.0  # the server ends a lock session silent this long (PostgreSQL ≥ 14)
_ABANDONED: set[asyncio.Future[None]] = set()  # lock checks given up on, still cancelling


_TRY_LOCK = f"SELECT pg_try_advisory_lock({LOCK_KEY})"
# A bigint advisory key shows in pg_locks as its high (classid) and low (objid) 32 bits.
_LOCK_HELD = f"""
SELECT EXISTS (
    SELECT 1 FROM pg_locks l, (SELECT {LOCK_KEY} AS k) key
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid::bigint = ((key.k >> 32) & 4294967295)
      AND l.objid::bigint = (key.k & 4294967295))
"""


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
        watch: OutageWatch | None = None,
    ) -> None:
        self._engine = engine
        self._role = role
        self._work = work
        self._retry_every = retry_every
        self._check_every = retry_every / 4  # how often a holder makes sure it still holds
        self._grace = 3 * self._check_every
        self._watch = watch or OutageWatch()
        self.holding = asyncio.Event()
        self.taken = 0  # times this process took the role
        self.lost = 0  # times it lost the role (or its work ended) while holding it

    async def run(self) -> None:
        """Wait for the role, run the work while holding it, and start over when it is lost."""
        backoff = Backoff(first=self._retry_every / 4, cap=self._retry_every)
        while True:
            try:
                async with self._hold() as still_held:
                    self._watch.ok()  # the lock answered: the database is there
                    backoff.reset()
                    if still_held is None:
                        await asyncio.sleep(self._retry_every)
                        continue
                    # A holder whose lock connection died checks at least three times within
                    # this grace, so it has stopped its work before ours starts.
                    await asyncio.sleep(self._grace)
                    if not await still_held():
                        continue
                    log.info("took the %s role", self._role)
                    self.taken += 1
                    self.holding.set()
                    try:
                        await self._while_held(still_held)
                    finally:
                        self.holding.clear()
                        self.lost += 1
                await asyncio.sleep(self._retry_every)  # lost it: give the others their turn
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database went away: wait, then try again
                if not self._watch.failed(exc, f"the {self._role} role"):
                    log.exception("the %s role failed", self._role)
                await asyncio.sleep(backoff.next())

    async def _while_held(self, still_held: StillHeld) -> None:
        work = asyncio.create_task(self._work(), name=f"role-{self._role}")
        try:
            while not work.done():
                await asyncio.wait({work}, timeout=self._check_every)
                if not work.done() and not await still_held():
                    log.warning("the %s role was lost; stopping its work", self._role)
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
            return _advisory_lock(self._engine, self._role, self._watch)
        return _file_lock(_lock_path(url.database, self._role))


@contextlib.asynccontextmanager
async def _advisory_lock(
    engine: AsyncEngine, role: str, watch: OutageWatch
) -> AsyncIterator[StillHeld | None]:
    async with engine.connect() as conn:
        await _end_when_silent(conn)
        got = await conn.scalar(text(_TRY_LOCK), {"name": role})
        await conn.commit()
        if not got:
            yield None
            return
        alive = True

        async def still_held() -> bool:
            nonlocal alive
            if alive:
                error = await _lock_check(conn)
                if error is not None:
                    alive = False
                    watch.failed(error, f"the {role} role lock")
            return alive

        try:
            yield still_held
        finally:
            if alive:
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(CHECK_TIMEOUT):
                        await conn.execute(text("SELECT pg_advisory_unlock_all()"))
                        await conn.commit()
            else:  # in an unknown state: never hand it back to the pool
                with contextlib.suppress(Exception):
                    await conn.invalidate()


async def _end_when_silent(conn: AsyncConnection) -> None:
    """Ask the server to end this session (and free its locks) once it falls silent."""
    timeout = f"{int(LOCK_IDLE_TIMEOUT * 1000)}ms"
    try:
        await conn.execute(text(f"SET idle_session_timeout = '{timeout}'"))
        await conn.commit()
    except Exception as exc:
        if is_outage(exc):
            raise
        # PostgreSQL before 14 has no such setting: a partition may then hold the lock until
        # the server's TCP keepalive notices the holder is gone.
        await conn.rollback()
        log.warning("idle_session_timeout is not available (%s)", type(exc).__name__)


async def _lock_check(conn: AsyncConnection) -> BaseException | None:
    # A session-level advisory lock lives as long as its connection: alive means held. An
    # answer that does not come in time may mean the server already ended the session. The
    # ping is not awaited past its time: cancelling a query on a silent connection waits for
    # the driver's own cancel request, and the holder must stop now, not then.
    ping = asyncio.ensure_future(_ping(conn))
    done, _ = await asyncio.wait({ping}, timeout=CHECK_TIMEOUT)
    error: BaseException | None
    if not done:
        ping.cancel()
        _ABANDONED.add(ping)  # left to finish its cancelling; the connection is dropped after
        ping.add_done_callback(_ABANDONED.discard)
        error = TimeoutError("the lock check got no answer in time")
    else:
        error = ping.exception()
        if error is None:
            return None
    log.warning("the connection holding the role lock failed (%s)", type(error).__name__)
    return error


async def _ping(conn: AsyncConnection) -> None:
    await conn.execute(text("SELECT 1"))
    await conn.commit()


async def role_is_held(engine: AsyncEngine, role: str) -> bool:
    """Tell whether any process holds `role` now (for health checks; takes nothing)."""
    url = engine.url
    if url.get_backend_name() != "postgresql":
        return _file_lock_held(_lock_path(url.database, role))
    async with engine.connect() as conn:
        held = await conn.scalar(text(_LOCK_HELD), {"name": role})
    return bool(held)


def _file_lock_held(path: Path) -> bool:
    # Another open file (even in the holder's own process) cannot take a held flock.
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


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
