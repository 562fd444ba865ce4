"""/settings: instant pushes, Berita Pilihan times, quiet hours, language, time zone.

Buttons cycle through presets and edit the message in place; the same settings can be typed:
`/settings pilihan 06:30,18:00`, `/settings tenang 22:00-06:00` (or `off`), `/settings zona WITA`,
`/settings bahasa en`.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.config import parse_clock
from bot.context import BotContext
from bot.formatting import ZONES, zone_name
from bot.handlers.common import (
    args_of,
    chat_of,
    chat_tz,
    lang_of,
    may_change,
    pilihan_times,
    refuse,
    reply,
)
from storage import chats
from storage.models import Chat

TIMES_PRESETS: tuple[tuple[str, ...] | None, ...] = (
    None,  # the bot's PILIHAN_TIMES
    ("07:00",),
    ("07:00", "19:00"),
    ("12:00",),
    ("19:00",),
)
QUIET_PRESETS: tuple[tuple[int, int] | None, ...] = (
    None,
    (22 * 60, 6 * 60),
    (21 * 60, 5 * 60),
    (23 * 60, 7 * 60),
)
_WORDS = {
    "pilihan": "times",
    "waktu": "times",
    "times": "times",
    "tenang": "quiet",
    "quiet": "quiet",
    "zona": "tz",
    "tz": "tz",
    "bahasa": "lang",
    "language": "lang",
}
_USAGE = "/settings pilihan 07:00,19:00 · /settings tenang 22:00-06:00 · /settings zona WITA"


def quiet_label(chat: Chat, ctx: BotContext, lang: str) -> str:
    """ "22:00–06:00", or none."""
    if chat.quiet_start is None or chat.quiet_end is None:
        return ctx.text(lang, "quiet.none")
    return f"{_clock(chat.quiet_start)}–{_clock(chat.quiet_end)}"


def settings_view(chat: Chat, ctx: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    """The settings text and its buttons."""
    lang = lang_of(chat)
    state = ctx.text(lang, "state.on" if chat.push_enabled else "state.off")
    times = ", ".join(pilihan_times(chat, ctx))
    quiet = quiet_label(chat, ctx, lang)
    tz = zone_name(chat_tz(chat, ctx))
    text = ctx.text(lang, "settings.heading", push=state, times=times, quiet=quiet, tz=tz)
    zones = [
        InlineKeyboardButton(("✅ " if tz == name else "") + name, callback_data=f"s|tz|{name}")
        for name in ZONES
    ]
    rows = [
        [InlineKeyboardButton(ctx.text(lang, "button.push", state=state), callback_data="s|push")],
        [
            InlineKeyboardButton(
                ctx.text(lang, "button.times", times=times), callback_data="s|times"
            )
        ],
        [
            InlineKeyboardButton(
                ctx.text(lang, "button.quiet", quiet=quiet), callback_data="s|quiet"
            )
        ],
        zones,
        [InlineKeyboardButton(ctx.text(lang, "button.language"), callback_data="s|lang")],
    ]
    return text, InlineKeyboardMarkup(rows)


async def settings_command(update: Update, ctx: BotContext) -> None:
    """Show the settings, or change one typed as words."""
    args = args_of(ctx)
    async with ctx.sessions.begin() as session:
        chat = await chat_of(session, update, ctx)
        lang = lang_of(chat)
        if args:
            change = _parse(args, ctx)
            if change is None:
                await reply(update, ctx.text(lang, "error.too_many", example=_USAGE))
                return
            if not await may_change(update, ctx):
                await refuse(update, ctx, chat)
                return
            await chats.update_chat(session, chat.id, ctx.now(), **change)
            await session.refresh(chat)
    text, markup = settings_view(chat, ctx)
    await reply(update, text, markup=markup)


async def settings_button(update: Update, ctx: BotContext) -> None:
    """A tap on a settings button: change that setting, redraw the message."""
    query = update.callback_query
    if query is None or not query.data:
        return
    parts = query.data.split("|")
    async with ctx.sessions.begin() as session:
        chat = await chat_of(session, update, ctx)
        if not await may_change(update, ctx):
            await refuse(update, ctx, chat)
            return
        change = _next_value(chat, parts[1:], ctx)
        if change is None:
            await query.answer(ctx.text(lang_of(chat), "error.expired"))
            return
        await chats.update_chat(session, chat.id, ctx.now(), **change)
        await session.refresh(chat)
    await query.answer(ctx.text(lang_of(chat), "settings.saved"))
    text, markup = settings_view(chat, ctx)
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


def _next_value(chat: Chat, parts: list[str], ctx: BotContext) -> dict[str, Any] | None:
    what = parts[0] if parts else ""
    if what == "push":
        return {"push_enabled": not chat.push_enabled}
    if what == "lang":
        return {"language": "en" if lang_of(chat) == "id" else "id"}
    if what == "tz" and len(parts) == 2 and parts[1] in ZONES:
        return {"timezone": ZONES[parts[1]]}
    if what == "times":
        current = tuple(chat.pilihan_times) if chat.pilihan_times else None
        index = TIMES_PRESETS.index(current) if current in TIMES_PRESETS else 0
        following = TIMES_PRESETS[(index + 1) % len(TIMES_PRESETS)]
        return {"pilihan_times": list(following) if following else None}
    if what == "quiet":
        now = (
            (chat.quiet_start, chat.quiet_end)
            if chat.quiet_start is not None and chat.quiet_end is not None
            else None
        )
        index = QUIET_PRESETS.index(now) if now in QUIET_PRESETS else 0
        span = QUIET_PRESETS[(index + 1) % len(QUIET_PRESETS)]
        return {"quiet_start": span[0] if span else None, "quiet_end": span[1] if span else None}
    return None


def _parse(args: list[str], ctx: BotContext) -> dict[str, Any] | None:
    """A typed setting (`pilihan 06:30,18:00`, `tenang off`…) as column values, or None."""
    if len(args) != 2 or args[0].casefold() not in _WORDS:
        return None
    what, value = _WORDS[args[0].casefold()], args[1]
    try:
        if what == "times":
            times = sorted({parse_clock(p).strftime("%H:%M") for p in value.split(",") if p})
            return {"pilihan_times": times} if 1 <= len(times) <= 6 else None
        if what == "quiet":
            if value.casefold() in ("off", "mati", "tidak"):
                return {"quiet_start": None, "quiet_end": None}
            start, _, end = value.replace("–", "-").partition("-")
            a, b = parse_clock(start), parse_clock(end)
            return {"quiet_start": a.hour * 60 + a.minute, "quiet_end": b.hour * 60 + b.minute}
    except ValueError:
        return None
    if what == "tz" and value.upper() in ZONES:
        return {"timezone": ZONES[value.upper()]}
    if what == "lang" and value.casefold() in ("id", "en"):
        return {"language": value.casefold()}
    return None


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
