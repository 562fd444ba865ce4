"""A reader's commands: /start, /help, /subscribe, /unsubscribe, /stop; unknown commands."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.handlers.chat_access import (
    args_of,
    chat_lang,
    chat_of,
    chat_to_change,
    echo,
    lang_of,
    may_change,
    pilihan_times,
    quoted,
    raw_args,
    refuse,
    reply,
    too_many,
    topic_names,
    unknown_topic,
)
from bot.news.search.query import MAX_CHARS, MAX_TERMS, QueryError, parse_query
from bot.news.topics.taxonomy import resolve_topic, topic_label
from bot.telegram.deep_links import (
    PILIHAN_PAYLOAD,
    TOPIC_PAYLOAD,
    share_link,
    start_link,
    topic_of_payload,
)
from bot.telegram.formatting import app_button, esc
from bot.telegram.outgoing import app_inline_button
from bot.telegram.typed_context import BotContext
from storage import chats
from storage.chats import KEYWORD, PILIHAN, TOPIC

KEYWORD_MAX = 100


async def start(update: Update, ctx: BotContext) -> None:
    """Welcome, the follow prompt and share link; deep links follow in one tap."""
    args = args_of(ctx)
    if len(args) > 1:
        await too_many(update, ctx, "start")
        return
    payload = args[0] if args else ""
    if payload == PILIHAN_PAYLOAD:
        await follow(update, ctx, PILIHAN, "")
        return
    if payload.startswith(TOPIC_PAYLOAD):
        topic = topic_of_payload(payload)
        if topic is None:
            lang = await chat_lang(update, ctx)
            await unknown_topic(update, ctx, payload.removeprefix(TOPIC_PAYLOAD), lang)
        else:
            await follow(update, ctx, TOPIC, topic)
        return
    async with ctx.sessions.begin() as session:
        chat = await chat_of(session, update, ctx)
    lang = lang_of(chat)
    key = "start.welcome" if chat.type == ChatType.PRIVATE else "group.welcome"
    text = f"{ctx.text(lang, key)}\n\n<b>{ctx.text(lang, 'follow.prompt')}</b>"
    await reply(update, text, markup=start_keyboard(ctx, lang, chat.type))


def start_keyboard(ctx: BotContext, lang: str, chat_type: str) -> InlineKeyboardMarkup:
    """The "Ikuti" button, the Mini App (with PUBLIC_URL) and a share link to follow in one tap."""
    rows = [[InlineKeyboardButton(ctx.text(lang, "button.follow"), callback_data="f|pilihan")]]
    label = ctx.text(lang, "button.open_app")
    app = app_button(ctx.settings.public_url, chat_type=chat_type, label=label)
    if app is not None:
        rows.append([app_inline_button(app)])
    link = start_link(ctx.bot.username, PILIHAN_PAYLOAD)
    if link:
        share = share_link(link, ctx.text(lang, "share.text"))
        rows.append([InlineKeyboardButton(ctx.text(lang, "button.share"), url=share)])
    return InlineKeyboardMarkup(rows)


async def follow_button(update: Update, ctx: BotContext) -> None:
    """The "Ikuti" button: follow Berita Pilihan (a refusal is the query's answer)."""
    query = update.callback_query
    if query is not None and await follow(update, ctx, PILIHAN, ""):
        await query.answer()


async def help_command(update: Update, ctx: BotContext) -> None:
    """Every command, in the chat's language."""
    async with ctx.sessions.begin() as session:
        chat = await chat_of(session, update, ctx)
    lang = lang_of(chat)
    text = ctx.text(lang, "help.text", topics=topic_names(lang))
    if ctx.bot.username:  # inline mode: `@bot kata` in any chat
        text += "\n\n" + ctx.text(lang, "help.inline", bot=esc(ctx.bot.username))
    await reply(update, text)


async def subscribe(update: Update, ctx: BotContext) -> None:
    """Follow Berita Pilihan; with a topic or a "keyword", instant pushes for it."""
    target = await _target(update, ctx, "subscribe")
    if target is not None:
        await follow(update, ctx, *target)


async def unsubscribe(update: Update, ctx: BotContext) -> None:
    """Stop following Berita Pilihan, or one topic or keyword."""
    target = await _target(update, ctx, "unsubscribe")
    if target is None:
        return
    kind, value = target
    async with ctx.sessions.begin() as session:
        chat = await chat_of(session, update, ctx)
        lang = lang_of(chat)
        if not await may_change(update, ctx):
            await refuse(update, ctx, chat)
            return
        removed = await chats.unsubscribe(session, chat.id, kind, value)
    what = _what(ctx, lang, kind, value)
    if not removed:
        await reply(update, ctx.text(lang, "not_following", what=what))
        return
    await reply(update, ctx.text(lang, f"unfollowed.{kind}", topic=what, keyword=what))


async def stop(update: Update, ctx: BotContext) -> None:
    """Unsubscribe from everything; the chat and its history stay."""
    async with ctx.sessions.begin() as session:
        chat = await chat_to_change(session, update, ctx, "stop")
        if chat is None:
            return
        lang = lang_of(chat)
        removed = await chats.unsubscribe(session, chat.id)
    await reply(update, ctx.text(lang, "stopped" if removed else "stop.nothing"))


async def follow(update: Update, ctx: BotContext, kind: str, value: str) -> bool:
    """Subscribe the chat (admins only in groups and channels) and confirm; False if refused."""
    async with ctx.sessions.begin() as session:
        chat = await chat_of(session, update, ctx)
        lang = lang_of(chat)
        if not await may_change(update, ctx):
            await refuse(update, ctx, chat)
            return False
        added = await chats.subscribe(session, chat.id, kind, value, ctx.now())
    what = _what(ctx, lang, kind, value)
    times = ", ".join(pilihan_times(chat, ctx))
    key = f"{'followed' if added else 'already'}.{kind}"
    await reply(update, ctx.text(lang, key, times=times, topic=what, keyword=what))
    return True


async def _target(update: Update, ctx: BotContext, command: str) -> tuple[str, str] | None:
    """(kind, value) a /subscribe or /unsubscribe names, or None after explaining why not."""
    text = raw_args(update)
    if not text:
        return PILIHAN, ""
    keyword = quoted(text)
    lang = await chat_lang(update, ctx)
    if keyword is None and any(word.startswith("-") for word in text.split()):
        keyword = " ".join(text.split())  # `/subscribe banjir -jakarta`: a keyword, unquoted
    if keyword is not None:
        if not 2 <= len(keyword) <= KEYWORD_MAX:
            await reply(update, ctx.text(lang, "error.keyword", max=KEYWORD_MAX))
            return None
        if command == "subscribe":
            # A keyword is matched as a search (bot.delivery.pushes): one that could never
            # match anything is refused with the reason, as /cari would give it.
            try:
                parse_query(keyword)
            except QueryError as error:
                values = {"max_chars": MAX_CHARS, "max_terms": MAX_TERMS}
                await reply(update, ctx.text(lang, error.key, **values))
                return None
        return KEYWORD, keyword.casefold()
    if text.casefold() in ("pilihan", "berita pilihan"):
        return PILIHAN, ""
    topic = resolve_topic(text)
    if topic is not None:
        return TOPIC, topic
    if len(text.split()) > 3:
        await too_many(update, ctx, command, lang=lang)
        return None
    await unknown_topic(update, ctx, text, lang)
    return None


async def unknown_command(update: Update, ctx: BotContext) -> None:
    """A command the bot does not know: point at /help (in groups only when addressed to us)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    word = message.text.split(maxsplit=1)[0]
    command, _, addressee = word.partition("@")
    if (
        message.chat.type != ChatType.PRIVATE
        and addressee.casefold() != (ctx.bot.username or "").casefold()
    ):
        return  # another bot's command, or one for every bot: not ours to answer
    lang = await chat_lang(update, ctx)
    await reply(update, ctx.text(lang, "unknown.command", command=echo(command)))


async def stale_button(update: Update, ctx: BotContext) -> None:
    """A button from an older version of the bot, or forged data: say so, stop the spinner."""
    if update.callback_query is not None:
        await update.callback_query.answer(ctx.text(await chat_lang(update, ctx), "error.expired"))


def _what(ctx: BotContext, lang: str, kind: str, value: str) -> str:
    if kind == PILIHAN:
        return ctx.text(lang, "what.pilihan")
    if kind == TOPIC:
        return esc(topic_label(value, lang))
    return esc(value)
