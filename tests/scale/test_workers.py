"""Three `newsbot worker` processes on one PostgreSQL database, and one of them killed.

The sources are spread over the workers and none is polled twice; the lead (delivery and
digests) runs in exactly one of them; when it is killed mid-broadcast another takes over,
and every chat gets the message, at most the ones in flight at the kill twice.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.poll_server import FeedFarm
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
FEEDS = 60
CHATS = 1000
RATE = 100
WORKERS = 3
LEAD_TAKEN = "took the lead role"
POLLED = re.compile(r"ingest: (\d+) sources polled")


@dataclass
class Worker:
    """A `newsbot worker` process and what it has said on stderr so far."""

    proc: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    async def read(self) -> None:
        assert self.proc.stderr is not None
        while line := await self.proc.stderr.readline():
            self.lines.append(line.decode(errors="replace"))


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[str]:
    async with database_url("postgresql", tmp_path) as url:
        yield url


async def start_worker(env: dict[str, str]) -> Worker:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "worker",
        cwd=REPO,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    worker = Worker(proc)
    worker.reader = asyncio.create_task(worker.read())
    return worker


async def wait_for(condition: Callable[[], bool], what: str, within: float = 60) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def stop(workers: list[Worker]) -> None:
    for w in workers:
        if w.proc.returncode is None:
            w.proc.send_signal(signal.SIGTERM)
    for w in workers:
        try:
            await asyncio.wait_for(w.proc.wait(), timeout=30)
        except TimeoutError:
            w.proc.kill()
            await w.proc.wait()
        if w.reader is not None:
            await w.reader


async def test_workers_share_sources_and_survive_the_leads_death(
    database: str, tmp_path: Path
) -> None:
    engine = create_engine(database)
    await upgrade(engine)
    async with session_factory(engine).begin() as s:
        await add_chats(s, CHATS, start=10_000)
        b = await outbox.create_broadcast(s, 1, NOW, text="Siaran untuk semua", audience=EVERYONE)
        await outbox.start_broadcast(s, b.id)
    await engine.dispose()

    # Slow feeds (4 at a time per worker): one worker alone would need seconds for them all,
    # so the others, started a moment later, claim their share.
    feeds = FeedFarm(FEEDS, items_per_feed=3, delay=0.3)
    await feeds.start()
    telegram = TelegramFarm(latency=0.005)
    api = await telegram.start()
    sources = tmp_path / "sources.toml"
    sources.write_text(
        "".join(
            f'[[sources]]\nname = "Feed {i}"\nurl = "{feeds.feed_url(i)}"\n\n'
            for i in range(FEEDS)
        ),
        encoding="utf-8",
    )
    env = os.environ | {
        "DATABASE_URL": database,
        "TELEGRAM_API_URL": api,
        "BOT_TOKEN": BOT_TOKEN,
        "SOURCES_FILE": str(sources),
        "FETCH_PAGES": "false",
        "MIN_INTERVAL": "3600",  # one poll per source during the test: a second is a duplicate
        "MAX_INTERVAL": "7200",
        "SEND_RATE": str(RATE),
        "PAID_BROADCAST": "true",
        "PTB_TIMEDELTA": "1",
        "LOG_LEVEL": "INFO",
        "METRICS_PORT": "0",
    }
    workers = [await start_worker(env) for _ in range(WORKERS)]
    try:
        # Every cycle reports what it polled when it ends: wait for those reports (a killed
        # worker could not report its cycle).
        await wait_for(lambda: sum(polled_by(w) for w in workers) >= FEEDS, "every feed polled")
        polled = [polled_by(w) for w in workers]
        await wait_for(lambda: len(telegram.received) >= CHATS // 3, "a third of the broadcast")
        leads = [w for w in workers if w.said(LEAD_TAKEN)]
        assert len(leads) == 1, [w.lines for w in workers]
        lead = leads[0]
        lead.proc.send_signal(signal.SIGKILL)
        await lead.proc.wait()
        at_kill = len(telegram.received)
        assert at_kill < CHATS, "the broadcast ended before the kill"

        others = [w for w in workers if w is not lead]
        await wait_for(lambda: any(w.said(LEAD_TAKEN) for w in others), "a new lead", within=30)
        await wait_for(lambda: set(telegram.per_chat()) >= chat_ids(), "every chat reached")
        await asyncio.sleep(1)  # anything still to come would be a duplicate: let it arrive
        assert all(w.proc.returncode is None for w in others)
    finally:
        await stop(workers)
        await telegram.close()
        await feeds.stop()

    assert sorted(feeds.stats.per_feed) == list(range(FEEDS))
    assert max(feeds.stats.per_feed.values()) == 1, feeds.stats.per_feed  # none polled twice
    assert sum(polled) == FEEDS and sum(n > 0 for n in polled) >= 2, polled  # shared
    assert sum(w.said(LEAD_TAKEN) for w in workers) == 2  # the first lead, then its successor
    per_chat = telegram.per_chat()
    assert set(per_chat) == chat_ids()  # nobody lost
    duplicates = sum(n - 1 for n in per_chat.values())
    assert duplicates <= send_concurrency(effective_rate(RATE, paid=True))


def polled_by(worker: Worker) -> int:
    """How many sources this worker's cycles polled, from its log."""
    found = (POLLED.search(line) for line in worker.lines)
    return sum(int(m.group(1)) for m in found if m)


def chat_ids() -> set[int]:
    return set(range(10_000, 10_000 + CHATS))
