"""Keep the chats table true: first sight, added, removed, blocked, unblocked, migrated."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot.delivery.errors import retry_after_seconds
from bot.handlers.chat_access import chat_of, lang_of, place_of, reply
from bot.i18n import pick_language
from bot.telegram.typed_context import BotContext
from storage import chats

log = logging.getLogger(__name__)

_IN = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
_OUT = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


async def track_chat(update: Update, ctx: BotContext) -> None:
    """Record every chat the bot hears from (runs before the other handlers)."""
    if update.effective_chat is None or update.my_chat_member is not None:
        return
    message = update.effective_message
    if message is not None and (message.migrate_to_chat_id or message.migrate_from_chat_id):
        # on_migration moves the old group's row: re-creating either id here would leave a
        # second row with default settings for the move to merge into.
        return
    try:
        async with ctx.sessions.begin() as session:
            await chat_of(session, update, ctx)
    except Exception as exc:
        # The database is away: the command handler that follows meets it too and tells the
        # reader to try again; one "busy" per update, not two.
        if not ctx.resources.watch.failed(exc, "chat tracking"):
            raise


async def on_my_chat_member(update: Update, ctx: BotContext) -> None:
    """The bot was added to, removed from, blocked or unblocked in a chat."""
    change = update.my_chat_member
    if change is None:
        return
    old, new = change.old_chat_member.status, change.new_chat_member.status
    chat = change.chat
    now = ctx.now()
    async with ctx.sessions.begin() as session:
        row = await chat_of(session, update, ctx)
        if new in _OUT:
            reason = "blocked" if chat.type == ChatType.PRIVATE else "removed"
            await chats.mark_inactive(session, chat.id, reason, now)
            log.info("chat %s %s the bot", chat.id, reason)
            return
        if new not in _IN:
            return  # restricted and the like: nothing to do
        await chats.mark_active(session, chat.id, now)
        if chat.type == ChatType.CHANNEL and change.from_user is not None:
            await chats.update_chat(session, row.id, now, managed_by=change.from_user.id)
    lang = lang_of(row)
    if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP) and old in _OUT:
        await ctx.bot.send_message(chat.id, ctx.text(lang, "group.welcome"))
    elif chat.type == ChatType.CHANNEL and old in _OUT and change.from_user is not None:
        handle = f"@{chat.username}" if chat.username else str(chat.id)
        text = ctx.text(lang, "channel.added", name=chat.title or handle, handle=handle)
        try:
            await ctx.bot.send_message(change.from_user.id, text)
        except TelegramError as exc:
            # The admin may never have opened a private chat with the bot.
            log.info("could not tell %s about channel %s: %s", change.from_user.id, chat.id, exc)


async def on_migration(update: Update, ctx: BotContext) -> None:
    """A group became a supergroup: its chat row and all it has move to the new id.

    Telegram tells both chats (migrate_to in the old group, migrate_from in the new supergroup),
    in no promised order; whichever comes first moves the row, the other finds nothing to move.
    """
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old_id, new_id = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old_id, new_id = message.migrate_from_chat_id, message.chat.id
    else:
        return
    async with ctx.sessions.begin() as session:
        moved = await chats.migrate_chat(session, old_id, new_id, ctx.now())
    log.info("chat %s migrated to %s (%d rows)", old_id, new_id, moved)


async def on_error(update: object, ctx: BotContext) -> None:
    """The one error handler: log, then tell a waiting reader what to do.

    Flood control (a reply that could not get a slot in time) is one log line and no apology,
    which would be refused too. A database outage is logged once per outage (not per update)
    and the reader is asked to try again in a moment; anything else is a bug: a traceback.
    """
    error = ctx.error
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, RetryAfter):
        log.warning(
            "a reply to %s was dropped: flood control for %.0f s",
            chat.id if chat else "?",
            retry_after_seconds(error),
        )
        return
    unreachable = isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    resources = ctx.bot_data.resources
    outage = (
        error is not None
        and resources is not None
        and resources.watch.failed(error, "a chat handler")
    )
    if unreachable:
        # Telegram did not answer (5xx, a timeout, the network): not a bug, no traceback.
        log.warning("error while handling %r: Telegram did not answer (%s)", update, error)
    elif not outage:
        log.error("error while handling %r", update, exc_info=error)
    if not isinstance(update, Update) or update.effective_message is None:
        return
    lang = await _apology_language(update, ctx)
    text = ctx.text(lang, "error.busy" if outage else "error.generic")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        else:
            await reply(update, text)
    except TelegramError:
        log.warning("could not apologise in %s", chat.id if chat else "?")


async def _apology_language(update: Update, ctx: BotContext) -> str:
    """The chat's language (what every other reply there uses), else the user's."""
    user = update.effective_user
    fallback = pick_language(None, user.language_code if user else None)
    place = place_of(update)
    if place is None:
        return fallback
    try:
        async with ctx.sessions() as session:
            chat = await chats.get_chat(session, place.chat_id, place.thread_id)
    except Exception as exc:  # the database may be what failed: apologise anyway
        if not ctx.resources.watch.failed(exc, "the apology"):
            log.warning("no chat language for the apology in %s", place.chat_id, exc_info=True)
        return fallback
    return lang_of(chat) if chat is not None else fallback
