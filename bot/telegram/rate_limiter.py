"""Every call to Telegram that sends draws on the bot's one budget (PTB's rate-limiter hook).

PTB routes each Bot API request through `process_request`. Calls the sender already paced
(its sends and progress edits run with `PACED` set) go straight through. Every other call that
puts a message in a chat (replies, previews, edits, apologies) waits for a slot of that chat
and of the bot, and callback and inline answers for a slot of the bot; when Telegram answers
429 anyway the hold is shared with the sender and, if it ends within the reply's patience, the
call is made again. A reply that cannot go out within its patience is not sent: the handler
gets `RetryAfter`, which the error handler logs in one line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.delivery.budget import PACED, SendBudget
from bot.delivery.errors import retry_after_seconds

log = logging.getLogger(__name__)

# Methods that put (or change) a message in a chat: each counts against the chat's limit.
CHAT_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendAnimation", "sendVideo", "sendAudio",
        "sendVoice", "sendSticker", "sendMediaGroup", "sendPoll", "sendLocation", "sendVenue",
        "sendContact", "sendDice", "copyMessage", "copyMessages", "forwardMessage",
        "forwardMessages", "editMessageText", "editMessageCaption", "editMessageMedia",
        "editMessageReplyMarkup",
    }
)  # fmt: skip
# Answers that go to no chat, but still count against the bot as a whole.
BOT_METHODS = frozenset({"answerCallbackQuery", "answerInlineQuery"})
Result = bool | dict[str, Any] | list[dict[str, Any]]


def chat_type_of(chat_id: int) -> str:
    """Private chats have positive ids; groups, supergroups and channels negative ones."""
    return "private" if chat_id > 0 else "group"


class BudgetRateLimiter(BaseRateLimiter[None]):
    """Holds replies to the budget the sender draws on; `patience`: longest wait per call."""

    def __init__(self, budget: SendBudget, *, patience: float) -> None:
        self._budget = budget
        self._patience = patience
        self.dropped = 0  # replies given up on (flood control longer than the patience)

    async def initialize(self) -> None:
        """Nothing to open: the budget belongs to the process."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Result:
        """Wait for a slot, call, and wait out a 429 when it is short enough."""
        if PACED.get() or (endpoint not in CHAT_METHODS and endpoint not in BOT_METHODS):
            return await callback(*args, **kwargs)
        chat_id = _chat_id(data) if endpoint in CHAT_METHODS else None
        chat_type = chat_type_of(chat_id) if chat_id is not None else "private"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._patience
        while True:
            left = max(0.0, deadline - loop.time())
            if not await self._budget.reply_slot(chat_id, chat_type, patience=left):
                self.dropped += 1
                raise RetryAfter(_wait_left(self._budget, chat_id))
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                await self._budget.flood(chat_id, seconds, bot_wide=chat_id is None)
                if loop.time() + seconds > deadline:
                    self.dropped += 1
                    raise
                log.info("%s to %s: flood control for %.0f s, waiting", endpoint, chat_id, seconds)


def _chat_id(data: dict[str, Any]) -> int | None:
    value = data.get("chat_id")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):  # a channel's @username: no id to pace by
        return None


def _wait_left(budget: SendBudget, chat_id: int | None) -> timedelta:
    pacer = budget.pacer
    held = pacer.paused_until
    if chat_id is not None:
        held = max(held, pacer.ready_at(chat_id))
    return timedelta(seconds=max(1, int(held - pacer.now()) + 1))
