"""What anyone may read, with or without Telegram: the page's strings, Berita Pilihan, the latest
stories (by topic), search results and a whole story.

The page asks in the reader's language and zone (`?lang=id&zone=WITA`); without them a proven
reader reads in their chat's, a browser in Indonesian and the bot's TIMEZONE. These answers are
the same for everyone who asks alike, so each is built once and shared (`bot.webapp.shared`):
a new story reaches the lists within about LIST_TTL seconds.
"""

from __future__ import annotations

import gzip
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.delivery import personal
from bot.delivery.pilihan import pilihan_on_demand
from bot.delivery.quiet import chat_zone
from bot.i18n import LANGUAGES, as_plain, pick_language
from bot.news.affinity import Signal
from bot.news.search.query import MAX_CHARS, MAX_TERMS, Query, QueryError, parse_query
from bot.news.topics.taxonomy import TAXONOMY, is_valid_topic, topic_label
from bot.telegram.formatting import ZONES, format_date, zone_name
from bot.webapp.auth import reader_of
from bot.webapp.deps import AppDeps, deps_of, http_error
from bot.webapp.shared import Shared
from bot.webapp.views import story_item, story_page
from storage import chats
from storage.reading import story_page as load_story_page
from storage.search import search_stories
from storage.stories import latest_stories, views_by_ids

routes = web.RouteTableDef()
PAGE_SIZE = 20
SEARCH_PAGE = 10  # results per search page: best first, so fewer than a list's
OFFSET_MAX = 1000


LIST_TTL = 20.0  # seconds Berita Pilihan and the lists stay fresh
STORY_TTL = 60.0
MAX_STALE = 300.0  # an answer older than this is rebuilt before it is given again
GZIP_FROM = 1024  # bytes: smaller answers are sent as they are


log = logging.getLogger(__name__)

@dataclass(frozen=True, slots=True)
class Body:
    """A JSON answer, plain and gzip-compressed (built once, sent many times)."""

    plain: bytes
    gzipped: bytes | None

    @classmethod
    def of(cls, data: Any) -> Body:
        """Encode `data`."""
        plain = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        return cls(plain, gzip.compress(plain, 6) if len(plain) >= GZIP_FROM else None)

    def respond(self, request: web.Request) -> web.Response:
        """The answer, compressed when the client takes gzip."""
        headers = {"Content-Type": "application/json; charset=utf-8", "Vary": "Accept-Encoding"}
        if self.gzipped is not None and "gzip" in request.headers.get("Accept-Encoding", ""):
            return web.Response(body=self.gzipped, headers={**headers, "Content-Encoding": "gzip"})
        return web.Response(body=self.plain, headers=headers)


async def prefs(request: web.Request) -> tuple[str, str]:
    """The language and time zone (an IANA name) to answer in."""
    deps = deps_of(request)
    asked_lang, asked_zone = request.query.get("lang"), ZONES.get(request.query.get("zone", ""))
    lang = asked_lang if asked_lang in LANGUAGES else None
    zone = asked_zone
    reader = reader_of(request)
    if reader is not None and (lang is None or zone is None):
        async with deps.sessions() as session:
            chat = await chats.get_chat(session, reader.user.id)
        if chat is not None:
            lang = lang or chat.language or "id"
            zone = zone or str(getattr(chat_zone(chat.timezone, deps.settings.tz), "key", ""))
    lang = lang or pick_language(None, reader.user.language_code if reader else None)
    return lang, zone or deps.settings.timezone


class PublicReads:
    """Berita Pilihan, pages of the latest stories and whole stories, built once per key."""

    def __init__(self, deps: AppDeps) -> None:
        self._deps = deps
        self.pilihan = Shared(self._pilihan, ttl=LIST_TTL, max_stale=MAX_STALE, size=32)
        self.page = Shared(self._page, ttl=LIST_TTL, max_stale=MAX_STALE, size=512)
        self.story = Shared(self._story, ttl=STORY_TTL, max_stale=MAX_STALE, size=2048)
        # Keyed by the analysed query: "Banjir", "banjir" and "  banjir" share one answer.
        self.search = Shared(self._search, ttl=LIST_TTL, max_stale=MAX_STALE, size=512)

    async def close(self) -> None:
        """Stop builds still running."""
        for shared in (self.pilihan, self.page, self.search, self.story):
            await shared.close()

    async def _pilihan(self, lang: str, zone: str) -> Body:
        deps, tz = self._deps, ZoneInfo(zone)
        now = deps.clock()
        async with deps.sessions() as session:
            # As /pilihan: ranked now, or the last day that had news when today has none yet.
            picked = await pilihan_on_demand(session, now=now, tz=tz)
        return Body.of(
            {
                "date": format_date(picked.as_of, tz, lang, catalogue=deps.catalogue),
                "latest_day": picked.latest_day,
                "stories": [story_item(v, lang, tz, deps.catalogue) for v in picked.views],
            }
        )

    async def _page(
        self, topic: str | None, offset: int, before: int | None, lang: str, zone: str
    ) -> Body:
        deps, tz = self._deps, ZoneInfo(zone)
        # The first page has no cut-off of its own: it is the one every reader shares, and
        # the next pages continue from the moment it was built.
        cutoff = before if before is not None else int(deps.clock().timestamp()) + 1
        async with deps.sessions() as session:
            views = await latest_stories(
                session,
                limit=PAGE_SIZE + 1,
                topic=topic,
                offset=offset,
                before=datetime.fromtimestamp(cutoff, UTC),
            )
        more = len(views) > PAGE_SIZE and offset + PAGE_SIZE <= OFFSET_MAX
        return Body.of(
            {
                "stories": [story_item(v, lang, tz, deps.catalogue) for v in views[:PAGE_SIZE]],
                "next": {"offset": offset + PAGE_SIZE, "before": cutoff} if more else None,
            }
        )

    async def _search(self, query: Query, offset: int, lang: str, zone: str) -> Body:
        deps, tz = self._deps, ZoneInfo(zone)
        async with deps.sessions() as session:
            page = await search_stories(
                session, query, limit=SEARCH_PAGE, offset=offset, now=deps.clock()
            )
            views = await views_by_ids(session, page.story_ids)
        more = page.has_more and offset + SEARCH_PAGE <= OFFSET_MAX
        return Body.of(
            {
                "stories": [story_item(v, lang, tz, deps.catalogue) for v in views],
                "next": {"offset": offset + SEARCH_PAGE} if more else None,
            }
        )

    async def _story(self, story_id: int, lang: str, zone: str) -> Body | None:
        deps = self._deps
        async with deps.sessions() as session:
            page = await load_story_page(session, story_id)
        if page is None:
            return None
        return Body.of(story_page(page, lang, ZoneInfo(zone), deps.catalogue))


READS = web.AppKey("reads", PublicReads)


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
    body = await request.app[READS].pilihan(*await prefs(request))
    return body.respond(request)


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
        before = int(query["before"]) if query.get("before") else None
    except ValueError:
        raise http_error(web.HTTPBadRequest, "bad page") from None
    # Forged paging must not reach the database: a negative OFFSET fails on PostgreSQL and a
    # huge timestamp overflows datetime.
    latest = deps.clock().timestamp() + 86_400
    if not 0 <= offset <= OFFSET_MAX or (before is not None and not 0 < before <= latest):
        raise http_error(web.HTTPBadRequest, "bad page")
    body = await request.app[READS].page(topic, offset, before, *await prefs(request))
    return body.respond(request)


@routes.get("/api/search")
async def search(request: web.Request) -> web.Response:
    """Stories matching `q` as /cari finds them, best first, `offset` for the next pages.

    A query that cannot be run gets 400 with `error` (the reason's key) and `message` (the
    reason in the reader's language), as the chat would say it.
    """
    typed = request.query.get("q", "")
    try:
        offset = int(request.query.get("offset", "0"))
    except ValueError:
        raise http_error(web.HTTPBadRequest, "bad page") from None
    if not 0 <= offset <= OFFSET_MAX:
        raise http_error(web.HTTPBadRequest, "bad page")
    lang, zone = await prefs(request)
    try:
        query = parse_query(typed)
    except QueryError as error:
        values = {"max_chars": MAX_CHARS, "max_terms": MAX_TERMS}
        message = as_plain(deps_of(request).catalogue.text(lang, error.key, **values))
        return web.json_response({"error": error.key, "message": message}, status=400)
    body = await request.app[READS].search(query, offset, lang, zone)
    return body.respond(request)


@routes.get(r"/api/stories/{story_id:\d{1,18}}")
async def story(request: web.Request) -> web.Response:
    """One story, whole."""
    story_id = int(request.match_info["story_id"])
    body = await request.app[READS].story(story_id, *await prefs(request))
    if body is None:
        raise http_error(web.HTTPNotFound, "no such story")
    reader = reader_of(request)
    if reader is not None:  # a signal for the reader's own Berita Pilihan (read in full)
        try:
            async with deps_of(request).sessions.begin() as session:
                await personal.learn_from_reader(
                    session, reader.user.id, story_id, Signal.READ, deps_of(request).clock()
                )
        except SQLAlchemyError as exc:  # the story is served all the same; the read is lost
            log.warning("webapp: could not learn from a read of story %s: %s", story_id, exc)
    return body.respond(request)
