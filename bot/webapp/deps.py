"""What every Mini App route needs, handed over once by the composition root."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.i18n import Catalogue


@dataclass(frozen=True, slots=True)
class AppDeps:
    """The database, settings, strings and clock of the process serving the app."""

    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    catalogue: Catalogue
    clock: Callable[[], datetime]
    bot_username: Callable[[], str | None]

    @property
    def token(self) -> str:
        """The bot token initData is signed with."""
        if self.settings.bot_token is None:
            raise RuntimeError("the Mini App needs BOT_TOKEN to check initData")
        return self.settings.bot_token.get_secret_value().strip()

    @property
    def max_age(self) -> timedelta:
        """How old an initData may be."""
        return timedelta(seconds=self.settings.webapp_auth_max_age)


DEPS = web.AppKey("deps", AppDeps)


def deps_of(request: web.Request) -> AppDeps:
    """The app's dependencies, from the request."""
    return request.app[DEPS]


def http_error(kind: type[web.HTTPError], reason: str) -> web.HTTPError:
    """An HTTP error with a JSON body naming what was wrong."""
    return kind(text=json.dumps({"error": reason}), content_type="application/json")
