"""Send outcomes are counted per day in the database (restarts lose nothing); /stats shows them."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import outbox
from bot.delivery.pilihan import local_day
from bot.delivery.service import utcnow
from storage import ledger
from storage.audiences import EVERYONE
from storage.models import EventLog
from tests.bot import fakeapi
from tests.bot.harness import make_settings, running_bot
from tests.bot.updates import ADMIN_ID
from tests.delivery.factory import NOW, add_chats
from tests.delivery.harness import delivery_rig
from tests.delivery.test_sender import start_broadcast

WIB = outbox.DEFAULT_TZ


async def test_outcomes_are_counted_per_day_in_the_ledger(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 7, start=1)
    api = fakeapi.FakeBotAPI()
    api.fail(fakeapi.blocked(), chat_id=2)
    api.fail(fakeapi.chat_not_found(), chat_id=3)
    api.fail(fakeapi.migrated(-1009), chat_id=4)
    api.fail(fakeapi.server_error(), chat_id=5)
    api.fail(fakeapi.retry_after(1), chat_id=6)
    api.fail(fakeapi.Failure(400, "Bad Request: can't parse entities: x"), chat_id=7)
    async with delivery_rig(sessions, api=api) as rig:
        await start_broadcast(rig, text="Halo")
        await rig.settle(until_open=1)  # the 5xx retry waits for its backoff
        rig.clock.offset += timedelta(seconds=10)
        rig.service.kick()
        await rig.settle()
        in_memory = dict(rig.service.sender.stats)
    async with sessions() as s:
        # Counted on the service's clock (moved 10 s): sum both days should midnight fall between.
        days = {local_day(utcnow(), WIB), local_day(rig.clock(), WIB)}
        counted: Counter[str] = Counter()
        for day in days:
            counted.update(await ledger.outcomes(s, day))
    expected = {
        "sent": 5,  # 1, 4 (after moving), 5 (after the retry), 6 (after waiting), 7 (plain)
        "blocked": 1,
        "chat_not_found": 1,
        "migrated": 1,
        "retried": 1,
        "deferred": 1,
        "plain_text": 1,
    }
    assert dict(counted) == expected
    assert {k: in_memory.get(k) for k in expected} == expected


async def test_cancelled_rows_are_counted(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 5)
        b = await outbox.create_broadcast(s, 1, NOW, text="x", audience=EVERYONE)
        await outbox.start_broadcast(s, b.id)
        await outbox.enqueue_broadcast_page(s, b.id, NOW)
        assert await outbox.cancel_broadcast(s, b.id, NOW, tz=WIB) == 5
    async with sessions() as s:
        assert await ledger.outcomes(s, "2026-11-25") == {"cancelled": 5}


async def test_stats_shows_the_days_outcomes_and_the_last_delivery_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, admin_ids=str(ADMIN_ID))
    async with running_bot(settings) as bot:
        now = utcnow()
        async with bot.resources.sessions.begin() as s:
            counts = {
                **{"sent": 120, "blocked": 3, "chat_not_found": 2, "migrated": 1},
                **{"deferred": 4, "retried": 5, "failed": 6, "plain_text": 7, "cancelled": 8},
            }
            await ledger.add_outcomes(s, local_day(now, settings.tz), counts)
            await ledger.add_outcomes(s, local_day(now, settings.tz), {"sent": 1})
            await ledger.add_outcomes(s, "2020-01-01", {"sent": 999})
            message = "cannot compose push of story 9: ValueError('x')"
            s.add(EventLog(kind="delivery", message=message, created_at=now))
        text = (await bot.say("/stats", user_id=ADMIN_ID)).text
    assert "121 terkirim, 3 diblokir, 2 obrolan tidak ada, 1 pindah" in text
    assert "4 ditunda (429), 5 diulang, 6 gagal, 7 teks biasa, 8 dibatalkan" in text
    assert "cannot compose push of story 9" in text and "999" not in text
