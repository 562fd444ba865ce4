"""Reading commands: /latest with its "more" pages, and today's Berita Pilihan."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.delivery import personal
from bot.delivery.pilihan import pilihan_on_demand
from bot.handlers.chat_access import (
    args_of,
    button_allowed,
    chat_lang,
    chat_of,
    chat_tz,
    is_number,
    lang_of,
    reply,
    too_many,
    unknown_topic,
)
from bot.news.topics.taxonomy import is_valid_topic, resolve_topic, topic_label
from bot.telegram.formatting import app_button, feedback_rows, render_digest, render_list
from bot.telegram.outgoing import url_keyboard
from bot.telegram.typed_context import BotContext
from storage.stories import latest_stories

LATEST_DEFAULT = 5
LATEST_MAX = 20
OFFSET_MAX = 1000  # stories a reader can page through with "more"


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
                await too_many(update, ctx, "latest", lang=lang)
            else:
                await unknown_topic(update, ctx, " ".join(args), lang)
            return
    before = int(ctx.now().timestamp()) + 1
    await send_latest_page(update, ctx, topic=topic, count=count, offset=0, before=before)


class Page(NamedTuple):
    """Where a "more" button continues: page size, stories shown, cut-off, topic."""

    size: int
    offset: int
    before: int
    topic: str | None


def page_of(data: str, now: datetime) -> Page | None:
    """The page a "more" button's data names, or None when it is malformed or out of range."""
    try:
        _, count, offset, before, topic = data.split("|", 4)
        page = Page(int(count), int(offset), int(before), topic or None)
    except ValueError:
        return None
    # Callback data can be forged: a negative OFFSET fails on PostgreSQL, a huge timestamp
    # overflows datetime. The bot itself never makes such a button.
    if not 1 <= page.size <= LATEST_MAX or not 0 <= page.offset <= OFFSET_MAX:
        return None
    if not 0 < page.before <= now.timestamp() + 86_400:
        return None
    if page.topic is not None and not is_valid_topic(page.topic):
        return None
    return page


async def more_button(update: Update, ctx: BotContext) -> None:
    """The "more" button of /latest: the next page, as a new message."""
    query = update.callback_query
    if query is None or not query.data:
        return
    page = page_of(query.data, ctx.now())
    if page is None:
        await query.answer(ctx.text(await chat_lang(update, ctx), "error.expired"))
        return
    if not await button_allowed(update, ctx):
        return
    await query.answer()
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
        return  # a double tap: the first tap took the button away and sends the page
    await send_latest_page(
        update, ctx, topic=page.topic, count=page.size, offset=page.offset, before=page.before
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
    if len(views) > rendered.items and shown <= OFFSET_MAX:
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
            await too_many(update, ctx, "pilihan", lang=lang)
            return
        tz, now = chat_tz(chat, ctx), ctx.now()
        # Ranked now, as this chat's digest would be: a digest need not have gone out today.
        mine = await personal.pick_for_chat(
            session, chat_pk=chat.id, now=now, tz=tz, exclude_given=False
        )
        views, as_of, notes = mine.views, now, []
        if not views:  # a quiet day: the editors' picks of the last day that had news
            picked = await pilihan_on_demand(session, now=now, tz=tz)
            views, as_of = picked.views, picked.as_of
            if picked.latest_day:
                notes.append(ctx.text(lang, "pilihan.latest_day"))
    if not views:
        await reply(update, ctx.text(lang, "pilihan.empty"))
        return
    notes.append(personal.digest_note(views, mine.profile, lang))
    rendered = render_digest(
        views,
        lang=lang,
        tz=tz,
        bot_username=ctx.bot.username,
        now=as_of,
        catalogue=ctx.state.catalogue,
        note="\n".join(notes),
    )
    label = ctx.text(lang, "button.pilihan_app")
    app = app_button(ctx.settings.public_url, chat_type=chat.type, label=label, view="pilihan")
    ids = [v.id for v in views[: rendered.items]]
    rows = feedback_rows(ids, lang=lang, reset=mine.profile.learned)
    await reply(update, rendered.text, markup=url_keyboard([], app, rows))
