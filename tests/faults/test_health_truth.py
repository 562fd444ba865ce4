"""/healthz says 503, with the reason, when nobody leads or delivery has stalled; 200 after."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ops.health import OpsServer
from bot.ops.leader import Role, role_is_held
from bot.ops.metrics import Metrics
from storage import send_budget
from storage.db import session_factory
from storage.models import Delivery
from tests.delivery.factory import add_chats
from tests.ops.test_metrics import health


async def owe_one(engine: AsyncEngine, due: datetime) -> None:
    sessions = session_factory(engine)
    async with sessions.begin() as s:
        await add_chats(s, 1, start=500)
        await s.execute(
            insert(Delivery).values(
                chat_pk=1, kind="push", status="pending", not_before=due, created_at=due
            )
        )


async def test_healthz_tells_when_nobody_leads_and_when_delivery_stalls(
    engine: AsyncEngine,
) -> None:
    sessions = session_factory(engine)
    server = OpsServer(
        Metrics(),
        sessions,
        host="127.0.0.1",
        port=0,
        lead_held=partial(role_is_held, engine, "lead"),
    )
    await server.start()
    role_task = None
    try:
        status, body = await health(server.port)
        assert status == 503
        assert body["problems"] == ["no process holds the lead role: nobody sends or schedules"]
        assert (body["lead"], body["delivery"]) == ("none", "ok")

        role = Role(engine, "lead", asyncio.Event().wait)
        role_task = asyncio.create_task(role.run())
        await asyncio.wait_for(role.holding.wait(), timeout=10)
        status, body = await health(server.port)
        assert (status, body["lead"], body["problems"]) == (200, "held", [])

        now = datetime.now(UTC)
        await owe_one(engine, now - timedelta(minutes=2))  # owed two minutes, nothing sent
        status, body = await health(server.port)
        assert status == 503 and body["delivery"] == "stalled"
        [problem] = body["problems"]  # type: ignore[misc]
        assert re.fullmatch(r"messages owed for 12\d s and none sent for over 60 s", problem)

        async with sessions.begin() as s:  # a sender has just had a message accepted
            await send_budget.beat(s, "worker-1", datetime.now(UTC))
        status, body = await health(server.port)
        assert (status, body["delivery"], body["problems"]) == (200, "ok", [])
        assert body["last_sent_age_seconds"] is not None
        assert body["last_sent_age_seconds"] < 5
    finally:
        if role_task is not None:
            role_task.cancel()
            await asyncio.gather(role_task, return_exceptions=True)
        await server.stop()
