"""What anyone may read, with or without Telegram: the page's strings, Berita Pilihan, the latest
stories (by topic) and a whole story.

A proven reader reads in their chat's language and time zone; a browser in the language it
asks for (`?lang=`) and the bot's TIMEZONE.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.pilihan import pick_pilihan
from bot.delivery.quiet import chat_zone
from bot.i18n import LANGUAGES, pick_language
from bot.news.topics.taxonomy import TAXONOMY, is_valid_topic, topic_label
from bot.telegram.formatting import ZONES, format_date, zone_name
from bot.webapp.auth import reader_of
from bot.webapp.deps import deps_of, http_error
from bot.webapp.views import story_item, story_page
from storage import chats
from storage.reading import story_page as load_story_page
from storage.stories import latest_stories

routes = web.RouteTableDef()
PAGE_SIZE = 20
OFFSET_MAX = 1000


async def prefs(request: web.Request, session: AsyncSession) -> tuple[str, tzinfo]:
    """The language and time zone to answer in."""
    settings = deps_of(request).settings
    reader = reader_of(request)
    if reader is not None:
        chat = await chats.get_chat(session, reader.user.id)
        if chat is not None:
            return chat.language or "id", chat_zone(chat.timezone, settings.tz)
    asked = request.query.get("lang")
    if asked in LANGUAGES:
        return asked, settings.tz
    return pick_language(None, reader.user.language_code if reader else None), settings.tz


@routes.get("/api/boot")
async def boot(request: web.Request) -> web.Response:
    """The page's strings in both languages, the topics and zones, the bot's name."""
    deps = deps_of(request)
    cat = deps.catalogue
    strings = {
        lang: {k: cat.text(lang, k) for k in sorted(cat.keys(lang)) if k.startswith("app.")}
        for lang in LANGUAGES
    }
    body: dict[str, Any] = {
        "strings": strings,
        "topics": [
            {"slug": t.slug, **{lang: topic_label(t.slug, lang) for lang in LANGUAGES}}
            for t in TAXONOMY
        ],
        "zones": list(ZONES),
        "default_zone": zone_name(deps.settings.tz),
        "default_times": [t.strftime("%H:%M") for t in deps.settings.pilihan_times],
        "bot": deps.bot_username(),
    }
    return web.json_response(body, headers={"Cache-Control": "no-cache"})


@routes.get("/api/pilihan")
async def pilihan(request: web.Request) -> web.Response:
    """Today's Berita Pilihan, as /pilihan shows it."""
    deps = deps_of(request)
    now = deps.clock()
    async with deps.sessions() as session:
        lang, tz = await prefs(request, session)
        views = await pick_pilihan(session, now=now, tz=tz)
    cat = deps.catalogue
    return web.json_response(
        {
            "date": format_date(now, tz, lang, catalogue=cat),
            "stories": [story_item(v, lang, tz, cat) for v in views],
        }
    )


@routes.get("/api/stories")
async def stories(request: web.Request) -> web.Response:
    """The newest stories (of one topic), a page at a time: `offset` and a fixed `before`."""
    deps = deps_of(request)
    query = request.query
    topic = query.get("topic") or None
    if topic is not None and not is_valid_topic(topic):
        raise http_error(web.HTTPBadRequest, "unknown topic")
    try:
        offset = int(query.get("offset", "0"))
        before = int(query.get("before") or deps.clock().timestamp() + 1)
    except ValueError:
        raise http_error(web.HTTPBadRequest, "bad page") from None
    # Forged paging must not reach the database: a negative OFFSET fails on PostgreSQL and a
    # huge timestamp overflows datetime.
    if not 0 <= offset <= OFFSET_MAX or not 0 < before <= deps.clock().timestamp() + 86_400:
        raise http_error(web.HTTPBadRequest, "bad page")
    async with deps.sessions() as session:
        lang, tz = await prefs(request, session)
        views = await latest_stories(
            session,
            limit=PAGE_SIZE + 1,
            topic=topic,
            offset=offset,
            before=datetime.fromtimestamp(before, UTC),
        )
    more = len(views) > PAGE_SIZE and offset + PAGE_SIZE <= OFFSET_MAX
    return web.json_response(
        {
            "stories": [story_item(v, lang, tz, deps.catalogue) for v in views[:PAGE_SIZE]],
            "next": {"offset": offset + PAGE_SIZE, "before": before} if more else None,
        }
    )


@routes.get(r"/api/stories/{story_id:\d{1,18}}")
async def story(request: web.Request) -> web.Response:
    """One story, whole."""
    deps = deps_of(request)
    async with deps.sessions() as session:
        lang, tz = await prefs(request, session)
        page = await load_story_page(session, int(request.match_info["story_id"]))
    if page is None:
        raise http_error(web.HTTPNotFound, "no such story")
    return web.json_response(story_page(page, lang, tz, deps.catalogue))
