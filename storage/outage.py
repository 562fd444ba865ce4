"""Tell a database outage from a bug, say so once, and wait a bounded, growing time between tries.

An outage is anything that says "the database is not there right now": a refused or dropped
connection, a server shutting down or restarting (`pg_terminate_backend` included), no answer in
time, SQLite's lock held by another process past the busy timeout, a full disk. Everything else
(a constraint, a syntax error, a bug) is not, and keeps its traceback.

Each process keeps one `OutageWatch`: every loop that touches the database reports its failures
and successes to it, so an outage is logged once when it starts and once when it ends, however
many loops notice it, instead of a traceback per loop per second.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import time
from collections.abc import Callable, Iterator

import asyncpg.exceptions as pg
from sqlalchemy import exc as sa
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)
# Failures this soon after the database came back belong to the same outage (a server that is
# restarting accepts connections, then ends them): told once, not once per flap.
FLAPPING = 10.0

# SQLite's words for the conditions that pass: another process's write lock, a full or failing
# disk, a file that cannot be opened for now (its folder unmounted).
_SQLITE_OUTAGES = (
    ("database is locked", "database is locked by another process"),
    ("database table is locked", "database is locked by another process"),
    ("database or disk is full", "disk full"),
    ("disk i/o error", "disk I/O error"),
    ("unable to open database file", "cannot open the database file"),
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what SQLAlchemy wrapped (`orig`) and its causes, at most 8 deep.

    Only explicit causes are followed, not the exception being handled when it was raised:
    a bug raised while handling an outage is still a bug.
    """
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo and len(seen) < 8:
        item = todo.pop(0)
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, BaseExceptionGroup):  # a task group's failures (ingest lanes)
            todo += list(item.exceptions)
        todo += [getattr(item, "orig", None), item.__cause__]


def outage_reason(exc: BaseException) -> str | None:
    """Why the database is unreachable, in a few words; None when `exc` is not an outage."""
    for item in _chain(exc):
        reason = _reason_of(item)
        if reason is not None:
            return reason
    return None


def _reason_of(item: BaseException) -> str | None:
    if isinstance(item, ConnectionRefusedError):
        return "connection refused"
    if isinstance(item, ConnectionError | pg.ConnectionDoesNotExistError):
        return "connection lost"
    if isinstance(item, TimeoutError | sa.TimeoutError):
        return "no answer in time"
    if isinstance(item, pg.AdminShutdownError | pg.CrashShutdownError):
        return "the server closed the connection (restart or shutdown)"
    if isinstance(item, pg.CannotConnectNowError):
        return "the server is starting up"
    if isinstance(item, pg.TooManyConnectionsError):
        return "too many connections"
    if isinstance(item, pg.PostgresConnectionError):
        return "connection failed"
    if isinstance(item, pg.InterfaceError) and "closed" in str(item):
        return "connection lost"
    if isinstance(item, sa.DBAPIError) and item.connection_invalidated:
        return "connection lost"
    if isinstance(item, sqlite3.OperationalError):
        text = str(item).lower()
        for words, reason in _SQLITE_OUTAGES:
            if words in text:
                return reason
    if isinstance(item, OSError) and not isinstance(item, FileNotFoundError):
        return (item.strerror or type(item).__name__).lower()
    return None


def is_outage(exc: BaseException) -> bool:
    """Tell whether `exc` means the database is unreachable for now (retry), not a bug."""
    return outage_reason(exc) is not None


class OutageWatch:
    """One process's view of the database: up, or down since when and why.

    `failed(exc, where)` returns True for an outage (logged once, as a warning without a
    traceback, when it starts) and False for anything else, which the caller logs itself.
    `ok()` after any successful use ends an outage, with one line saying how long it lasted.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.down_since: float | None = None
        self.reason = ""
        self.outages = 0  # outages seen since start
        self.recoveries = 0  # outages that ended
        self._back_at: float | None = None  # when the last outage ended
        self._told_back = False

    @property
    def up(self) -> bool:
        """Tell whether the last use of the database worked."""
        return self.down_since is None

    def failed(self, exc: BaseException, where: str) -> bool:
        """Note a failure seen by `where`; True when it is an outage (already logged)."""
        reason = outage_reason(exc)
        if reason is None:
            return False
        now = self._clock()
        if self.down_since is not None:
            log.debug("database still unreachable (%s, %s)", reason, where)
        elif self._back_at is not None and now - self._back_at < FLAPPING:
            # Back only a moment ago (a restarting server takes connections, then ends them):
            # the same outage, already told.
            self.down_since = now
            log.debug("database unreachable again (%s, %s)", reason, where)
        else:
            self.down_since = now
            self.reason = reason
            self.outages += 1
            self._told_back = False
            log.warning(
                "the database is unreachable (%s, seen by %s); retrying until it is back",
                reason,
                where,
            )
        return True

    def ok(self) -> None:
        """Note a successful use: ends an outage, if one was on."""
        if self.down_since is None:
            return
        now = self._clock()
        lasted, self.down_since, self._back_at = now - self.down_since, None, now
        if self._told_back:
            log.debug("database reachable again")
            return
        self._told_back = True
        self.recoveries += 1
        log.warning("the database is reachable again after %.1f s (%s)", lasted, self.reason)


class Backoff:
    """Bounded exponential backoff with jitter: first, 2×first, … up to `cap` seconds."""

    def __init__(self, first: float = 0.5, cap: float = 5.0) -> None:
        self._first = first
        self._cap = cap
        self._tries = 0

    def next(self) -> float:
        """Seconds to wait before the next try (jittered by ±20 % so processes spread out)."""
        base: float = min(self._cap, self._first * 2.0**self._tries)
        self._tries = min(self._tries + 1, 30)
        return base * random.uniform(0.8, 1.2)

    def reset(self) -> None:
        """Start again from `first` (after a success)."""
        self._tries = 0


async def watch_database(engine: AsyncEngine, watch: OutageWatch, every: float = 2.0) -> None:
    """While `watch` says the database is down, knock every `every` seconds; run until cancelled.

    Processes whose loops only touch the database when a reader writes (`newsbot web`) would
    otherwise learn it is back only from the next reader; this says so as soon as it is.
    """
    while True:
        await asyncio.sleep(every)
        if watch.up:
            continue
        try:
            async with asyncio.timeout(every * 2), engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            watch.failed(exc, "the database probe")
        else:
            watch.ok()
