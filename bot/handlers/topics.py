"""/topic: topic buttons toggled in place; one topic's newest stories with a follow button."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.handlers.chat_access import (
    chat_of,
    chat_tz,
    checked,
    lang_of,
    may_change,
    raw_args,
    refuse,
    reply,
    unknown_topic_text,
)
from bot.news.topics.taxonomy import TAXONOMY, is_valid_topic, resolve_topic, topic_label
from bot.telegram.deep_links import share_link, start_link, topic_payload
from bot.telegram.formatting import render_list
from bot.telegram.typed_context import BotContext
from storage import chats
from storage.chats import TOPIC
from storage.stories import latest_stories

TOPIC_STORIES = 5
_PER_ROW = 2


def topics_keyboard(ctx: BotContext, followed: set[str], lang: str) -> InlineKeyboardMarkup:
    """Every taxonomy topic as a button, ✅ on those the chat follows."""
    buttons = [
        InlineKeyboardButton(
            checked(ctx, lang, topic_label(t.slug, lang), t.slug in followed),
            callback_data=f"t|{t.slug}",
        )
        for t in TAXONOMY
    ]
    return InlineKeyboardMarkup(
        [buttons[i : i + _PER_ROW] for i in range(0, len(buttons), _PER_ROW)]
    )


def follow_keyboard(
    ctx: BotContext, topic: str, following: bool, lang: str
) -> InlineKeyboardMarkup:
    """Follow or unfollow a topic, and share a link that follows it in one tap."""
    name = topic_label(topic, lang)
    key = "button.unfollow_topic" if following else "button.follow_topic"
    label = ctx.text(lang, key, topic=name)
    rows = [[InlineKeyboardButton(label, callback_data=f"tf|{topic}")]]
    link = start_link(ctx.bot.username, topic_payload(topic))
    if link:
        share = share_link(link, ctx.text(lang, "share.topic_text", topic=name))
        label = ctx.text(lang, "button.share_topic", topic=name)
        rows.append([InlineKeyboardButton(label, url=share)])
    return InlineKeyboardMarkup(rows)


async def topic_command(update: Update, ctx: BotContext) -> None:
    """/topic shows the buttons; /topic <name> shows that topic's newest stories."""
    name = raw_args(update)
    async with ctx.sessions() as session:
        chat = await chat_of(session, update, ctx)
        followed = {v for k, v in await chats.subscriptions_of(session, chat.id) if k == TOPIC}
        await session.commit()
        lang = lang_of(chat)
        if not name:
            await reply(
                update,
                ctx.text(lang, "topic.heading"),
                markup=topics_keyboard(ctx, followed, lang),
            )
            return
        topic = resolve_topic(name)
        if topic is None:
            await reply(update, unknown_topic_text(ctx, name, lang))
            return
        views = await latest_stories(session, limit=TOPIC_STORIES, topic=topic)
    heading = ctx.text(lang, "latest.heading_topic", topic=topic_label(topic, lang))
    if views:
        text = render_list(
            views,
            heading=heading,
            lang=lang,
            tz=chat_tz(chat, ctx),
            bot_username=ctx.bot.username,
            catalogue=ctx.state.catalogue,
        ).text
    else:
        text = f"{heading}\n\n{ctx.text(lang, 'latest.empty')}"
    await reply(update, text, markup=follow_keyboard(ctx, topic, topic in followed, lang))


async def toggle_button(update: Update, ctx: BotContext) -> None:
    """A tap on a topic button ("t|slug") or a follow button ("tf|slug"): toggle, edit in place."""
    query = update.callback_query
    if query is None or not query.data:
        return
    kind, _, topic = query.data.partition("|")
    async with ctx.sessions.begin() as session:
        chat = await chat_of(session, update, ctx)
        lang = lang_of(chat)
        if not is_valid_topic(topic):
            await query.answer(ctx.text(lang, "error.expired"))
            return
        if not await may_change(update, ctx):
            await refuse(update, ctx, chat)
            return
        if not await chats.unsubscribe(session, chat.id, TOPIC, topic):
            await chats.subscribe(session, chat.id, TOPIC, topic, ctx.now())
        followed = {v for k, v in await chats.subscriptions_of(session, chat.id) if k == TOPIC}
    now_following = topic in followed
    key = "followed.topic" if now_following else "unfollowed.topic"
    await query.answer(_plain(ctx.text(lang, key, topic=topic_label(topic, lang))))
    markup = (
        topics_keyboard(ctx, followed, lang)
        if kind == "t"
        else follow_keyboard(ctx, topic, now_following, lang)
    )
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as exc:
        # Two quick taps can ask for the same keyboard twice: nothing to change.
        if "not modified" not in str(exc).lower():
            raise


def _plain(text: str) -> str:
    """Callback answers are plain text: drop the catalogue's bold tags."""
    return text.replace("<b>", "").replace("</b>", "")
