"""Turn a pure `Rendered` message into what `Bot.send_message` takes (HTML, buttons, preview)."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, WebAppInfo
from telegram.constants import ParseMode

from bot.telegram.formatting import AppButton, Rendered


def app_inline_button(button: AppButton) -> InlineKeyboardButton:
    """The Mini App's button: `web_app` in private chats, a plain link elsewhere."""
    if button.in_app:
        return InlineKeyboardButton(button.label, web_app=WebAppInfo(url=button.url))
    return InlineKeyboardButton(button.label, url=button.url)


def url_keyboard(
    rows: list[list[tuple[str, str]]], app: AppButton | None = None
) -> InlineKeyboardMarkup | None:
    """The app's button first, then URL buttons, row by row; None when there are none."""
    keyboard = [[app_inline_button(app)]] if app is not None else []
    keyboard += [[InlineKeyboardButton(label, url=url) for label, url in row] for row in rows]
    return InlineKeyboardMarkup(keyboard) if keyboard else None


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
        "reply_markup": url_keyboard(rendered.buttons, rendered.app),
        "link_preview_options": link_preview(rendered),
    }
