"""Run the delivery service alone until every broadcast is done: `python -m bench.delivery_worker`.

Reads DATABASE_URL, TELEGRAM_API_URL, BOT_TOKEN, SEND_RATE and PAID_BROADCAST like the bot.
The crash test kills it with SIGKILL mid-broadcast and starts it again; the fan-out benchmark
runs it in-process through `deliver_until_done`.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.config import Settings, load_settings
from bot.delivery.pacing import effective_rate
from bot.delivery.service import DeliveryService, build_service, send_concurrency
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Broadcast, Delivery


def make_bot(settings: Settings, token: str) -> Bot:
    """A Bot on TELEGRAM_API_URL with a connection pool as wide as the send concurrency."""
    pool = send_concurrency(effective_rate(settings.send_rate, settings.paid_broadcast)) + 4
    api = settings.telegram_api_url
    return Bot(
        token,
        base_url=f"{api}/bot",
        base_file_url=f"{api}/file/bot",
        request=HTTPXRequest(connection_pool_size=pool),
    )


async def all_done(sessions: async_sessionmaker[AsyncSession]) -> bool:
    """No broadcast running and nothing owed that is due."""
    async with sessions() as s:
        running = await s.scalar(select(func.count()).where(Broadcast.status == "running"))
        owed = await s.scalar(
            select(func.count()).where(Delivery.status.in_(("pending", "sending")))
        )
    return not running and not owed


async def deliver_until_done(
    service: DeliveryService, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Wait until every broadcast finished and nothing is owed."""
    while not await all_done(sessions):
        service.kick()
        await asyncio.sleep(0.2)


async def deliver_everything(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], token: str
) -> dict[str, Any]:
    """Start a Bot and the delivery service, deliver all that is owed, stop; return its counts."""
    bot = make_bot(settings, token)
    await bot.initialize()
    service = build_service(bot, sessions, settings, bot_username=lambda: None)
    await service.start()
    try:
        await deliver_until_done(service, sessions)
    finally:
        await service.stop()
        await bot.shutdown()
    return dict(service.sender.stats)


async def main() -> int:
    """Deliver what the database owes, then print the sender's counts as JSON."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    settings = load_settings()
    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    if not token:
        print("BOT_TOKEN is needed", file=sys.stderr)
        return 2
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        stats = await deliver_everything(settings, session_factory(engine), token)
        print(json.dumps(stats))
    finally:
        await engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
