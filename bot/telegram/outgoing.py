"""Turn a pure `Rendered` message into what `Bot.send_message` takes (HTML, buttons, preview)."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode

from bot.telegram.formatting import Rendered


def url_keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    """URL buttons, row by row; None when there are none."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, url=url) for label, url in row] for row in rows]
    )


def link_preview(rendered: Rendered) -> LinkPreviewOptions:
    """Preview the lead image (or article) above nothing; no preview for lists."""
    if rendered.preview_url is None:
        return LinkPreviewOptions(is_disabled=True)
    return LinkPreviewOptions(url=rendered.preview_url, prefer_large_media=True)


def send_kwargs(rendered: Rendered) -> dict[str, Any]:
    """Keyword arguments for `bot.send_message(chat_id, **send_kwargs(r))`."""
    return {
        "text": rendered.text,
        "parse_mode": ParseMode.HTML,
        "reply_markup": url_keyboard(rendered.buttons),
        "link_preview_options": link_preview(rendered),
    }
