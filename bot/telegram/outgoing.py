"""Turn a pure `Rendered` message into what `Bot.send_message` takes (HTML, buttons, preview),
or into the same parameters as plain JSON values for the sender's lean path."""

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
    rows: list[list[tuple[str, str]]],
    app: AppButton | None = None,
    callbacks: list[list[tuple[str, str]]] | None = None,
) -> InlineKeyboardMarkup | None:
    """The app's button first, then URL buttons, then callback buttons, row by row; None when
    there are none."""
    keyboard = [[app_inline_button(app)]] if app is not None else []
    keyboard += [[InlineKeyboardButton(label, url=url) for label, url in row] for row in rows]
    keyboard += [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row]
        for row in callbacks or []
    ]
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
        "reply_markup": url_keyboard(rendered.buttons, rendered.app, rendered.callbacks),
        "link_preview_options": link_preview(rendered),
    }


def send_payload(rendered: Rendered, *, html: bool = True) -> dict[str, Any]:
    """`sendMessage`'s parameters as plain JSON values: what PTB sends for `send_kwargs`.

    The sender's lean path (bot.telegram.lean) posts these without building PTB objects; a
    test holds the two equal, field by field.
    """
    payload: dict[str, Any] = {"text": rendered.text}
    if html:
        payload["parse_mode"] = ParseMode.HTML.value
    keyboard: list[list[dict[str, Any]]] = []
    if rendered.app is not None:
        app = rendered.app
        key = {"web_app": {"url": app.url}} if app.in_app else {"url": app.url}
        keyboard.append([{"text": app.label, **key}])
    keyboard += [[{"text": label, "url": url} for label, url in row] for row in rendered.buttons]
    keyboard += [
        [{"text": label, "callback_data": data} for label, data in row]
        for row in rendered.callbacks
    ]
    if keyboard:
        payload["reply_markup"] = {"inline_keyboard": keyboard}
    if rendered.preview_url is None:
        payload["link_preview_options"] = {"is_disabled": True}
    else:
        payload["link_preview_options"] = {"url": rendered.preview_url, "prefer_large_media": True}
    return payload
