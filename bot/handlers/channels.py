"""/channel: a channel's admins set up the bot's posts there from their private chat.

`/channel @name` connects the channel and follows Berita Pilihan there; `/channel @name <topic>`
toggles a topic; `/channel @name stop` ends everything. Both the user and the bot must be admins
of the channel. Posting `/subscribe` etc. in the channel itself works too (only admins can post).
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.context import BotContext
from bot.formatting import esc
from bot.handlers.common import (
    args_of,
    chat_of,
    echo,
    lang_of,
    reply,
    resolve_topic,
    unknown_topic_text,
)
from bot.news.taxonomy import topic_label
from storage import chats
from storage.chats import PILIHAN, TOPIC

log = logging.getLogger(__name__)

_ADMINS = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
_USERNAME = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}")  # Telegram's public username rules


async def channel_command(update: Update, ctx: BotContext) -> None:
    """Connect a channel, toggle its topics, or stop it."""
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
    rest = " ".join(args[1:])
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
        await chats.update_chat(session, row.id, now, managed_by=user.id)
        await chats.mark_active(session, channel.id, now)
        if rest.casefold() in ("stop", "berhenti"):
            await chats.unsubscribe(session, row.id)
            await reply(update, ctx.text(lang, "channel.stopped", name=esc(handle)))
            return
        if rest:
            topic = resolve_topic(rest)
            if topic is None:
                await reply(update, unknown_topic_text(ctx, rest, lang))
                return
            if not await chats.unsubscribe(session, row.id, TOPIC, topic):
                await chats.subscribe(session, row.id, TOPIC, topic, now)
        else:
            await chats.subscribe(session, row.id, PILIHAN, "", now)
        followed = await chats.subscriptions_of(session, row.id)
    items = ", ".join(
        ctx.text(lang, "what.pilihan") if kind == PILIHAN else esc(topic_label(value, lang))
        for kind, value in followed
    )
    items = items or ctx.text(lang, "subs.none")
    await reply(update, ctx.text(lang, "channel.connected", name=esc(handle), items=items))
