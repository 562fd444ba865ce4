"""A reader's own settings, read and written in the tables the chat commands use.

The reader is the Telegram user initData proves; their settings are those of their private
chat with the bot, the row `/settings`, `/topic` and `/subscribe` change there. Values are
checked by the same parser as typed `/settings` (`bot.handlers.typed_settings`), so chat and
app accept the same things and always agree.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import personal
from bot.delivery.quiet import chat_zone
from bot.handlers.typed_settings import Refusal, parse_setting
from bot.handlers.user import KEYWORD_MAX
from bot.i18n import pick_language
from bot.news import affinity
from bot.news.topics.taxonomy import is_valid_topic
from bot.telegram.formatting import zone_name
from bot.webapp.auth import require_reader
from bot.webapp.deps import deps_of, http_error
from bot.webapp.initdata import InitData
from storage import affinities, chats
from storage.chats import KEYWORD, PILIHAN, TOPIC
from storage.models import Chat
from storage.reading import reader_state

routes = web.RouteTableDef()
# Each field of a settings change, and the word typed `/settings` knows it by.
_TYPED = {"times": "pilihan", "quiet": "tenang", "zone": "zona", "language": "bahasa"}
KEYWORDS_MAX = 50  # keywords one reader may follow from the app
TASTES_SHOWN = 6  # likes (and dislikes) the settings view lists, strongest first


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


async def me_body(request: web.Request, session: AsyncSession, reader: InitData) -> dict[str, Any]:
    """The reader's settings and subscriptions (defaults before their chat exists)."""
    settings = deps_of(request).settings
    state = await reader_state(session, reader.user.id)
    chat, follows = state.chat, state.follows
    quiet = None
    if chat is not None and chat.quiet_start is not None and chat.quiet_end is not None:
        quiet = f"{_clock(chat.quiet_start)}-{_clock(chat.quiet_end)}"
    default_times = [t.strftime("%H:%M") for t in settings.pilihan_times]
    return {
        "user": {"id": reader.user.id, "name": reader.user.first_name},
        "admin": state.admin or reader.user.id in settings.admin_ids,
        "known": chat is not None,
        "settings": {
            "language": chat.language
            if chat is not None
            else pick_language(None, reader.user.language_code),
            "zone": zone_name(chat_zone(chat.timezone if chat else None, settings.tz)),
            "push": chat.push_enabled if chat is not None else True,
            "times": list(chat.pilihan_times or default_times) if chat else default_times,
            "custom_times": bool(chat is not None and chat.pilihan_times),
            "quiet": quiet,
        },
        "follows": {
            "pilihan": any(kind == PILIHAN for kind, _ in follows),
            "topics": [value for kind, value in follows if kind == TOPIC],
            "keywords": [value for kind, value in follows if kind == KEYWORD],
        },
        "tastes": await _tastes(request, session, chat),
    }


async def _tastes(
    request: web.Request, session: AsyncSession, chat: Chat | None
) -> dict[str, list[str]]:
    """What the personal Berita Pilihan learned of the reader: the strongest likes and dislikes."""
    if chat is None:
        return {"more": [], "less": []}
    now, lang = deps_of(request).clock(), chat.language or "id"
    weights = (await personal.learned_weights(session, [chat.id], now)).get(chat.id, {})
    ranked = sorted(weights.items(), key=lambda item: (-abs(item[1]), item[0]))
    liked = [f for f, w in ranked if w >= affinity.HABIT][:TASTES_SHOWN]
    disliked = [f for f, w in ranked if w <= -affinity.HABIT][:TASTES_SHOWN]
    return {
        "more": [personal.reason_label(f, lang) for f in liked],
        "less": [personal.reason_label(f, lang) for f in disliked],
    }


@routes.get("/api/me")
async def me(request: web.Request) -> web.Response:
    """The reader's settings."""
    reader = require_reader(request)
    async with deps_of(request).sessions() as session:
        body = await me_body(request, session, reader)
    return web.json_response(body, headers={"Cache-Control": "no-store"})


async def _reader_chat(request: web.Request, session: AsyncSession, reader: InitData) -> Chat:
    """The reader's private chat row, created as a first message in it would create it."""
    return await chats.ensure_chat(
        session,
        chat_id=reader.user.id,
        type="private",
        title=reader.user.first_name or None,
        language=pick_language(None, reader.user.language_code),
        now=deps_of(request).clock(),
    )


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise http_error(web.HTTPBadRequest, "body is not JSON") from None
    if not isinstance(body, dict):
        raise http_error(web.HTTPBadRequest, "body is not a JSON object")
    return body


def settings_change(body: dict[str, Any]) -> dict[str, Any]:
    """Column values for a settings change, or 400 naming the field that is wrong."""
    change: dict[str, Any] = {}
    for field, value in body.items():
        if field == "push" and isinstance(value, bool):
            change["push_enabled"] = value
        elif field == "times" and value == "default":
            change["pilihan_times"] = None
        elif field in _TYPED and isinstance(value, str) and value.strip():
            parsed = parse_setting([_TYPED[field], *value.split()])
            if isinstance(parsed, Refusal):
                raise http_error(web.HTTPBadRequest, field)
            change.update(parsed)
        else:
            raise http_error(web.HTTPBadRequest, field)
    if not change:
        raise http_error(web.HTTPBadRequest, "nothing to change")
    return change


@routes.post("/api/me/settings")
async def change_settings(request: web.Request) -> web.Response:
    """Change settings: push (bool), times ("07:00,19:00" or "default"), quiet, zone, language."""
    reader = require_reader(request)
    change = settings_change(await _json(request))
    deps = deps_of(request)
    async with deps.sessions.begin() as session:
        chat = await _reader_chat(request, session, reader)
        await chats.update_chat(session, chat.id, deps.clock(), **change)
    async with deps.sessions() as session:
        body = await me_body(request, session, reader)
    return web.json_response(body, headers={"Cache-Control": "no-store"})


def follow_target(body: dict[str, Any]) -> tuple[str, str, bool]:
    """(kind, value, on) of a follow change, or 400."""
    kind, value, on = body.get("kind"), body.get("value", ""), body.get("on")
    if not isinstance(on, bool) or not isinstance(value, str):
        raise http_error(web.HTTPBadRequest, "on")
    if kind == PILIHAN:
        return PILIHAN, "", on
    if kind == TOPIC and is_valid_topic(value):
        return TOPIC, value, on
    keyword = " ".join(value.split()).casefold()
    if kind == KEYWORD and 2 <= len(keyword) <= KEYWORD_MAX:
        return KEYWORD, keyword, on
    raise http_error(web.HTTPBadRequest, str(kind) if kind in (TOPIC, KEYWORD) else "kind")


@routes.post("/api/me/tastes/reset")
async def reset_tastes(request: web.Request) -> web.Response:
    """Forget what the personal Berita Pilihan learned (as ↺ under a digest does)."""
    reader = require_reader(request)
    deps = deps_of(request)
    async with deps.sessions.begin() as session:
        chat = await chats.get_chat(session, reader.user.id)
        if chat is not None:
            await affinities.reset(session, chat.id, deps.clock())
    async with deps.sessions() as session:
        body = await me_body(request, session, reader)
    return web.json_response(body, headers={"Cache-Control": "no-store"})


@routes.post("/api/me/follow")
async def follow(request: web.Request) -> web.Response:
    """Follow or stop following Berita Pilihan, a topic or a keyword."""
    reader = require_reader(request)
    kind, value, on = follow_target(await _json(request))
    deps = deps_of(request)
    async with deps.sessions.begin() as session:
        chat = await _reader_chat(request, session, reader)
        if not on:
            await chats.unsubscribe(session, chat.id, kind, value)
        else:
            if kind == KEYWORD:
                followed = await chats.subscriptions_of(session, chat.id)
                if sum(1 for k, _ in followed if k == KEYWORD) >= KEYWORDS_MAX:
                    raise http_error(web.HTTPBadRequest, "too_many_keywords")
            await chats.subscribe(session, chat.id, kind, value, deps.clock())
    async with deps.sessions() as session:
        body = await me_body(request, session, reader)
    return web.json_response(body, headers={"Cache-Control": "no-store"})
