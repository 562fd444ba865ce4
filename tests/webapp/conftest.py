"""A running bot and the Mini App on the same store, per test; one Chromium per module."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bot.fakeapi import FakeBotAPI
from tests.bot.harness import BotHarness, make_settings, running_bot
from tests.bot.updates import ADMIN_ID
from tests.dbs import database_url
from tests.webapp.browser import Browser, missing
from tests.webapp.harness import WebApp, serving


@dataclass(slots=True)
class Site:
    """The bot (real Application, fake Bot API) and the Mini App, sharing one database."""

    bot: BotHarness
    app: WebApp


@pytest.fixture(params=["sqlite", "postgresql"])
async def site(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Site]:
    """The bot and the app on each store."""
    async with database_url(request.param, tmp_path) as url:
        settings = make_settings(
            tmp_path,
            database_url=url,
            admin_ids=str(ADMIN_ID),
            public_url="https://berita.example",
        )
        async with (
            running_bot(settings, FakeBotAPI()) as bot,
            serving(settings, bot.resources) as app,
        ):
            yield Site(bot, app)


@pytest.fixture
async def sqlite_site(tmp_path: Path) -> AsyncIterator[Site]:
    """The bot and the app on SQLite (the browser tests: what they add is the page)."""
    settings = make_settings(
        tmp_path, admin_ids=str(ADMIN_ID), public_url="https://berita.example"
    )
    async with running_bot(settings, FakeBotAPI()) as bot, serving(settings, bot.resources) as app:
        yield Site(bot, app)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module's tests (skipped, with the reason, without it)."""
    reason = missing()
    if reason is not None:
        pytest.skip(reason)
    chromium = Browser()
    try:
        yield chromium
    finally:
        chromium.close()
