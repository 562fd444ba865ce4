"""Real database failures are told from bugs: refused, cut, terminated, silent, locked, full."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.tcp_proxy import TcpProxy
from storage.db import create_engine
from storage.outage import Backoff, OutageWatch, is_outage, outage_reason
from tests.faults.conftest import through


async def failure_of(engine_url: str, sql: str = "SELECT 1", **engine_args: Any) -> Exception:
    engine = create_engine(engine_url, **engine_args)
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    except Exception as exc:
        return exc
    finally:
        await engine.dispose()
    raise AssertionError("the statement worked")


async def test_a_refused_connection_is_an_outage(pg_database: str, pg_proxy: TcpProxy) -> None:
    pg_proxy.cut()
    exc = await failure_of(through(pg_database, pg_proxy))
    assert is_outage(exc), repr(exc)


async def test_a_connection_cut_mid_session_is_an_outage(
    pg_database: str, pg_proxy: TcpProxy
) -> None:
    engine = create_engine(through(pg_database, pg_proxy))
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            pg_proxy.reset()
            with pytest.raises(Exception) as caught:
                await conn.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    assert outage_reason(caught.value) == "connection lost", repr(caught.value)


async def test_a_terminated_backend_is_an_outage(pg_database: str) -> None:
    engine = create_engine(pg_database)
    try:
        async with engine.connect() as victim, engine.connect() as admin:
            pid = await victim.scalar(text("SELECT pg_backend_pid()"))
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            await admin.commit()
            with pytest.raises(Exception) as caught:
                await victim.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    assert is_outage(caught.value), repr(caught.value)


async def test_a_silent_server_is_an_outage_after_the_statement_timeout(
    pg_database: str, pg_proxy: TcpProxy
) -> None:
    engine = create_engine(through(pg_database, pg_proxy), statement_timeout=0.5)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            pg_proxy.blackhole()
            with pytest.raises(Exception) as caught:
                await asyncio.wait_for(conn.execute(text("SELECT 1")), timeout=10)
    finally:
        pg_proxy.restore()
        await engine.dispose()
    assert outage_reason(caught.value) == "no answer in time", repr(caught.value)


async def test_sqlite_locked_by_another_process_is_an_outage(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path)
    holder.execute("CREATE TABLE t (x)")
    holder.commit()
    holder.execute("BEGIN EXCLUSIVE")
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}", connect_args={"timeout": 0.1})
    try:
        async with engine.begin() as conn:
            with pytest.raises(Exception) as caught:
                await conn.execute(text("INSERT INTO t VALUES (1)"))
    finally:
        await engine.dispose()
        holder.rollback()
        holder.close()
    assert outage_reason(caught.value) == "database is locked by another process"


async def test_a_full_sqlite_disk_is_an_outage(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'full.db'}")

    @event.listens_for(engine.sync_engine, "connect")
    def small_disk(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA max_page_count = 8")  # a disk of 8 pages

    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (x TEXT)"))
        with pytest.raises(Exception) as caught:
            async with engine.begin() as conn:
                for _ in range(100):
                    await conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": "x" * 4000})
    finally:
        await engine.dispose()
    assert outage_reason(caught.value) == "disk full"


async def test_bugs_are_not_outages(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bugs.db'}"
    assert not is_outage(await failure_of(url, "SELECT * FROM no_such_table"))
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE u (x INTEGER UNIQUE)"))
            await conn.execute(text("INSERT INTO u VALUES (1)"))
        with pytest.raises(Exception) as caught:
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO u VALUES (1)"))
    finally:
        await engine.dispose()
    assert not is_outage(caught.value)
    assert not is_outage(ValueError("a bug"))
    # A bug raised while an outage was being handled is still a bug.
    try:
        try:
            raise ConnectionRefusedError
        except ConnectionRefusedError:
            raise KeyError("bug") from None
    except KeyError as bug:
        assert not is_outage(bug)


def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [100.0]
    watch = OutageWatch(clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="storage.outage"):
        for where in ("the sender", "the recorder", "the sender"):
            assert watch.failed(ConnectionRefusedError(), where)
        assert not watch.failed(ValueError("a bug"), "the sender")
        now[0] = 115.5
        watch.ok()
        watch.ok()
        # A server that is restarting takes connections and ends them: the same outage.
        now[0] = 118.0
        assert watch.failed(ConnectionResetError(), "the sender")
        now[0] = 119.0
        watch.ok()
        # Well after it was back: a new outage, told again.
        now[0] = 200.0
        assert watch.failed(TimeoutError(), "the health check")
        now[0] = 203.0
        watch.ok()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 4, lines
    assert "unreachable (connection refused, seen by the sender)" in lines[0]
    assert "reachable again after 15.5 s" in lines[1]
    assert "unreachable (no answer in time, seen by the health check)" in lines[2]
    assert "reachable again after 3.0 s" in lines[3]
    assert (watch.outages, watch.recoveries, watch.up) == (2, 2, True)
    assert all(r.exc_info is None for r in caplog.records)  # no tracebacks


def test_backoff_grows_to_its_cap_and_starts_over() -> None:
    backoff = Backoff(first=0.5, cap=4.0)
    waits = [backoff.next() for _ in range(8)]
    assert 0.4 <= waits[0] <= 0.6
    assert all(w <= 4.0 * 1.2 for w in waits)
    assert waits[-1] >= 4.0 * 0.8
    backoff.reset()
    assert backoff.next() <= 0.6
