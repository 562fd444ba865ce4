"""The feedback buttons under pushes and digests: "Lebih banyak / Kurangi seperti ini", reset.

A tap teaches the chat's profile (bot.delivery.personal). In a private chat the reader's taps
teach it; in a group or a channel only the chat's admins' taps do — one member's taste must not
reorder the news of everyone else there — and anyone else is told so, with nothing changed.
Every tap is answered with a short notice under the button; none posts a message.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.constants import ChatType

from bot.delivery import personal
from bot.delivery.personal import Learned
from bot.handlers.chat_access import chat_of, lang_of, may_change
from bot.news.affinity import Signal
from bot.telegram.formatting import FEEDBACK_RESET
from bot.telegram.typed_context import BotContext
from storage import affinities

PATTERN = r"^fb\|(?:[+-]\|\d{1,18}|r)$"
_VOTE = re.compile(r"^fb\|([+-])\|(\d{1,18})$")
_ANSWERS = {
    Learned.ALREADY: "feedback.already",
    Learned.STORY_GONE: "feedback.story_gone",
    Learned.RESET: "feedback.stale_reset",
    Learned.ERASED: "feedback.erased",
    Learned.NO_CHAT: "feedback.erased",
}


async def feedback_button(update: Update, ctx: BotContext) -> None:
    """Learn from a 👍/👎 tap, or forget what was learned (the reset button)."""
    callback = update.callback_query
    if callback is None or not callback.data or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE and not await may_change(update, ctx):
        async with ctx.sessions.begin() as session:
            lang = lang_of(await chat_of(session, update, ctx))
        await callback.answer(ctx.text(lang, "feedback.admins_only"), show_alert=True)
        return
    now = ctx.now()
    message = callback.message
    sent_at = message.date if message is not None else None
    async with ctx.sessions.begin() as session:
        chat = await chat_of(session, update, ctx)
        lang = lang_of(chat)
        if callback.data == FEEDBACK_RESET:
            erased = chat.erased_at
            if (
                sent_at is not None
                and erased is not None
                and sent_at < erased.replace(microsecond=0)
            ):
                key = "feedback.erased"
            else:
                forgotten = await affinities.reset(session, chat.id, now)
                key = "feedback.reset_done" if forgotten.weights else "feedback.reset_none"
        else:
            vote = _VOTE.match(callback.data)
            if vote is None:
                return
            signal = Signal.MORE if vote.group(1) == "+" else Signal.LESS
            story_id = int(vote.group(2))
            learned = await personal.learn(
                session, chat.id, story_id, signal, now, sent_at=sent_at
            )
            if learned is Learned.LEARNED:
                key = f"feedback.learned_{signal.value}"
            else:
                key = _ANSWERS[learned]
    await callback.answer(ctx.text(lang, key))
