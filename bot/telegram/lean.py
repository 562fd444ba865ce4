"""The sender's lean path to the Bot API: one pooled aiohttp session, bodies made with orjson.

At the paid 1,000 messages a second PTB's generic path (httpx's connection pool, a RequestData
and a `Message` object per call) cost about 2 ms of CPU a message: most of the sender's time.
The sender's own sendMessage and copyMessage calls go through here instead; every other call
(replies, edits, previews, progress) stays with PTB and its rate limiter. Failures are raised
as PTB's exceptions, mapped as PTB maps them (`telegram.request.BaseRequest._request_wrapper`),
so `bot.delivery.errors.classify` reads both paths alike.

Hand-written on aiohttp (already the project's HTTP client) because no library offers a Bot API
client whose hot path is only the HTTP call: aiogram and PTB both build objects per message.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any

import aiohttp
import orjson
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

JSON = {"Content-Type": "application/json"}
# PTB's HTTPXRequest defaults: 5 s to connect, to write and to read.
TIMEOUT = 5.0


class LeanBotApi:
    """`await api.open()`, then `await api.call(method, body)`; `await api.close()` after."""

    def __init__(self, base_url: str, *, connections: int, timeout: float = TIMEOUT) -> None:
        self._base = f"{base_url.rstrip('/')}/"  # `{api}/bot<token>`, as `Bot.base_url`
        self._connections = connections
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        """Open the pooled session (as many keep-alive connections as sends in flight)."""
        if self._session is not None:
            return
        connector = aiohttp.TCPConnector(limit=self._connections, ttl_dns_cache=300)
        timeout = aiohttp.ClientTimeout(
            total=None, connect=self._timeout, sock_connect=self._timeout,
            sock_read=self._timeout,
        )  # fmt: skip
        self._session = aiohttp.ClientSession(connector=connector, timeout=timeout)

    async def close(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def call(self, method: str, body: bytes) -> Any:
        """POST a JSON body to `method`; return Telegram's `result` or raise PTB's error."""
        if self._session is None:
            raise NetworkError("the lean Bot API session is not open")
        try:
            async with self._session.post(self._base + method, data=body, headers=JSON) as r:
                status, payload = r.status, await r.read()
        except TimeoutError as exc:
            raise TimedOut() from exc
        except (aiohttp.ClientError, OSError, asyncio.IncompleteReadError) as exc:
            raise NetworkError(f"Unknown error in HTTP implementation: {exc!r}") from exc
        if HTTPStatus.OK <= status <= 299:
            try:
                return orjson.loads(payload)["result"]
            except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
                raise TelegramError("Invalid server response") from exc
        raise error_for(status, payload)


def error_for(status: int, payload: bytes) -> TelegramError:
    """The exception PTB raises for a non-2xx answer (same classes, same messages)."""
    try:
        message = f"{HTTPStatus(status).phrase} ({status})"
    except ValueError:
        message = f"Unknown HTTPError ({status})"
    try:
        data = orjson.loads(payload)
        if not isinstance(data, dict):
            raise TypeError(type(data).__name__)
    except (orjson.JSONDecodeError, TypeError):
        message += f". Parsing the server response {payload!r} failed"
    else:
        message = data.get("description") or message
        parameters = data.get("parameters")
        if parameters:
            if migrate_to := parameters.get("migrate_to_chat_id"):
                return ChatMigrated(migrate_to)
            if retry_after := parameters.get("retry_after"):
                return RetryAfter(retry_after)
            message += f". The server response contained unknown parameters: {parameters}"
    if status == HTTPStatus.FORBIDDEN:
        return Forbidden(message)
    if status in (HTTPStatus.NOT_FOUND, HTTPStatus.UNAUTHORIZED):
        return InvalidToken(message)
    if status == HTTPStatus.BAD_REQUEST:
        return BadRequest(message)
    if status == HTTPStatus.CONFLICT:
        return Conflict(message)
    return NetworkError(message)
