"""Replies under flood control: one budget with the sender, 429s waited out or dropped cleanly.

The real Application with the budget's rate limiter (as `newsbot run` builds it): readers who
write while a 30 msg/s broadcast runs get every answer without one 429 from the limit-enforcing
farm; a 429 on an admin's preview is waited out and the Confirm button arrives; a 429 longer
than a reply may wait is one log line, no apology, no traceback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bench.fanout import TOKEN, farm_call, farm_process, seed
from bot.cli.processes import build_budget
from bot.config import Settings
from bot.delivery.budget import SendBudget
from bot.delivery.service import start_delivery
from bot.runtime import open_resources
from bot.telegram.app import build_application
from bot.telegram.typed_context import BotApp
from tests.bot.fakeapi import FakeBotAPI, retry_after
from tests.bot.harness import make_settings
from tests.bot.updates import ADMIN_ID, Updates
from tests.dbs import database_url

CHATS = 200
READERS = range(5001, 5021)


@asynccontextmanager
async def app_with_budget(
    settings: Settings, request: FakeBotAPI | None = None
) -> AsyncIterator[tuple[BotApp, SendBudget]]:
    """The Application as `newsbot run` builds it: replies draw on the process's budget."""
    async with open_resources(settings, sync_sources=False) as resources:
        budget = build_budget(settings, resources)
        app = build_application(settings, resources, request=request, budget=budget)
        await app.initialize()
        try:
            yield app, budget
        finally:
            await app.shutdown()


async def until(check: Callable[[], bool], what: str, within: float = 120) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not check():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def feed(app: BotApp, update: dict[str, Any]) -> None:
    await app.process_update(Update.de_json(update, app.bot))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_readers_get_every_answer_during_a_broadcast_without_a_429(
    tmp_path: Path, backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    # The limit-enforcing farm runs in a process of its own, so the moment it sees each
    # message is Telegram's view, not this busy event loop's.
    with farm_process(paid_rate=0) as api:
        async with database_url(backend, tmp_path) as url:
            await seed(url, CHATS)
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                bot_token=TOKEN,
                telegram_api_url=api,
                database_url=url,
                send_rate=30,
            )
            async with app_with_budget(settings) as (app, budget):
                resources = app.bot_data.resources
                assert resources is not None
                service = await start_delivery(app, resources, settings, sole=True, budget=budget)
                try:
                    await until(lambda: received(api) >= 30, "the broadcast's start")
                    updates = Updates()
                    # Each reader asks twice in a row, all at once, mid-broadcast.
                    with caplog.at_level(logging.WARNING):
                        await asyncio.gather(
                            *(
                                feed(app, updates.private(text, user_id=reader))
                                for reader in READERS
                                for text in ("/help", "/help")
                            )
                        )
                    # Readers are chats too: the running broadcast reaches them as well.
                    everyone = CHATS + 3 * len(READERS)
                    await until(lambda: received(api) >= everyone, "every message")
                    await asyncio.sleep(1.0)  # anything more would be one too many
                finally:
                    await service.stop()
        stats = farm_call(api, "/_stats")
    per_chat = {int(k): v for k, v in stats["per_chat"].items()}
    assert {per_chat.get(r) for r in READERS} == {3}  # two answers and the broadcast
    assert len(per_chat) == CHATS + len(READERS)
    assert sum(per_chat.values()) == CHATS + 3 * len(READERS)
    assert stats["too_many"] == 0, (stats["worst_second"], stats.get("refused"))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def received(api: str) -> int:
    return int(farm_call(api, "/_stats")["received"])


async def test_a_429_on_the_preview_is_waited_out_and_the_buttons_arrive(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    api = FakeBotAPI()
    settings = make_settings(tmp_path, admin_ids=str(ADMIN_ID))
    async with app_with_budget(settings, request=api) as (app, _):
        # Telegram refuses the second message to the admin's chat once: "retry after 2".
        api.fail(retry_after(2), method="sendMessage", chat_id=ADMIN_ID)
        with caplog.at_level(logging.INFO):
            await feed(app, Updates().private("/broadcast Halo pembaca", user_id=ADMIN_ID))
    messages = api.sent(ADMIN_ID)
    assert [c.text for c in messages][0] == "Halo pembaca"  # the preview, sent again
    assert any(b.get("callback_data", "").startswith("bc:go:") for b in messages[-1].buttons())
    refused = [c for c in api.calls if c.method == "sendMessage" and c.chat_id == ADMIN_ID]
    assert len(refused) == 3  # the refused preview, the preview again, then the buttons
    assert "flood control for 2 s, waiting" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_429_too_long_to_wait_for_drops_the_reply_with_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    api = FakeBotAPI()
    settings = make_settings(tmp_path, reply_max_wait=2)
    async with app_with_budget(settings, request=api) as (app, _):
        api.fail(retry_after(60), method="sendMessage", chat_id=4242)
        with caplog.at_level(logging.WARNING):
            await feed(app, Updates().private("/help", user_id=4242))
            # The chat is held for 60 s now: the next reply is dropped without asking.
            await feed(app, Updates().private("/help", user_id=4242))
    assert len(api.of("sendMessage", 4242)) == 1  # only the refused one: no apology tried
    dropped = [r for r in caplog.records if "was dropped: flood control" in r.getMessage()]
    assert len(dropped) == 2
    assert all(r.exc_info is None for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
