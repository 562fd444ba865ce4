"""How the sender's messages reach Telegram: PTB's `Bot`, or the lean path at high rates.

Both answer the same question for one `Outgoing` (was it accepted, under which message id, or
what does the ledger do next) with the one error mapping of bot.delivery.errors.
"""

from __future__ import annotations

from typing import Any, Protocol

import orjson
from telegram import Bot, MessageId

from bot.delivery.compose import Outgoing
from bot.delivery.errors import Action, Verdict, classify
from bot.telegram.formatting import Rendered
from bot.telegram.lean import LeanBotApi
from bot.telegram.outgoing import send_kwargs, send_payload

Attempt = tuple[Verdict, int | None]


class Transport(Protocol):
    """Sends one message; opened before the first and closed after the last."""

    async def open(self) -> None:
        """Open connections."""
        ...

    async def close(self) -> None:
        """Close them."""
        ...

    async def send(self, item: Outgoing, *, html: bool, paid: bool) -> Attempt:
        """Send `item` (as HTML, or plain text); `paid`: with allow_paid_broadcast."""
        ...


def _common(item: Outgoing, paid: bool) -> dict[str, Any]:
    return {
        "chat_id": item.chat_id,
        "message_thread_id": item.thread_id or None,
        "allow_paid_broadcast": True if paid else None,
    }


class PtbTransport:
    """Through PTB's `Bot` (its HTTP client, objects and error mapping)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def open(self) -> None:
        """The Bot is opened by its owner."""

    async def close(self) -> None:
        """And closed by it."""

    async def send(self, item: Outgoing, *, html: bool, paid: bool) -> Attempt:
        """Send through the Bot."""
        common = _common(item, paid)
        try:
            if item.copy_from is not None:
                copied: MessageId = await self._bot.copy_message(
                    from_chat_id=item.copy_from[0], message_id=item.copy_from[1], **common
                )
                return Verdict(Action.SENT), copied.message_id
            assert item.rendered is not None
            kwargs = send_kwargs(item.rendered)
            if not html:
                kwargs["parse_mode"] = None
            message = await self._bot.send_message(**common, **kwargs)
            return Verdict(Action.SENT), message.message_id
        except Exception as exc:
            return classify(exc), None


class LeanTransport:
    """Through one pooled aiohttp session with JSON bodies made by orjson (bot.telegram.lean).

    A broadcast's messages differ only in the chat: the body after the chat's fields is
    serialised once per message content (the composer gives a batch's rows one `Rendered`)
    and reused while the same content follows.
    """

    def __init__(self, api: LeanBotApi) -> None:
        self._api = api
        self._tail_of: tuple[Rendered, bool] | None = None
        self._tail = b"{}"

    async def open(self) -> None:
        """Open the session."""
        await self._api.open()

    async def close(self) -> None:
        """Close it."""
        await self._api.close()

    async def send(self, item: Outgoing, *, html: bool, paid: bool) -> Attempt:
        """POST sendMessage (or copyMessage) and read only the message id back."""
        head = {k: v for k, v in _common(item, paid).items() if v is not None}
        try:
            if item.copy_from is not None:
                head["from_chat_id"], head["message_id"] = item.copy_from
                copied = await self._api.call("copyMessage", orjson.dumps(head))
                return Verdict(Action.SENT), int(copied["message_id"])
            assert item.rendered is not None
            result = await self._api.call("sendMessage", self._body(head, item.rendered, html))
            return Verdict(Action.SENT), int(result["message_id"])
        except Exception as exc:
            return classify(exc), None

    def _body(self, head: dict[str, Any], rendered: Rendered, html: bool) -> bytes:
        cached = self._tail_of
        if cached is None or cached[0] is not rendered or cached[1] != html:
            self._tail = orjson.dumps(send_payload(rendered, html=html))
            self._tail_of = (rendered, html)
        # '{"chat_id":1,…}' + '{"text":…}' joined into one object.
        return orjson.dumps(head)[:-1] + b"," + self._tail[1:]
