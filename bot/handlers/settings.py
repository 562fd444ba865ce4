"""/settings: instant pushes, Berita Pilihan times, quiet hours, language, time zone.

Buttons cycle through presets and edit the message in place; the same settings can be typed
(see bot.handlers.typed_settings): `/settings pilihan 06:30,18:00`, `/settings tenang off`…
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.handlers.chat_access import (
    args_of,
    chat_of,
    chat_tz,
    checked,
    lang_of,
    may_change,
    pilihan_times,
    refuse,
    reply,
)
from bot.handlers.typed_settings import Refusal, parse_setting
from bot.telegram.formatting import ZONES, zone_name
from bot.telegram.typed_context import BotContext
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


def quiet_label(chat: Chat, ctx: BotContext, lang: str) -> str:
    """ "22:00–06:00", or none."""
    if chat.quiet_start is None or chat.quiet_end is None:
        return ctx.text(lang, "quiet.none")
    return f"{_clock(chat.quiet_start)}–{_clock(chat.quiet_end)}"


def settings_text(chat: Chat, ctx: BotContext, lang: str) -> str:
    """A chat's settings, described in `lang`."""
    return ctx.text(
        lang,
        "settings.heading",
        push=ctx.text(lang, "state.on" if chat.push_enabled else "state.off"),
        times=", ".join(pilihan_times(chat, ctx)),
        quiet=quiet_label(chat, ctx, lang),
        language=ctx.text(lang, f"language.{lang_of(chat)}"),
        tz=zone_name(chat_tz(chat, ctx)),
    )


def refusal_text(ctx: BotContext, lang: str, refusal: Refusal, command: str) -> str:
    """Why typed settings were refused, with examples for `command`."""
    usage = ctx.text(lang, "settings.usage", command=command)
    return ctx.text(lang, refusal.key, command=command, usage=usage, **refusal.values)


def settings_view(chat: Chat, ctx: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    """The settings text and its buttons."""
    lang = lang_of(chat)
    state = ctx.text(lang, "state.on" if chat.push_enabled else "state.off")
    times = ", ".join(pilihan_times(chat, ctx))
    quiet = quiet_label(chat, ctx, lang)
    tz = zone_name(chat_tz(chat, ctx))
    text = settings_text(chat, ctx, lang)
    zones = [
        InlineKeyboardButton(checked(ctx, lang, name, tz == name), callback_data=f"s|tz|{name}")
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
            change = parse_setting(args)
            if isinstance(change, Refusal):
                await reply(update, refusal_text(ctx, lang, change, "/settings"))
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


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
