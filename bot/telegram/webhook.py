"""Telegram's webhook, received on the bot's own aiohttp server (beside the Mini App).

PTB's built-in webhook server (tornado) can serve nothing else, and a platform routes one
port to `newsbot web`; so updates arrive here and go into the Application's update queue, as
PTB's custom-webhook examples do. Telegram's secret-token header is checked in constant time:
a forged update gets 403 and never reaches a handler.
"""

from __future__ import annotations

import hmac
import logging

from aiohttp import web
from telegram import Update

from bot.telegram.typed_context import BotApp

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def add_webhook(app: web.Application, application: BotApp, path: str, secret: str | None) -> None:
    """Receive updates POSTed to `/path` and queue them for the Application."""

    async def receive(request: web.Request) -> web.Response:
        if secret is not None:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), secret.encode()):
                log.warning("webhook: refused an update without the secret token")
                return web.Response(status=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except Exception as exc:  # not JSON, or not an update: say so, keep serving
            log.warning("webhook: refused a body that is not an update: %s", exc)
            return web.Response(status=400)
        await application.update_queue.put(update)
        return web.Response()

    app.router.add_post("/" + path.strip("/"), receive)


async def register_webhook(
    application: BotApp, url: str, secret: str | None, allowed_updates: list[str]
) -> None:
    """Tell Telegram where to send updates (setWebhook)."""
    await application.bot.set_webhook(
        url=url, secret_token=secret, allowed_updates=allowed_updates
    )
