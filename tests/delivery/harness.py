"""A delivery service on the fake Bot API, with a clock tests can move forward."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from aiohttp import web
from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.config import Settings
from bot.delivery.budget import SendBudget
from bot.delivery.compose import Composer
from bot.delivery.service import DeliveryService, build_service
from bot.delivery.transport import LeanTransport
from bot.telegram.lean import LeanBotApi
from storage.models import Broadcast, Chat, Delivery, Story
from tests.bot.fakeapi import BOT_TOKEN, BOT_USERNAME, FakeBotAPI
from tests.bot.fakeapi_http import bot_api_app


@dataclass
class MovableClock:
    """Wall-clock time plus an offset tests can add to (to make deferred rows due)."""

    offset: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class Rig:
    """What a delivery test drives."""

    api: FakeBotAPI
    service: DeliveryService
    clock: MovableClock
    sessions: async_sessionmaker[AsyncSession]

    async def open_rows(self) -> int:
        async with self.sessions() as s:
            query = select(func.count()).where(Delivery.status.in_(("pending", "sending")))
            return int((await s.execute(query)).scalar_one())

    async def settle(self, *, until_open: int = 0, within: float = 20.0) -> None:
        """Wait until at most `until_open` rows are owed (due or not)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        # Fed first: rows appear in the same commit that moves the broadcast's cursor.
        while await self._unfed() or await self.open_rows() > until_open or self._busy():
            if loop.time() > deadline:
                raise AssertionError(f"{await self.open_rows()} rows still open")
            await asyncio.sleep(0.05)

    async def until_none_sending(self, *, within: float = 20.0) -> None:
        """Wait until no row is claimed (every queued row was sent or handed back)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            async with self.sessions() as s:
                query = select(func.count()).where(Delivery.status == "sending")
                if not (await s.execute(query)).scalar_one() and not self._busy():
                    return
            if loop.time() > deadline:
                raise AssertionError("rows are still being sent")
            await asyncio.sleep(0.05)

    async def settle_pushes(self, *, within: float = 20.0) -> None:
        """Wait until no story is left with its pushes owed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            async with self.sessions() as s:
                owed = await s.scalar(select(func.count()).where(Story.pushes_owed.is_(True)))
            if not owed:
                return
            if loop.time() > deadline:
                raise AssertionError(f"{owed} stories still owe pushes")
            self.service.kick()
            await asyncio.sleep(0.05)

    async def broadcast_status(self, wanted: str, *, within: float = 10.0) -> str:
        """Wait until the (only) broadcast reaches `wanted`; return its last status."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            async with self.sessions() as s:
                status = (await s.scalars(select(Broadcast.status))).one()
            if status == wanted or loop.time() > deadline:
                return status
            self.service.kick()
            await asyncio.sleep(0.05)

    async def _unfed(self) -> bool:
        async with self.sessions() as s:
            query = select(func.count()).where(
                Broadcast.status == "running",
                exists().where(Chat.id > Broadcast.cursor, Chat.active.is_(True)),
            )
            return bool((await s.execute(query)).scalar_one())

    def _busy(self) -> bool:
        return any(not t.done() for t in self.service.sender._tasks)

    def alive(self) -> bool:
        """The sender and upkeep tasks are still running (none died of an exception)."""
        return all(not t.done() for t in self.service._tasks)


# Which path the sender's messages take in `delivery_rig`: "ptb" (PTB's Bot on the in-process
# fake) or "lean" (bot.telegram.lean over HTTP to the same fake served on loopback). The
# `send_path` fixture runs a test once on each.
SEND_PATH = "ptb"


@asynccontextmanager
async def delivery_rig(
    sessions: async_sessionmaker[AsyncSession],
    *,
    paid: bool = True,
    composer: Composer | None = None,
    api: FakeBotAPI | None = None,
    lean: bool | None = None,
    budget: SendBudget | None = None,
) -> AsyncIterator[Rig]:
    """A started service (fast pacing when `paid`) on a fresh fake Bot API; stopped after.

    `lean` (default: SEND_PATH): the sender posts over HTTP through the lean path; replies and
    progress edits still go through PTB, to the same fake.
    """
    api = api or FakeBotAPI()
    bot = Bot(BOT_TOKEN, request=api, get_updates_request=api)
    await bot.initialize()
    clock = MovableClock()
    settings = Settings(send_rate=1000 if paid else 30, paid_broadcast=paid, bot_token=None)
    async with AsyncExitStack() as stack:
        transport = None
        if SEND_PATH == "lean" if lean is None else lean:
            runner = web.AppRunner(bot_api_app(api), access_log=None)
            await runner.setup()
            stack.push_async_callback(runner.cleanup)
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            url = f"http://127.0.0.1:{runner.addresses[0][1]}/bot{BOT_TOKEN}"
            transport = LeanTransport(LeanBotApi(url, connections=8))
        service = build_service(
            bot,
            sessions,
            settings,
            bot_username=lambda: BOT_USERNAME,
            clock=clock,
            composer=composer,
            transport=transport,
            budget=budget,
        )
        await service.start()
        try:
            yield Rig(api, service, clock, sessions)
        finally:
            await service.stop()
            await bot.shutdown()
