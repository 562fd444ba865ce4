"""Readers during a database outage: a short "busy, try again", once; served again after."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bench.tcp_proxy import TcpProxy
from tests.bot.harness import make_settings, running_bot
from tests.faults.conftest import through

BUSY = "Maaf, layanan sedang sibuk"


async def test_readers_hear_busy_while_postgresql_is_away_and_are_served_after(
    tmp_path: Path, pg_database: str, pg_proxy: TcpProxy, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, database_url=through(pg_database, pg_proxy))
    async with running_bot(settings) as bot:
        assert "Berita" in (await bot.say("/start")).text
        pg_proxy.cut()
        with caplog.at_level(logging.WARNING):
            answers = [
                await bot.answers_to(bot.updates.private(t)) for t in ("/latest", "/pilihan")
            ]
        pg_proxy.restore()
        latest = await bot.say("/latest")
    for calls in answers:
        sent = [c for c in calls if c.method == "sendMessage"]
        assert len(sent) == 1 and BUSY in sent[0].text  # one answer per update, not two
    assert BUSY not in latest.text
    unreachable = [r for r in caplog.records if "database is unreachable" in r.getMessage()]
    assert len(unreachable) == 1
    assert not [r for r in caplog.records if r.exc_info is not None]


async def test_readers_hear_busy_while_sqlite_is_locked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path)
    async with running_bot(settings) as bot:
        await bot.say("/start")
        path = tmp_path / "bot.db"
        engine = bot.resources.engine

        @event.listens_for(engine.sync_engine, "connect")
        def impatient(dbapi_connection: Any, _record: Any) -> None:
            # The bot waits 30 s for SQLite's lock; the test does not wait that long.
            dbapi_connection.execute("PRAGMA busy_timeout = 200")

        await engine.dispose()  # new connections, with the short wait
        holder = sqlite3.connect(path, timeout=30)
        holder.execute("BEGIN EXCLUSIVE")  # another process writes, for longer than that
        try:
            with caplog.at_level(logging.WARNING):
                answer = await bot.say("/subscribe olahraga")
        finally:
            holder.rollback()
            holder.close()
        again = await bot.say("/subscribe olahraga")
    assert BUSY in answer.text
    assert BUSY not in again.text
    assert any("locked by another process" in r.getMessage() for r in caplog.records)
