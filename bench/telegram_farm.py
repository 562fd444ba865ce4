"""A loopback Bot API over HTTP that records every message and can enforce Telegram's limits.

Serves `/bot<token>/<method>` for getMe, getUpdates (always empty), sendMessage, copyMessage
and editMessageText, and answers True to anything else. With limits on, it answers 429 with
`retry_after` past 30 messages in any second overall, 1 a second per private chat, or 20 a
minute per group, as Telegram does.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT = {"id": 7000001, "is_bot": True, "first_name": "Berita", "username": "berita_bench_bot"}


@dataclass(frozen=True, slots=True)
class Limits:
    """Telegram's sending limits."""

    overall_per_second: int = 30
    private_gap: float = 1.0
    group_per_minute: int = 20


@dataclass(frozen=True, slots=True)
class Received:
    """One message the farm accepted."""

    chat_id: int
    method: str
    text: str
    at: float  # monotonic seconds


@dataclass
class TelegramFarm:
    """Start with `await farm.start()` (it returns the API base URL), stop with `close()`."""

    limits: Limits | None = None
    latency: float = 0.0
    received: list[Received] = field(default_factory=list)
    too_many: int = 0
    refused: list[tuple[int, str, float]] = field(default_factory=list)  # chat, limit, when
    _recent: deque[float] = field(default_factory=deque)
    _private_last: dict[int, float] = field(default_factory=dict)
    _group_recent: dict[int, deque[float]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _next_id: int = 1
    _last_limit: str = ""

    async def start(self) -> str:
        """Serve on 127.0.0.1 on a free port; return the URL to use as TELEGRAM_API_URL."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        return f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()

    def per_chat(self) -> dict[int, int]:
        """Messages accepted per chat."""
        counts: dict[int, int] = {}
        for r in self.received:
            counts[r.chat_id] = counts.get(r.chat_id, 0) + 1
        return counts

    def worst_second(self) -> int:
        """The most messages accepted inside any one-second window."""
        times = sorted(r.at for r in self.received)
        worst, start = 0, 0
        for end, t in enumerate(times):
            while t - times[start] >= 1.0:
                start += 1
            worst = max(worst, end - start + 1)
        return worst

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        if self.latency:
            await asyncio.sleep(self.latency)
        if method == "getMe":
            return _ok(BOT)
        if method == "getUpdates":
            # Long polling with nothing to deliver: hold the call a moment, like Telegram.
            await asyncio.sleep(min(float(params.get("timeout") or 0), 1.0))
            return _ok([])
        if method not in ("sendMessage", "copyMessage", "editMessageText"):
            return _ok(True)
        chat_id = int(params.get("chat_id", 0))
        now = time.monotonic()
        if method != "editMessageText" and self.limits is not None:
            wait = self._over_limit(chat_id, now)
            if wait:
                self.too_many += 1
                self.refused.append((chat_id, self._last_limit, now))
                return _error(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        self._next_id += 1
        text = str(params.get("text", ""))
        if method != "editMessageText":
            self.received.append(Received(chat_id, method, text, now))
        if method == "copyMessage":
            return _ok({"message_id": self._next_id})
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        if chat_id < 0:
            chat["title"] = "Group"
        else:
            chat["first_name"] = "Reader"
        message = {"message_id": self._next_id, "date": int(time.time()), "chat": chat}
        return _ok({**message, "text": text, "from": BOT})

    def _over_limit(self, chat_id: int, now: float) -> int:
        limits = self.limits
        assert limits is not None
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) >= limits.overall_per_second:
            self._last_limit = "overall"
            return 1
        if chat_id > 0:
            last = self._private_last.get(chat_id)
            if last is not None and now - last < limits.private_gap:
                self._last_limit = "private"
                return 1
            self._private_last[chat_id] = now
        else:
            recent = self._group_recent.setdefault(chat_id, deque())
            while recent and now - recent[0] >= 60.0:
                recent.popleft()
            if len(recent) >= limits.group_per_minute:
                self._last_limit = "group"
                return max(1, int(60 - (now - recent[0])) + 1)
            recent.append(now)
        self._recent.append(now)
        return 0


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        params[key] = value if isinstance(value, str) else str(value)
    return params


def _ok(result: Any) -> web.Response:
    return web.Response(
        text=json.dumps({"ok": True, "result": result}), content_type="application/json"
    )


def _error(status: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.Response(status=status, text=json.dumps(body), content_type="application/json")


def summary(farm: TelegramFarm, *, texts: bool = False) -> dict[str, Any]:
    """What the farm saw, as JSON-able figures (per-chat counts; every message's text too)."""
    times = [r.at for r in farm.received]
    extra = {"messages": [[r.chat_id, r.text] for r in farm.received]} if texts else {}
    return extra | {
        "received": len(farm.received),
        "too_many": farm.too_many,
        "worst_second": farm.worst_second(),
        "first": min(times) if times else None,
        "last": max(times) if times else None,
        "per_chat": {str(k): v for k, v in farm.per_chat().items()},
        "refused": [[chat, limit] for chat, limit, _ in farm.refused],
    }


async def serve(limits: Limits | None, paid_rate: int) -> None:
    """Serve until killed; print `READY <url>` once listening; GET /_stats gives `summary`."""
    if limits is not None and paid_rate:
        limits = Limits(overall_per_second=paid_rate)
    farm = TelegramFarm(limits=limits)
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", farm._handle)

    async def stats(request: web.Request) -> web.Response:
        return web.json_response(summary(farm, texts="texts" in request.query))

    async def reset(_: web.Request) -> web.Response:
        farm.received.clear()
        farm.refused.clear()
        farm.too_many = 0
        return web.json_response({"ok": True})

    app.router.add_get("/_stats", stats)
    app.router.add_post("/_reset", reset)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"READY http://127.0.0.1:{runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-limits", action="store_true")
    parser.add_argument("--paid-rate", type=int, default=0, help="overall limit when paid")
    options = parser.parse_args()
    asyncio.run(serve(None if options.no_limits else Limits(), options.paid_rate))
