"""The sender against a Bot API that enforces Telegram's limits: no 429, everyone once.

The loopback farm (bench.telegram_farm, in a process of its own) answers 429 past 30 messages
in any second, one a second per private chat or 20 a minute per group, as Telegram does.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.delivery_worker import deliver_everything
from bench.fanout import farm_call, farm_process
from bot.config import Settings
from bot.delivery import outbox
from bot.delivery.service import utcnow
from storage.audiences import EVERYONE
from storage.models import Broadcast
from tests.bot.fakeapi import BOT_TOKEN
from tests.delivery.factory import NOW, add_chats, add_story, subscribe

PRIVATE, GROUPS = 230, 6


async def test_a_broadcast_and_pushes_at_the_free_rate_get_no_429_and_reach_everyone_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    async with sessions.begin() as s:
        await add_chats(s, PRIVATE, start=1)
        await add_chats(s, GROUPS, start=-1006, type="supergroup")  # -1006 … -1001
        followers = [1, 2, 3, 4, 5, PRIVATE + 1, PRIVATE + 2, PRIVATE + 3]  # three groups
        for pk in followers:
            await subscribe(s, pk, "topic", "nasional")
        for n in range(3):
            await add_story(s, f"Berita {n}", ["nasional"], published_at=now)
        b = await outbox.create_broadcast(s, 1, NOW, text="Siaran untuk semua", audience=EVERYONE)
        await outbox.start_broadcast(s, b.id)
        # The admin's progress message lives in chat 1: its edits are paced too.
        await s.execute(
            update(Broadcast)
            .where(Broadcast.id == b.id)
            .values(progress_chat_id=1, progress_message_id=99)
        )
    # The farm runs in a process of its own: it sees each message when Telegram would.
    with farm_process(paid_rate=0) as url:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token=BOT_TOKEN,
            telegram_api_url=url,
            send_rate=30,
            paid_broadcast=False,
        )
        stats = await deliver_everything(settings, sessions, BOT_TOKEN)
        farm = farm_call(url, "/_stats?texts=1")
    assert farm["too_many"] == 0, farm["refused"]
    got = Counter((chat, text) for chat, text in farm["messages"])
    everyone = [*range(1, PRIVATE + 1), *range(-1006, -1000)]
    expected = Counter({(chat, "Siaran untuk semua"): 1 for chat in everyone})
    follower_ids = [1, 2, 3, 4, 5, -1006, -1005, -1004]
    for chat in follower_ids:
        for n in range(3):
            key = next(t for c, t in got if c == chat and f"Berita {n}" in t)
            expected[(chat, key)] = 1
    assert got == expected
    assert stats.get("deferred", 0) == 0
