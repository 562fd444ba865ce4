"""The one place that maps python-telegram-bot's exceptions to what the ledger does next."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

# Backoff for transient failures: 2, 4, 8 … seconds, capped; after this many tries, give up.
BACKOFF_CAP = 300.0
MAX_ATTEMPTS = 12
_CHAT_GONE = ("chat not found", "user is deactivated", "bot was kicked", "bot was blocked")
_NOT_MODIFIED = "message is not modified"
_BAD_ENTITIES = "can't parse entities"


class Action(enum.Enum):
    """What to do with a row after a send attempt."""

    SENT = "sent"
    DEFER = "deferred"  # flood control: retry after `delay`, never drop
    CHAT_GONE = "blocked"  # the chat becomes inactive, its rows skipped
    MIGRATE = "migrated"  # move the chat to `new_chat_id`, then resend
    RETRY = "retried"  # transient: back off and retry
    PLAIN_TEXT = "plain_text"  # our HTML did not parse: resend as plain text
    FAIL = "failed"  # permanent for this message


@dataclass(frozen=True, slots=True)
class Verdict:
    """An action and what it needs."""

    action: Action
    reason: str = ""
    delay: float = 0.0
    new_chat_id: int | None = None


def retry_after_seconds(exc: RetryAfter) -> float:
    """Seconds Telegram asks us to wait (PTB_TIMEDELTA=1 gives a timedelta; accept both)."""
    value: object = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]


def backoff(attempts: int) -> float:
    """Seconds before retry number `attempts` of a transient failure."""
    return float(min(BACKOFF_CAP, 2.0 ** max(1, attempts)))


def classify(exc: Exception) -> Verdict:
    """Map an exception raised by a Bot API call to a verdict."""
    text = str(exc)
    lowered = text.lower()
    if isinstance(exc, RetryAfter):
        return Verdict(Action.DEFER, text, delay=retry_after_seconds(exc))
    if isinstance(exc, ChatMigrated):
        return Verdict(Action.MIGRATE, text, new_chat_id=int(exc.new_chat_id))
    if isinstance(exc, Forbidden):
        return Verdict(Action.CHAT_GONE, text)
    if isinstance(exc, BadRequest):
        if _NOT_MODIFIED in lowered:
            return Verdict(Action.SENT, text)
        if _BAD_ENTITIES in lowered:
            return Verdict(Action.PLAIN_TEXT, text)
        if any(gone in lowered for gone in _CHAT_GONE):
            return Verdict(Action.CHAT_GONE, text)
        return Verdict(Action.FAIL, text)
    if isinstance(exc, InvalidToken):
        # Every send would fail the same way: keep the work owed until the token is fixed.
        return Verdict(Action.RETRY, text)
    if isinstance(exc, NetworkError):  # TimedOut and 5xx answers are NetworkErrors in PTB
        return Verdict(Action.RETRY, text)
    if isinstance(exc, TelegramError):
        return Verdict(Action.FAIL, text)
    return Verdict(Action.RETRY, f"{type(exc).__name__}: {text}")
