"""What every handler needs: where an update came from, its language, permission, replies."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import TelegramError

from bot.delivery.quiet import chat_zone
from bot.i18n import pick_language
from bot.news.topics.taxonomy import (
    TAXONOMY,
    topic_label,
)
from bot.telegram.formatting import esc
from bot.telegram.typed_context import BotContext
from storage import chats
from storage.models import Chat

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_ADMINS = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
ECHO_MAX = 64  # characters of a reader's input quoted back in an error


@dataclass(frozen=True, slots=True)
class Place:
    """Where an update came from: a chat and, in forums, a topic thread (0 = none)."""

    chat_id: int
    thread_id: int
    type: str
    title: str | None
    username: str | None


def place_of(update: Update) -> Place | None:
    """The chat (and forum topic) an update belongs to."""
    chat = update.effective_chat
    if chat is None:
        return None
    message = update.effective_message
    thread = 0
    if isinstance(message, Message) and message.is_topic_message and message.message_thread_id:
        thread = message.message_thread_id
    title = chat.title or chat.full_name
    return Place(chat.id, thread, chat.type, title, chat.username)


async def chat_of(session: AsyncSession, update: Update, ctx: BotContext) -> Chat:
    """The stored chat of an update, created on first sight in the user's language."""
    place = place_of(update)
    if place is None:
        raise ValueError("update without a chat")
    user = update.effective_user
    return await chats.ensure_chat(
        session,
        chat_id=place.chat_id,
        thread_id=place.thread_id,
        type=place.type,
        title=place.title,
        username=place.username,
        language=pick_language(None, user.language_code if user else None),
        now=ctx.now(),
    )


def chat_tz(chat: Chat, ctx: BotContext) -> tzinfo:
    """The chat's time zone, else the bot's."""
    return chat_zone(chat.timezone, ctx.settings.tz)


def pilihan_times(chat: Chat, ctx: BotContext) -> list[str]:
    """The chat's Berita Pilihan times as HH:MM."""
    if chat.pilihan_times:
        return list(chat.pilihan_times)
    return [t.strftime("%H:%M") for t in ctx.settings.pilihan_times]


async def may_change(update: Update, ctx: BotContext) -> bool:
    """Private chats always; elsewhere only the chat's admins (or its own anonymous posts)."""
    chat = update.effective_chat
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    if update.callback_query is None:
        # A message's sender_chat is trustworthy only for what is posted in the chat itself:
        # only a channel's admins can post in it, and a group's anonymous admins post as the
        # group. The bot's own posts carry the channel as sender_chat too, so a button under
        # one proves nothing about who tapped it: taps are checked below by the tapping user.
        if chat.type == ChatType.CHANNEL:
            return update.channel_post is not None
        message = update.message
        if message is not None and message.sender_chat is not None:
            return message.sender_chat.id == chat.id
    user = update.effective_user
    if user is None:
        return False
    try:
        member = await ctx.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.warning("admin check failed in %s: %s", chat.id, exc)
        return False
    return member.status in _ADMINS


async def refuse(update: Update, ctx: BotContext, chat: Chat) -> None:
    """Say only the chat's admins may change it: an alert under a tapped button, else a reply."""
    key = "error.admin_only_channel" if chat.type == ChatType.CHANNEL else "error.admin_only"
    text = ctx.text(lang_of(chat), key)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, text)


async def reply(
    update: Update,
    text: str,
    *,
    markup: InlineKeyboardMarkup | None = None,
    preview: LinkPreviewOptions = NO_PREVIEW,
) -> None:
    """Answer in the same chat and forum topic, HTML, without a link preview unless asked."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        link_preview_options=preview,
        do_quote=False,
    )


def topic_names(lang: str) -> str:
    """Every taxonomy topic's name, for help and error messages."""
    return ", ".join(topic_label(t.slug, lang) for t in TAXONOMY)


def raw_args(update: Update) -> str:
    """Everything after the command word, as typed (quotes kept)."""
    message = update.effective_message
    text = (message.text or "") if message else ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def quoted(text: str) -> str | None:
    """The keyword inside "…", “…” or «…», if the text is one quoted phrase."""
    pairs = {'"': '"', "“": "”", "«": "»", "'": "'"}
    if len(text) >= 2 and text[0] in pairs and text.endswith(pairs[text[0]]):
        return " ".join(text[1:-1].split())
    return None


def args_of(ctx: BotContext) -> list[str]:
    """The command's arguments (PTB's split on whitespace)."""
    return list(ctx.args or [])


def checked(ctx: BotContext, lang: str, label: str, on: bool) -> str:
    """A button label, marked when its choice is the chat's."""
    return ctx.text(lang, "button.checked", label=label) if on else label


def lang_of(chat: Chat) -> str:
    """The chat's language."""
    return chat.language or "id"


def keyboard_rows(rows: list[list[Any]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of buttons."""
    return InlineKeyboardMarkup(rows)


async def chat_lang(update: Update, ctx: BotContext) -> str:
    """The language of the update's chat."""
    async with ctx.sessions.begin() as session:
        return lang_of(await chat_of(session, update, ctx))


async def too_many(
    update: Update, ctx: BotContext, command: str, *, lang: str | None = None
) -> None:
    """Say there were too many arguments, with the command's example from the catalogue."""
    lang = lang or await chat_lang(update, ctx)
    example = ctx.text(lang, f"example.{command}")
    await reply(update, ctx.text(lang, "error.too_many", example=example))


async def chat_to_change(
    session: AsyncSession, update: Update, ctx: BotContext, command: str
) -> Chat | None:
    """The chat a word-less command changes (or hands over): None, after saying why, when
    words were given or the sender may not change the chat."""
    chat = await chat_of(session, update, ctx)
    if args_of(ctx):
        await too_many(update, ctx, command, lang=lang_of(chat))
        return None
    if not await may_change(update, ctx):
        await refuse(update, ctx, chat)
        return None
    return chat


async def button_allowed(update: Update, ctx: BotContext) -> bool:
    """In a channel every viewer sees a post's buttons, but acting on one edits or posts:
    only the channel's admins may (False, after saying so). Elsewhere anyone may."""
    if update.effective_chat is None or update.effective_chat.type != ChatType.CHANNEL:
        return True
    async with ctx.sessions.begin() as session:
        chat = await chat_of(session, update, ctx)
    if await may_change(update, ctx):
        return True
    await refuse(update, ctx, chat)
    return False


def echo(typed: str) -> str:
    """What a reader typed, shortened and escaped, to quote back in a reply.

    Quoting it whole could push the reply past Telegram's 4096 characters, and unescaped it
    could be read as markup: either way the reader would get an error instead of help.
    """
    typed = " ".join(typed.split())
    if len(typed) > ECHO_MAX:
        typed = typed[: ECHO_MAX - 1].rstrip() + "…"
    return esc(typed)


def unknown_topic_text(ctx: BotContext, name: str, lang: str) -> str:
    """The topic does not exist, and the topics that do."""
    return ctx.text(lang, "unknown.topic", name=echo(name), topics=topic_names(lang))


async def unknown_topic(update: Update, ctx: BotContext, name: str, lang: str) -> None:
    """Say the topic does not exist and list the topics."""
    await reply(update, unknown_topic_text(ctx, name, lang))


def is_number(text: str) -> bool:
    """Whether an argument is a (signed) whole number."""
    return text.lstrip("-+").isdigit()
