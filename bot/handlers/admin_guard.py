"""Who is an admin (ADMIN_IDS plus /admin add), and the guard every admin command wears.

Anyone else gets one polite refusal (no detail about what the command does) and the attempt is
written to the event log.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.handlers.chat_access import reply
from bot.telegram.typed_context import BotContext
from storage.models import Admin, EventLog

log = logging.getLogger(__name__)
Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
ADMIN_LANG = "id"


async def is_admin(ctx: BotContext, user_id: int) -> bool:
    """Tell whether a user is in ADMIN_IDS or was added with /admin add."""
    if user_id in ctx.settings.admin_ids:
        return True
    async with ctx.sessions() as session:
        return await session.get(Admin, user_id) is not None


def admin_only(handler: Handler) -> Handler:
    """Run the handler for admins; refuse everyone else politely and log the attempt."""

    @functools.wraps(handler)
    async def guarded(update: Update, ctx: BotContext) -> None:
        user = update.effective_user
        if user is not None and await is_admin(ctx, user.id):
            await handler(update, ctx)
            return
        what = handler.__name__.removesuffix("_command")
        async with ctx.sessions.begin() as session:
            session.add(
                EventLog(
                    kind="admin_refused",
                    message=f"user {user.id if user else '?'} tried {what}",
                    created_at=ctx.now(),
                )
            )
        log.info("refused admin command %s from %s", what, user.id if user else None)
        if update.callback_query is not None:
            await update.callback_query.answer(ctx.text(ADMIN_LANG, "admin.refused"))
        else:
            await reply(update, ctx.text(admin_lang(update), "admin.refused"))

    return guarded


def admin_lang(update: Update) -> str:
    """English for admins whose Telegram is in English, else Indonesian."""
    user = update.effective_user
    code = user.language_code if user else None
    return "en" if code and code.lower().startswith("en") else ADMIN_LANG
