"""One progress message per broadcast, edited in place, then the final report."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.delivery.audiences import describe
from bot.i18n import Catalogue
from storage.audiences import Audience
from storage.models import Broadcast

log = logging.getLogger(__name__)
CANCEL_PREFIX = "bc:cancel:"
CONFIRM_PREFIX = "bc:go:"


@dataclass(frozen=True, slots=True)
class Tally:
    """A broadcast's rows by outcome, and how fast they are going."""

    sent: int
    blocked: int
    failed: int
    cancelled: int
    remaining: int
    rate: float

    @classmethod
    def of_tally(cls, tally: dict[str, int], total: int, rate: float) -> Tally:
        """From a broadcast's tally (storage.ledger.tally: no ledger row counted) and reach."""
        sent, blocked = tally.get("sent", 0), tally.get("blocked", 0)
        failed, cancelled = tally.get("failed", 0), tally.get("cancelled", 0)
        remaining = max(0, total - sent - blocked - failed - cancelled)
        return cls(sent, blocked, failed, cancelled, remaining, rate)


def duration(seconds: float) -> str:
    """Seconds as h:mm:ss."""
    whole = max(0, int(seconds))
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def progress_text(cat: Catalogue, lang: str, broadcast: Broadcast, tally: Tally) -> str:
    """The running broadcast's progress: its audience, reach (the preview's count) and tally."""
    eta = tally.remaining / tally.rate if tally.rate > 0 else 0.0
    return cat.text(
        lang,
        "admin.broadcast.progress",
        id=broadcast.id,
        audience=describe(cat, lang, Audience.from_json(broadcast.audience)),
        total=broadcast.total,
        sent=tally.sent,
        blocked=tally.blocked,
        failed=tally.failed,
        remaining=tally.remaining,
        rate=f"{tally.rate:.1f}",
        eta=duration(eta) if tally.rate > 0 else "?",
    )


def report_text(
    cat: Catalogue, lang: str, broadcast: Broadcast, tally: Tally, now: datetime
) -> str:
    """The final report of a finished or cancelled broadcast."""
    status = cat.text(lang, f"admin.status.{broadcast.status}")
    end = broadcast.finished_at or now
    return cat.text(
        lang,
        "admin.broadcast.report",
        id=broadcast.id,
        status=status,
        sent=tally.sent,
        blocked=tally.blocked,
        failed=tally.failed,
        cancelled=tally.cancelled,
        elapsed=duration((end - broadcast.created_at).total_seconds()),
    )


def cancel_keyboard(cat: Catalogue, lang: str, broadcast_id: int) -> InlineKeyboardMarkup:
    """The Cancel button under a running broadcast's progress."""
    label = cat.text(lang, "admin.broadcast.cancel")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=f"{CANCEL_PREFIX}{broadcast_id}")]]
    )


async def edit(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Edit the progress message; an unchanged text or a vanished message is not an error."""
    try:
        await bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=markup,
            parse_mode=ParseMode.HTML,
        )  # fmt: skip
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            log.warning("cannot edit broadcast progress: %s", exc)
    except TelegramError as exc:
        log.warning("cannot edit broadcast progress: %s", exc)
