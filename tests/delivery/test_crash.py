"""Kill -9 a real delivery process mid-broadcast, restart it: everyone gets the message once.

Only the messages in flight at the kill (bounded by the send concurrency) may arrive twice.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.telegram_farm import TelegramFarm
from bot.delivery import outbox
from bot.delivery.pacing import effective_rate
from bot.delivery.service import send_concurrency
from storage.audiences import EVERYONE
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from tests.bot.fakeapi import BOT_TOKEN
from tests.dbs import database_url
from tests.delivery.factory import NOW, add_chats

REPO = Path(__file__).resolve().parents[2]
CHATS = 400
RATE = 200


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated database URL a subprocess can open: a SQLite file or a throw-away database."""
    async with database_url(request.param, tmp_path) as url:
        yield url


async def start_worker(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.delivery_worker",
        cwd=REPO,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_sigkill_mid_broadcast_then_restart_delivers_all_with_bounded_duplicates(
    database: str,
) -> None:
    engine = create_engine(database)
    await upgrade(engine)
    async with session_factory(engine).begin() as s:
        await add_chats(s, CHATS, start=10_000)
        b = await outbox.create_broadcast(
            s, 1, NOW, text="<b>Siaran</b> darurat", audience=EVERYONE
        )
        await outbox.start_broadcast(s, b.id)
    await engine.dispose()
    farm = TelegramFarm(latency=0.005)
    api = await farm.start()
    env = os.environ | {
        "DATABASE_URL": database,
        "TELEGRAM_API_URL": api,
        "BOT_TOKEN": BOT_TOKEN,
        "SEND_RATE": str(RATE),
        "PAID_BROADCAST": "true",
        # The killed worker's claims lapse after this; the restarted one then sends them.
        "DELIVERY_LEASE": "10",
        "PTB_TIMEDELTA": "1",
        "LOG_LEVEL": "WARNING",
    }
    try:
        first = await start_worker(env)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while len(farm.received) < CHATS // 3:
            assert first.returncode is None, (await first.communicate())[1].decode()[-2000:]
            assert loop.time() < deadline, "the worker sent nothing"
            await asyncio.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        await first.communicate()
        at_kill = len(farm.received)
        assert at_kill < CHATS, "the broadcast finished before the kill"

        second = await start_worker(env)
        out, err = await asyncio.wait_for(second.communicate(), timeout=120)
        assert second.returncode == 0, err.decode()[-2000:]
    finally:
        await farm.close()

    per_chat = farm.per_chat()
    assert set(per_chat) == set(range(10_000, 10_000 + CHATS))  # nobody lost
    duplicates = sum(n - 1 for n in per_chat.values())
    assert duplicates <= send_concurrency(effective_rate(RATE, paid=True))
    assert all(r.text == "<b>Siaran</b> darurat" for r in farm.received)
