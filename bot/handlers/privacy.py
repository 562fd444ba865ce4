"""A reader's data (UU 27/2022): `/privasi`, `/datasaya` (a JSON document), `/hapusdata`.

In groups and channels the data is the chat's, so only its admins may export or delete it
(the same check as changing its subscriptions). `/hapusdata` asks first; its button carries
when it was asked, so a tap after the data was deleted (a second prompt, a second tap, a tap
racing the first) is told so and deletes nothing twice.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.handlers.chat_access import (
    chat_of,
    chat_to_change,
    lang_of,
    may_change,
    place_of,
    refuse,
    reply,
)
from bot.i18n import pick_language
from bot.telegram.typed_context import BotContext
from storage.personal_data import erase_chat, export_chat

log = logging.getLogger(__name__)
PREFIX = "hd|"
PATTERN = r"^hd\|"
# Telegram chats whose erasure this process is running now: a second tap meanwhile is told.
_ERASING: set[int] = set()


async def privacy_command(update: Update, ctx: BotContext) -> None:
    """`/privasi`: what the bot keeps, why, for how long, and the reader's rights."""
    async with ctx.sessions.begin() as session:
        lang = lang_of(await chat_of(session, update, ctx))
    await reply(update, ctx.text(lang, "privacy.policy", days=ctx.settings.retention_days))


async def export_command(update: Update, ctx: BotContext) -> None:
    """`/datasaya`: everything kept about this chat, as a JSON document."""
    place = place_of(update)
    if place is None:
        return
    async with ctx.sessions.begin() as session:
        chat = await chat_to_change(session, update, ctx, "datasaya")
        if chat is None:
            return
        lang = lang_of(chat)
        document = await export_chat(session, place.chat_id, ctx.now())
    body = json.dumps(document, ensure_ascii=False, indent=2).encode()
    name = f"datasaya-{ctx.now().astimezone(ctx.settings.tz).date().isoformat()}.json"
    message = update.effective_message
    if message is None:
        return
    await message.reply_document(
        InputFile(body, filename=name, attach=True),
        caption=ctx.text(lang, "privacy.export.caption"),
        do_quote=False,
    )


async def erase_command(update: Update, ctx: BotContext) -> None:
    """`/hapusdata`: say what would be deleted and what kept, and ask to confirm."""
    async with ctx.sessions.begin() as session:
        chat = await chat_to_change(session, update, ctx, "hapusdata")
        if chat is None:
            return
        lang = lang_of(chat)
    asked = int(ctx.now().timestamp())
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    ctx.text(lang, "privacy.erase.yes"), callback_data=f"{PREFIX}go|{asked}"
                ),
                InlineKeyboardButton(
                    ctx.text(lang, "privacy.erase.no"), callback_data=f"{PREFIX}no"
                ),
            ]
        ]
    )
    await reply(update, ctx.text(lang, "privacy.erase.ask"), markup=buttons)


async def erase_button(update: Update, ctx: BotContext) -> None:
    """Yes or No under the `/hapusdata` prompt."""
    query, place = update.callback_query, place_of(update)
    if query is None or query.data is None or place is None:
        return
    parts = query.data.split("|")
    async with ctx.sessions.begin() as session:
        chat = await chat_of(session, update, ctx)
        lang = lang_of(chat)
        if not await may_change(update, ctx):
            await refuse(update, ctx, chat)
            return
    if parts[1:] == ["no"]:
        await query.answer()
        await _edit(query, ctx.text(lang, "privacy.erase.kept"))
        return
    if len(parts) != 3 or parts[1] != "go" or not parts[2].isdigit():
        await query.answer(ctx.text(lang, "error.expired"))
        return
    if place.chat_id in _ERASING:
        await query.answer(ctx.text(lang, "privacy.erase.running"), show_alert=True)
        return
    asked = datetime.fromtimestamp(int(parts[2]), UTC)
    user = update.effective_user
    fresh = pick_language(None, user.language_code if user else None)
    _ERASING.add(place.chat_id)
    try:
        async with ctx.sessions.begin() as session:
            erased = await erase_chat(
                session, place.chat_id, ctx.now(), asked_at=asked, language=fresh
            )
    finally:
        _ERASING.discard(place.chat_id)
    if erased is None:
        await query.answer(ctx.text(lang, "privacy.erase.already"), show_alert=True)
        await _edit(query, ctx.text(lang, "privacy.erase.already"))
        return
    log.info("deleted the data of a chat on its request (%d follows)", erased.follows)
    await query.answer()
    text = ctx.text(
        lang,
        "privacy.erase.done",
        follows=erased.follows,
        learned=erased.learned,
        deliveries=erased.deliveries,
        digest_items=erased.digest_items,
        kept=erased.kept_keys,
    )
    await _edit(query, text)


async def _edit(query: CallbackQuery, text: str) -> None:
    """Replace the prompt with the outcome (its buttons go)."""
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        log.warning("cannot edit the /hapusdata prompt: %s", exc)
