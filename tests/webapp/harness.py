"""The Mini App on loopback: its real aiohttp app on a real store, beside the real bot.

The web app and the PTB Application (behind the fake Bot API) share one database, as
`newsbot web` and `newsbot worker` do, so what the app saves `/topic` in chat reads back.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import update

from bot.config import Settings
from bot.i18n import default_catalogue
from bot.ingest.cycle import utcnow
from bot.runtime import Resources
from bot.webapp.deps import AppDeps
from bot.webapp.initdata import sign
from bot.webapp.server import create_app
from storage.models import Article
from tests.bot.fakeapi import BOT_TOKEN, BOT_USERNAME
from tests.bot.harness import add_story
from tests.bot.updates import USER_ID

OTHER_BOT_TOKEN = "7000002:AAE_another-bot-token-for-tests-xyz9"

# A picture served by the app's own origin in tests (outlets' images are https elsewhere).
PICTURE = """<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 64 36">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="#{a}"/><stop offset="1" stop-color="#{b}"/></linearGradient></defs>
<rect width="64" height="36" fill="url(#g)"/><circle cx="46" cy="12" r="6" fill="#fff8"/>
<path d="M0 30 L18 18 L30 26 L42 16 L64 32 L64 36 L0 36Z" fill="#0004"/></svg>"""
COLOURS = {"a": ("2a6f97", "61a5c2"), "b": ("bc4749", "f2e8cf"), "c": ("386641", "a7c957")}


def init_data(
    user_id: int = USER_ID,
    *,
    token: str = BOT_TOKEN,
    name: str = "Ani",
    language: str = "id",
    age: timedelta = timedelta(0),
    start_param: str | None = None,
    now: datetime | None = None,
) -> str:
    """Launch data as Telegram signs it for a user, `age` old."""
    when = (now or datetime.now(UTC)) - age
    user = {"id": user_id, "first_name": name, "language_code": language}
    fields = {
        "auth_date": str(int(when.timestamp())),
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, separators=(",", ":")),
    }
    if start_param:
        fields["start_param"] = start_param
    return sign(fields, token)


async def _picture(request: web.Request) -> web.Response:
    a, b = COLOURS.get(request.match_info["name"], COLOURS["a"])
    return web.Response(text=PICTURE.format(a=a, b=b), content_type="image/svg+xml")


@dataclass(slots=True)
class WebApp:
    """The app's address on loopback."""

    url: str

    def picture(self, name: str) -> str:
        """A picture's URL on the app's own origin."""
        return f"{self.url}/test-pictures/{name}"


@asynccontextmanager
async def serving(
    settings: Settings,
    resources: Resources,
    *,
    clock: Callable[[], datetime] = utcnow,
) -> AsyncIterator[WebApp]:
    """The real Mini App application on 127.0.0.1 until the block ends."""
    deps = AppDeps(
        sessions=resources.sessions,
        settings=settings,
        catalogue=default_catalogue(),
        clock=clock,
        bot_username=lambda: BOT_USERNAME,
    )
    app = create_app(deps)
    app.router.add_get("/test-pictures/{name}", _picture)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield WebApp(str(server.make_url("")).rstrip("/"))
    finally:
        await server.close()


async def add_full_story(
    resources: Resources,
    title: str,
    *,
    body: str = "",
    images: tuple[tuple[str | None, str | None], ...] = (),
    authors: tuple[str | None, ...] = (),
    **story: Any,
) -> int:
    """A story whose outlets' articles carry a clean body, an image and caption each."""
    story_id = await add_story(resources, title, **story)
    async with resources.sessions.begin() as session:
        ids = (
            await session.scalars(
                Article.__table__.select()
                .with_only_columns(Article.id)
                .where(Article.story_id == story_id)
                .order_by(Article.id)
            )
        ).all()
        for n, article_id in enumerate(ids):
            image, caption = images[n] if n < len(images) else (None, None)
            values: dict[str, Any] = {"image_url": image, "image_caption": caption}
            if n == 0 and body:
                values["body"] = body
            if n < len(authors):
                values["author"] = authors[n]
            await session.execute(update(Article).where(Article.id == article_id).values(values))
    return story_id
