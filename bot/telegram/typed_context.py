"""The typed state handlers and jobs reach through `context`: settings, resources, strings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.config import Settings
from bot.i18n import Catalogue, default_catalogue
from bot.ingest.cycle import utcnow
from bot.runtime import Resources


@dataclass(slots=True)
class BotState:
    """What the composition root hands to handlers (PTB's `bot_data`, typed).

    PTB creates it empty; `bot.telegram.app.build_application` fills it. `resources` is set later
    by the process's post_init (bot.cli.processes) when the database is opened in PTB's loop.
    """

    settings: Settings | None = None
    resources: Resources | None = None
    catalogue: Catalogue = field(default_factory=default_catalogue)
    clock: Callable[[], datetime] = utcnow
    delivery: Any = None  # bot.delivery.service.DeliveryService while this process sends
    # Whether this process schedules digests and prunes: the holder of the lead role when
    # several workers share the database (bot.cli.processes), always when the process is alone.
    lead: bool = True


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotState]):
    """CallbackContext with typed shortcuts to the bot's state."""

    @property
    def state(self) -> BotState:
        """The bot's state."""
        return self.bot_data

    @property
    def settings(self) -> Settings:
        """The validated settings."""
        if self.bot_data.settings is None:
            raise RuntimeError(
                "settings not set: build the app with bot.telegram.app.build_application"
            )
        return self.bot_data.settings

    @property
    def resources(self) -> Resources:
        """Database, fetcher and ingestor (open while the application runs)."""
        if self.bot_data.resources is None:
            raise RuntimeError("resources are not open yet")
        return self.bot_data.resources

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """Session factory: one session per update."""
        return self.resources.sessions

    def text(self, lang: str, key: str, /, **values: Any) -> str:
        """A catalogue string."""
        return self.bot_data.catalogue.text(lang, key, **values)

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        return self.bot_data.clock()


BotApp = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotState, JobQueue[BotContext]
]
