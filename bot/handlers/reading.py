"""Reading commands: /latest with its "more" pages, and today's Berita Pilihan."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.context import BotContext
from bot.formatting import render_digest, render_list
from bot.handlers.common import (
    args_of,
    chat_lang,
    chat_of,
    chat_tz,
    is_number,
    lang_of,
    may_change,
    refuse,
    reply,
    resolve_topic,
    too_many,
    unknown_topic,
)
from bot.news.taxonomy import topic_label
from bot.pilihan import pick_pilihan
from storage.stories import latest_stories

LATEST_DEFAULT = 5
LATEST_MAX = 20


async def latest(update: Update, ctx: BotContext) -> None:
    """The newest distinct stories, optionally of one topic, with a "more" button."""
    args = args_of(ctx)
    lang = await chat_lang(update, ctx)
    count = LATEST_DEFAULT
    if args and is_number(args[0]):
        count = int(args.pop(0))
    elif args and is_number(args[-1]):
        count = int(args.pop())
    if not 1 <= count <= LATEST_MAX:
        await reply(update, ctx.text(lang, "error.range", max=LATEST_MAX))
        return
    topic = None
    if args:
        topic = resolve_topic(" ".join(args))
        if topic is None:
            if len(args) > 3:
                await too_many(update, ctx, "/latest 5 olahraga", lang=lang)
            else:
                await unknown_topic(update, ctx, " ".join(args), lang)
            return
    before = int(ctx.now().timestamp()) + 1
    await send_latest_page(update, ctx, topic=topic, count=count, offset=0, before=before)


async def more_button(update: Update, ctx: BotContext) -> None:
    """The "more" button of /latest: the next page, as a new message."""
    query = update.callback_query
    if query is None or not query.data:
        return
    if update.effective_chat is not None and update.effective_chat.type == ChatType.CHANNEL:
        # Every viewer sees the button, but a new page is a post: only the channel's admins.
        async with ctx.sessions.begin() as session:
            chat = await chat_of(session, update, ctx)
        if not await may_change(update, ctx):
            await refuse(update, ctx, chat)
            return
    await query.answer()
    try:
        _, count, offset, before, topic = query.data.split("|", 4)
        page = (int(count), int(offset), int(before))
    except ValueError:
        return
    await query.edit_message_reply_markup(None)
    await send_latest_page(
        update, ctx, topic=topic or None, count=page[0], offset=page[1], before=page[2]
    )


async def send_latest_page(
    update: Update, ctx: BotContext, *, topic: str | None, count: int, offset: int, before: int
) -> None:
    """One page of /latest: stories published before `before`, skipping `offset`."""
    async with ctx.sessions() as session:
        chat = await chat_of(session, update, ctx)
        await session.commit()
        views = await latest_stories(
            session,
            limit=count + 1,
            topic=topic,
            offset=offset,
            before=datetime.fromtimestamp(before, UTC),
        )
    lang = lang_of(chat)
    if not views:
        await reply(update, ctx.text(lang, "latest.end" if offset else "latest.empty"))
        return
    heading = (
        ctx.text(lang, "latest.heading_topic", topic=topic_label(topic, lang))
        if topic
        else ctx.text(lang, "latest.heading")
    )
    rendered = render_list(
        views[:count],
        heading=heading,
        lang=lang,
        tz=chat_tz(chat, ctx),
        bot_username=ctx.bot.username,
        start=offset + 1,
        catalogue=ctx.state.catalogue,
    )
    markup = None
    shown = offset + rendered.items
    if len(views) > rendered.items:
        data = f"m|{count}|{shown}|{before}|{topic or ''}"
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(ctx.text(lang, "button.more"), callback_data=data)]]
        )
    await reply(update, rendered.text, markup=markup)


async def pilihan(update: Update, ctx: BotContext) -> None:
    """Today's Berita Pilihan."""
    async with ctx.sessions() as session:
        chat = await chat_of(session, update, ctx)
        await session.commit()
        lang = lang_of(chat)
        if args_of(ctx):
            await too_many(update, ctx, "/pilihan", lang=lang)
            return
        tz = chat_tz(chat, ctx)
        views = await pick_pilihan(session, now=ctx.now(), tz=tz)
    if not views:
        await reply(update, ctx.text(lang, "pilihan.empty"))
        return
    rendered = render_digest(
        views,
        lang=lang,
        tz=tz,
        bot_username=ctx.bot.username,
        now=ctx.now(),
        catalogue=ctx.state.catalogue,
    )
    await reply(update, rendered.text)
