"""Engine and session factory: SQLite (WAL) by default, PostgreSQL through asyncpg."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def is_sqlite(url: str) -> bool:
    """Tell whether a database URL points at SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


# Seconds to open a PostgreSQL connection: a server that does not answer in this time is down.
CONNECT_TIMEOUT = 5.0
# Default seconds one statement may take before the client gives up on it: a network partition
# leaves a query waiting for ever otherwise (no reset ever arrives). Bulk work stays far below.
STATEMENT_TIMEOUT = 60.0


def create_engine(
    url: str, *, echo: bool = False, statement_timeout: float = STATEMENT_TIMEOUT
) -> AsyncEngine:
    """Open an engine, with SQLite tuned for one writer and many readers.

    PostgreSQL connections are checked before use (`pool_pre_ping`), so the first query after
    the server came back does not fail on a connection the outage killed.
    """
    if is_sqlite(url):
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        connect_args={"timeout": CONNECT_TIMEOUT, "command_timeout": statement_timeout},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run while ingest writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Make sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


class DatabaseUnavailable(Exception):
    """The database cannot be opened; the message says why, without the password."""


def shown_url(url: str) -> str:
    """The database URL with its password hidden, safe to print."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL may hold anything; show nothing of it
        return "<the configured DATABASE_URL>"


def check_sqlite_file(url: str) -> None:
    """Open a SQLite URL's file once, synchronously; raise DatabaseUnavailable if it cannot be.

    Why up front: when aiosqlite's first connect fails it leaves a worker thread behind that
    prints a traceback once the event loop has closed, which a clean CLI error must not show.
    """
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).expanduser().resolve().parent
    if not folder.is_dir():
        raise DatabaseUnavailable(
            f"cannot open the database {shown_url(url)}: the folder {folder} does not exist"
        )
    try:
        sqlite3.connect(database, timeout=30).close()
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(f"cannot open the database {shown_url(url)}: {exc}") from exc


def unavailable(exc: BaseException, url: str) -> DatabaseUnavailable:
    """Word a failure to connect or migrate for the operator: what, where, why."""
    if isinstance(exc, ConnectionRefusedError):
        reason = "connection refused (is the database server running?)"
    elif isinstance(exc, socket.gaierror):
        reason = "the host name was not found"
    elif isinstance(exc, TimeoutError):
        reason = "no answer from the database server"
    elif isinstance(exc, DBAPIError) and exc.orig is not None:
        reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else "failed"
    elif isinstance(exc, OSError):
        reason = (exc.strerror or type(exc).__name__).lower()
    else:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    try:
        password = make_url(url).password
    except Exception:  # the URL itself is what failed to parse
        password = None
    if password:
        reason = reason.replace(str(password), "***")
    return DatabaseUnavailable(f"cannot open the database {shown_url(url)}: {reason}")
