"""A running bot per test: the real Application on a SQLite file behind the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.fakeapi import FakeBotAPI
from tests.bot.harness import BotHarness, make_settings, running_bot


@pytest.fixture
def api() -> FakeBotAPI:
    """The fake Bot API the bot talks to."""
    return FakeBotAPI()


@pytest.fixture
async def bot(tmp_path: Path, api: FakeBotAPI) -> AsyncIterator[BotHarness]:
    """The bot, initialised, ready for updates."""
    async with running_bot(make_settings(tmp_path), api) as harness:
        yield harness
