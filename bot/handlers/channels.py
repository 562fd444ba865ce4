"""/channel: a channel's admins set up the bot's posts there from their private chat.

`/channel @name` connects the channel and follows Berita Pilihan there; `/channel @name <topic>`
toggles a topic; `/channel @name zona WITA` (`bahasa en`, `pilihan 07:00,19:00`, `tenang …`) sets
the channel's settings, `/channel @name pengaturan` shows them; `/channel @name stop` ends
everything. Both the user and the bot must be admins
of the channel. Posting `/subscribe` etc. in the channel itself works too (only admins can post).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.handlers.chat_access import (
    args_of,
    chat_of,
    echo,
    lang_of,
    reply,
    unknown_topic_text,
)
from bot.handlers.settings import refusal_text, settings_text
from bot.handlers.typed_settings import Refusal, is_setting_word, parse_setting
from bot.news.topics.taxonomy import resolve_topic, topic_label
from bot.telegram.formatting import esc
from bot.telegram.typed_context import BotContext
from storage import chats
from storage.chats import PILIHAN, TOPIC

log = logging.getLogger(__name__)

_ADMINS = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
_STOP = ("stop", "berhenti")
_SHOW = ("settings", "pengaturan")
_USERNAME = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}")  # Telegram's public username rules


async def channel_command(update: Update, ctx: BotContext) -> None:
    """Connect a channel, toggle its topics, change or show its settings, or stop it."""
    args = args_of(ctx)
    async with ctx.sessions.begin() as session:
        me = await chat_of(session, update, ctx)
    lang = lang_of(me)
    user = update.effective_user
    if not args or user is None or me.type != ChatType.PRIVATE:
        await reply(update, ctx.text(lang, "channel.usage"))
        return
    handle = args[0] if args[0].startswith("@") else f"@{args[0]}"
    if not _USERNAME.fullmatch(handle):
        await reply(update, ctx.text(lang, "channel.not_found", name=echo(handle)))
        return
    try:
        channel = await ctx.bot.get_chat(handle)
        mine = await ctx.bot.get_chat_member(channel.id, ctx.bot.id)
        theirs = await ctx.bot.get_chat_member(channel.id, user.id)
    except TelegramError as exc:
        log.info("channel %s not reachable: %s", handle, exc)
        await reply(update, ctx.text(lang, "channel.not_found", name=echo(handle)))
        return
    handle = f"@{channel.username}" if channel.username else handle  # Telegram's spelling
    if channel.type != ChatType.CHANNEL:
        await reply(update, ctx.text(lang, "channel.usage"))
        return
    if mine.status not in _ADMINS or theirs.status not in _ADMINS:
        await reply(update, ctx.text(lang, "channel.not_admin", name=esc(handle)))
        return
    words = args[1:]
    rest = " ".join(words).casefold()
    command = esc(f"/channel {handle}")
    change: dict[str, Any] | None = None
    topic: str | None = None
    if words and is_setting_word(words[0]) and rest != "pilihan":
        parsed = parse_setting(words)
        if isinstance(parsed, Refusal):
            await reply(update, refusal_text(ctx, lang, parsed, command))
            return
        change = parsed
    elif words and rest not in _STOP + _SHOW + ("pilihan",):
        topic = resolve_topic(rest)
        if topic is None:
            await reply(update, unknown_topic_text(ctx, " ".join(words), lang))
            return
    now = ctx.now()
    async with ctx.sessions.begin() as session:
        row = await chats.ensure_chat(
            session,
            chat_id=channel.id,
            type=ChatType.CHANNEL,
            title=channel.title,
            username=channel.username,
            language=lang,
            now=now,
        )
        await chats.update_chat(session, row.id, now, managed_by=user.id, **(change or {}))
        await chats.mark_active(session, channel.id, now)
        if rest in _STOP:
            await chats.unsubscribe(session, row.id)
        elif topic is not None:
            if not await chats.unsubscribe(session, row.id, TOPIC, topic):
                await chats.subscribe(session, row.id, TOPIC, topic, now)
        elif change is None and rest not in _SHOW:
            await chats.subscribe(session, row.id, PILIHAN, "", now)
        await session.refresh(row)
        followed = await chats.subscriptions_of(session, row.id)
    name = esc(handle)
    if rest in _STOP:
        await reply(update, ctx.text(lang, "channel.stopped", name=name))
        return
    if change is not None or rest in _SHOW:
        shown = settings_text(row, ctx, lang)
        await reply(update, ctx.text(lang, "channel.settings", name=name, settings=shown))
        return
    items = ", ".join(
        ctx.text(lang, "what.pilihan") if kind == PILIHAN else esc(topic_label(value, lang))
        for kind, value in followed
    )
    items = items or ctx.text(lang, "subs.none")
    await reply(update, ctx.text(lang, "channel.connected", name=name, items=items))
