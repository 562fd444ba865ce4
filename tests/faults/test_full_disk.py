"""A full disk under SQLite mid-broadcast: reported once, retried, nothing sent twice.

The database lives on a small tmpfs of its own; mid-broadcast a filler file takes every byte
left, so SQLite's writes fail as on a real full disk ("database or disk is full"). Messages
Telegram already accepted stay recorded as sent once there is room again: none is owed twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.delivery import outbox
from bot.delivery.service import utcnow
from storage.audiences import EVERYONE
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Delivery
from tests.delivery.factory import add_chats
from tests.delivery.harness import delivery_rig

CHATS = 120


@contextlib.contextmanager
def small_disk(path: Path, size: str = "8m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `path` (skips where mounting is not allowed)."""
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(disk: Path) -> Path:
    """Take every byte left on the disk; return the filler to delete later."""
    filler = disk / "filler"
    with filler.open("wb") as out, contextlib.suppress(OSError):  # ENOSPC: the disk is full
        while True:
            out.write(b"\0" * 65536)
            out.flush()
            os.fsync(out.fileno())
    return filler


async def test_a_full_disk_mid_broadcast_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with small_disk(tmp_path / "disk") as disk:
        engine = create_engine(f"sqlite+aiosqlite:///{disk / 'bot.db'}")
        await upgrade(engine)
        sessions = session_factory(engine)
        async with sessions.begin() as s:
            await add_chats(s, CHATS, start=1000)
            b = await outbox.create_broadcast(
                s, 1, utcnow(), text="Siaran penting", audience=EVERYONE
            )
            await outbox.start_broadcast(s, b.id)
        try:
            with caplog.at_level(logging.WARNING):
                async with delivery_rig(sessions, paid=False) as rig:
                    await rig.api.wait_until(lambda: len(rig.api.sent()) >= 20, "some sent")
                    filler = fill(disk)
                    await asyncio.sleep(3)  # writes fail meanwhile; sends stall
                    during = len(rig.api.sent())
                    filler.unlink()
                    await rig.settle(within=60)
                    assert rig.alive()
            async with sessions() as s:
                statuses = Counter((await s.scalars(select(Delivery.status))).all())
        finally:
            await engine.dispose()
    per_chat = Counter(c.chat_id for c in rig.api.sent())
    assert set(per_chat) == set(range(1000, 1000 + CHATS))  # nobody lost
    assert max(per_chat.values()) == 1  # nobody got it twice
    assert statuses == {"sent": CHATS}
    assert during < CHATS  # the full disk did stall sending
    full = [r for r in caplog.records if "disk full" in r.getMessage()]
    assert full and all(r.exc_info is None for r in full)
