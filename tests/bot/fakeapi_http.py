"""The fake Bot API served over HTTP on loopback, for tests that run `newsbot run` for real."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from tests.bot.fakeapi import BOT_TOKEN, FakeBotAPI


def bot_api_app(api: FakeBotAPI, token: str = BOT_TOKEN) -> web.Application:
    """An aiohttp app answering `/bot<token>/<method>` like api.telegram.org."""

    async def call(request: web.Request) -> web.Response:
        if request.match_info["token"] != token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params: dict[str, Any] = {}
        if request.content_type == "application/json":
            params = await request.json()
        else:
            form = await request.post()
            params = {k: _decode(str(v)) for k, v in form.items()}
        params.update({k: _decode(v) for k, v in request.query.items()})
        status, body = await api.answer(request.match_info["method"], params)
        return web.Response(status=status, body=body, content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", call)
    return app


def _decode(value: str) -> Any:
    """PTB sends objects as JSON text in form fields; numbers and text stay strings."""
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return decoded if isinstance(decoded, dict | list) else value
