"""Turn claimed ledger rows into messages: the chat, its language and zone, rendered content."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import personal
from bot.delivery.quiet import chat_zone
from bot.i18n import default_catalogue
from bot.telegram.formatting import (
    Rendered,
    app_button,
    feedback_rows,
    render_digest,
    render_list,
    render_story,
    render_update,
)
from storage.ledger import Claimed
from storage.models import Broadcast, Chat, Story
from storage.stories import StoryView, views_of

T = TypeVar("T", Chat, Broadcast, Story)
log = logging.getLogger(__name__)
# Stories in one "while you were away" message, newest first (the rest would not fit anyway).
AWAY_STORIES = 30


class StoryRenderer(Protocol):
    """`bot.telegram.formatting.render_story`'s shape."""

    def __call__(
        self, view: StoryView, *, lang: str, tz: tzinfo, bot_username: str | None
    ) -> Rendered: ...


class DigestRenderer(Protocol):
    """`bot.telegram.formatting.render_digest`'s shape."""

    def __call__(
        self,
        views: Sequence[StoryView],
        *,
        lang: str,
        tz: tzinfo,
        bot_username: str | None,
        now: datetime | None = None,
        note: str | None = None,
    ) -> Rendered: ...


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message ready to send, or the reason there is nothing to send."""

    delivery_id: int
    chat_pk: int
    chat_id: int
    thread_id: int
    chat_type: str
    attempts: int
    kind: str = "push"
    rendered: Rendered | None = None
    copy_from: tuple[int, int] | None = None  # (chat id, message id) for copyMessage
    skip_reason: str | None = None
    skip_as: str = "skipped"  # when not sent: skipped or failed ("cancelled" is just dropped)

    @classmethod
    def broken(cls, row: Claimed, reason: str) -> Outgoing:
        """A row that could not be composed: it is marked failed with the reason."""
        return cls(
            row.id, row.chat_pk, 0, 0, "private", row.attempts, row.kind,
            skip_reason=reason[:1000], skip_as="failed",
        )  # fmt: skip


def plain_text(markup: str) -> str:
    """Strip HTML tags and decode entities: the fallback when Telegram cannot parse ours."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@dataclass(frozen=True, slots=True)
class Loaded:
    """What one batch of rows needs, loaded once for all of them."""

    broadcasts: dict[int, Broadcast]
    views: dict[int, StoryView]
    texts: dict[int, Rendered]  # a broadcast's message, rendered once
    profiles: dict[int, personal.Profile]  # the chats owed a digest


class Composer:
    """Loads what claimed rows need in a few queries and renders each chat's message."""

    def __init__(
        self,
        *,
        tz: tzinfo,
        bot_username: Callable[[], str | None],
        clock: Callable[[], datetime],
        story_renderer: StoryRenderer = render_story,
        digest_renderer: DigestRenderer = render_digest,
        public_url: str | None = None,
    ) -> None:
        self._public_url = public_url  # the Mini App's: pushes and digests open it
        self._tz = tz
        self._bot_username = bot_username
        self._clock = clock
        self._render_story = story_renderer
        self._render_digest = digest_renderer

    async def compose(self, session: AsyncSession, rows: Sequence[Claimed]) -> list[Outgoing]:
        """A message (or a skip) for every row."""
        chats = await _by_id(session, Chat, {r.chat_pk for r in rows})
        broadcasts = await _by_id(session, Broadcast, {r.broadcast_id for r in rows})
        story_ids: set[int] = set()
        for r in rows:
            story_ids.update(r.story_ids or ([r.story_id] if r.story_id else []))
        stories = await _by_id(session, Story, story_ids)
        views = {v.id: v for v in await views_of(session, list(stories.values()))}
        # One `Rendered` per broadcast for the whole batch: the lean path serialises it once.
        texts = {i: Rendered(text=b.text or "") for i, b in broadcasts.items()}
        # A digest says why it holds what it holds: the chat's profile (bot.delivery.personal).
        digests = sorted({r.chat_pk for r in rows if r.kind == "digest"})
        profiles = await personal.profiles(session, digests, self._clock()) if digests else {}
        loaded = Loaded(broadcasts, views, texts, profiles)
        return [self._safe(r, chats.get(r.chat_pk), loaded) for r in rows]

    def _safe(self, row: Claimed, chat: Chat | None, loaded: Loaded) -> Outgoing:
        # One story whose rendering raises must not stop the others: its row fails alone.
        try:
            return self._one(row, chat, loaded)
        except Exception as exc:
            log.exception("cannot compose delivery %s (%s)", row.id, row.kind)
            return Outgoing.broken(row, f"cannot compose {_what(row)}: {exc!r}")

    def _one(self, row: Claimed, chat: Chat | None, loaded: Loaded) -> Outgoing:
        broadcasts, views, texts = loaded.broadcasts, loaded.views, loaded.texts
        if chat is None:
            gone = Outgoing(row.id, row.chat_pk, 0, 0, "private", row.attempts)
            return _skip(gone, "no chat")
        base = Outgoing(
            row.id, chat.id, chat.chat_id, chat.thread_id, chat.type, row.attempts, row.kind
        )
        if not chat.active:
            return _skip(base, chat.inactive_reason or "chat inactive")
        lang, tz, me = chat.language, chat_zone(chat.timezone, self._tz), self._bot_username()
        if row.kind == "broadcast":
            b = broadcasts.get(row.broadcast_id or 0)
            if b is None or b.status not in ("running", "done"):
                return _with(base, skip_reason="broadcast cancelled", skip_as="cancelled")
            if b.source_chat_id is not None and b.source_message_id is not None:
                return _with(base, copy_from=(b.source_chat_id, b.source_message_id))
            return _with(base, rendered=texts[b.id])
        if row.kind == "digest":
            picked = [views[i] for i in row.story_ids or [] if i in views]
            if not picked:
                return _skip(base, "stories gone")
            found = loaded.profiles.get(chat.id)
            rendered = self._render_digest(
                picked, lang=lang, tz=tz, bot_username=me, now=self._clock(),
                note=personal.digest_note(picked, found, lang),
            )  # fmt: skip
            label = default_catalogue().text(lang, "button.pilihan_app")
            app = app_button(self._public_url, chat_type=chat.type, label=label, view="pilihan")
            rows = feedback_rows(
                [v.id for v in picked[: rendered.items]],
                lang=lang,
                reset=found is not None and found.learned,
            )
            return _with(base, rendered=replace(rendered, app=app, callbacks=rows))
        if row.kind == "away":
            held = sorted(
                (views[i] for i in row.story_ids or [] if i in views),
                key=lambda v: (v.published_at, v.id),
                reverse=True,
            )
            if not held:
                return _skip(base, "stories gone")
            return _with(base, rendered=render_away(held[:AWAY_STORIES], lang, tz, me))
        if row.kind == "update":
            updated = views.get((row.story_ids or [0])[0])
            if updated is None or not updated.whats_new:
                return _skip(base, "story gone")
            rendered = render_update(updated, lang=lang, tz=tz, bot_username=me)
            label = default_catalogue().text(lang, "button.read_here")
            app = app_button(
                self._public_url, chat_type=chat.type, label=label, story_id=updated.id
            )
            rows = feedback_rows([updated.id], lang=lang)
            return _with(base, rendered=replace(rendered, app=app, callbacks=rows))
        view = views.get(row.story_id or 0)
        if view is None:
            return _skip(base, "story gone")
        rendered = self._render_story(view, lang=lang, tz=tz, bot_username=me)
        label = default_catalogue().text(lang, "button.read_here")
        app = app_button(self._public_url, chat_type=chat.type, label=label, story_id=view.id)
        rows = feedback_rows([view.id], lang=lang)
        return _with(base, rendered=replace(rendered, app=app, callbacks=rows))


def render_away(
    views: Sequence[StoryView], lang: str, tz: tzinfo, bot_username: str | None
) -> Rendered:
    """The pushes held during quiet hours, as one list under "while you were away"."""
    heading = default_catalogue().text(lang, "away.heading", count=len(views))
    return render_list(views, heading=heading, lang=lang, tz=tz, bot_username=bot_username)


def _what(row: Claimed) -> str:
    if row.story_id is not None:
        return f"{row.kind} of story {row.story_id}"
    if row.broadcast_id is not None:
        return f"broadcast {row.broadcast_id}"
    return f"{row.kind} {row.digest_key or ''}".strip()


async def _by_id(
    session: AsyncSession, model: type[T], ids: set[int | None] | set[int]
) -> dict[int, T]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    found = await session.scalars(select(model).where(model.id.in_(wanted)))
    return {item.id: item for item in found}


def _skip(base: Outgoing, reason: str) -> Outgoing:
    return _with(base, skip_reason=reason)


def _with(base: Outgoing, **changes: object) -> Outgoing:
    return replace(base, **changes)  # type: ignore[arg-type]
