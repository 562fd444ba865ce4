"""The real Application on a SQLite file, driven through the fake Bot API, update by update."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import Update

from bot.config import Settings
from bot.runtime import Resources, open_resources
from bot.telegram.app import build_application
from bot.telegram.typed_context import BotApp
from storage import stories
from storage.models import Source
from tests.bot.fakeapi import BOT_TOKEN, Call, FakeBotAPI
from tests.bot.updates import USER_ID, Updates


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a test: the fake token, a SQLite file, no .env."""
    values: dict[str, Any] = {
        "bot_token": BOT_TOKEN,
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "telegram_api_url": "http://127.0.0.1:9",
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass(slots=True)
class BotHarness:
    """One running Application, its fake API, resources and an update builder."""

    app: BotApp
    api: FakeBotAPI
    resources: Resources
    updates: Updates = field(default_factory=Updates)

    async def feed(self, update: dict[str, Any]) -> None:
        """Process one update exactly as polling would."""
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def say(self, text: str, **kw: Any) -> Call:
        """A private message from the test user; returns the bot's last answer to them."""
        user_id = kw.get("user_id", USER_ID)
        before = len(self.api.calls)
        await self.feed(self.updates.private(text, **kw))
        answers = [
            c
            for c in self.api.calls[before:]
            if c.method in ("sendMessage", "editMessageText") and c.chat_id == user_id
        ]
        assert answers, f"no answer to {text!r}: {self.api.calls[before:]}"
        return answers[-1]

    async def answers_to(self, update: dict[str, Any]) -> list[Call]:
        """Feed an update; return every Bot API call it caused."""
        before = len(self.api.calls)
        await self.feed(update)
        return self.api.calls[before:]


@asynccontextmanager
async def running_bot(
    settings: Settings,
    api: FakeBotAPI | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
) -> AsyncIterator[BotHarness]:
    """Open resources, build and initialise the real Application; shut both down after."""
    api = api or FakeBotAPI()
    async with open_resources(settings, sync_sources=False) as resources:
        app = build_application(settings, resources, request=api)
        if clock is not None:
            app.bot_data.clock = clock
        await app.initialize()
        try:
            yield BotHarness(app, api, resources)
        finally:
            await app.shutdown()


async def add_story(
    resources: Resources,
    title: str,
    *,
    topics: tuple[str, ...] = ("nasional",),
    summary: str = "Kalimat pertama. Kalimat kedua. Kalimat ketiga. Kalimat keempat.",
    outlets: tuple[str, ...] = ("Tribunnews",),
    published_at: datetime | None = None,
    image_url: str | None = None,
    pinned: bool = False,
) -> int:
    """Store a story carried by some outlets (sources and articles created as needed)."""
    when = published_at or datetime.now(UTC) - timedelta(minutes=5)
    async with resources.sessions.begin() as session:
        story_id = await stories.create_story(
            session,
            {
                "title": title,
                "summary": summary,
                "image_url": image_url,
                "topics": list(topics),
                "published_at": when,
                "first_seen_at": when,
                "updated_at": when,
                "outlet_count": len(outlets),
                "pinned_at": when if pinned else None,
            },
            topics=topics,
        )
        for n, outlet in enumerate(outlets):
            source = await session.get(Source, await _source_id(session, outlet))
            assert source is not None
            from storage.models import Article

            url = f"https://{outlet.lower()}.example/{story_id}-{n}"
            session.add(
                Article(
                    url=url,
                    link=url,
                    source_id=source.id,
                    story_id=story_id,
                    guid=f"{story_id}-{n}",
                    title=title,
                    published_at=when,
                    feed_summary="",
                    categories=[],
                    first_seen_at=when,
                )
            )
    return story_id


async def _source_id(session: Any, outlet: str) -> int:
    from sqlalchemy import select

    found = (await session.scalars(select(Source.id).where(Source.name == outlet))).first()
    if found is not None:
        return int(found)
    now = datetime.now(UTC)
    source = Source(
        name=outlet,
        url=f"https://{outlet.lower()}.example/rss",
        enabled=True,
        consecutive_failures=0,
        next_due_at=now,
        created_at=now,
    )
    session.add(source)
    await session.flush()
    return int(source.id)
