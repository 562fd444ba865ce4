"""A broadcast through a database outage, with the bot's real processes: nothing lost.

`newsbot run` on PostgreSQL and on SQLite, and two `newsbot worker`s on PostgreSQL, send a
broadcast to the limit-enforcing Bot API farm; mid-broadcast the database goes away (the
connections cut, or black-holed as in a partition, or SQLite locked by another process past the
busy timeout) and comes back. Every chat gets the message, at most the messages in flight at
the outage twice; sending resumes within 10 s of the return; each process says once that the
database is unreachable and once that it is back, without a traceback; no 429.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bench.outage_run import (
    OutageRun,
    broadcast_through_outage,
    proxy_outage,
    restart_outage,
    sqlite_lock_outage,
)
from bench.tcp_proxy import TcpProxy
from bot.delivery.service import send_concurrency
from tests.faults.conftest import through

CHATS = 150
IN_FLIGHT = send_concurrency(30)
RESUME_WITHIN = 10.0


def check(run: OutageRun) -> None:
    stderr = run.stderr
    assert run.lost == 0, f"{run.lost} chats never got the broadcast\n{stderr[-3000:]}"
    assert run.duplicates <= IN_FLIGHT, run.duplicates
    assert run.first_after is not None and run.first_after <= RESUME_WITHIN, run.first_after
    assert run.too_many == 0
    assert "Traceback" not in stderr, stderr[-5000:]
    for process in run.processes:
        assert process.count("the database is unreachable") <= 1, process.lines
    assert sum(p.count("the database is unreachable") for p in run.processes) >= 1
    assert sum(p.count("the database is reachable again") for p in run.processes) >= 1
    assert run.exit_codes == [0] * len(run.processes)


@pytest.mark.parametrize("kind", ["cut", "blackhole"])
async def test_newsbot_run_on_postgresql_finishes_a_broadcast_through_an_outage(
    pg_database: str, pg_proxy: TcpProxy, kind: str
) -> None:
    run = await broadcast_through_outage(
        pg_database,
        through(pg_database, pg_proxy),
        chats=CHATS,
        outage=proxy_outage(pg_proxy, 5.0, kind),  # type: ignore[arg-type]
    )
    check(run)


async def test_newsbot_run_finishes_a_broadcast_through_a_postgresql_restart(
    pg_database: str,
) -> None:
    # The server ends every connection of the bot's database for 4 s, as a restart does.
    admin = make_url(pg_database).set(database="postgres").render_as_string(False)
    name = make_url(pg_database).database or ""
    run = await broadcast_through_outage(
        pg_database, pg_database, chats=CHATS, outage=restart_outage(admin, name, 4.0)
    )
    check(run)


async def test_two_workers_finish_a_broadcast_through_an_outage(
    pg_database: str, pg_proxy: TcpProxy
) -> None:
    run = await broadcast_through_outage(
        pg_database,
        through(pg_database, pg_proxy),
        chats=CHATS,
        outage=proxy_outage(pg_proxy, 5.0, "cut"),
        mode="worker",
        processes=2,
    )
    check(run)
    leads = [p.count("took the lead role") for p in run.processes]
    assert sum(leads) == 2, leads  # the first lead, then one holder again after the outage


async def test_newsbot_run_on_sqlite_finishes_a_broadcast_through_a_locked_database(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'locked.db'}"
    path = Path(make_url(url).database or "")
    # Held past SQLite's 30-s busy timeout: the bot's writes fail with "database is locked".
    run = await broadcast_through_outage(
        url, url, chats=CHATS, outage=sqlite_lock_outage(path, 33.0), within=180
    )
    check(run)
