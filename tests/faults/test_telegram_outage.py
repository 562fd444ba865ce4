"""`newsbot run` while Telegram is unreachable: long polling fails, then resumes by itself.

The fake Bot API is served on loopback behind the TCP proxy. The bot answers /start; then the
proxy refuses every connection for a while (getUpdates fails) and Telegram answers 502 twice
after that; a reader's /help sent meanwhile is answered once Telegram is back, and the
failures are a line in the log, not a traceback per try.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from aiohttp.test_utils import TestServer

from bench.tcp_proxy import TcpProxy
from tests.bot.fakeapi import BOT_TOKEN, FakeBotAPI, server_error
from tests.bot.fakeapi_http import bot_api_app
from tests.bot.updates import USER_ID, Updates


async def test_long_polling_survives_telegram_going_away(tmp_path: Path) -> None:
    api = FakeBotAPI()
    server = TestServer(bot_api_app(api), host="127.0.0.1")
    await server.start_server()
    proxy = TcpProxy("127.0.0.1", int(server.port or 0))
    await proxy.start()
    sources = tmp_path / "sources.toml"
    sources.write_text('[[sources]]\nname = "Diam"\nurl = "http://127.0.0.1:9/rss"\n', "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))} | {
        "BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{proxy.port}",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
        "SOURCES_FILE": str(sources),
        "FETCH_PAGES": "false",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    updates = Updates()
    try:
        api.push_update(updates.private("/start"))
        await api.wait_until(lambda: bool(api.sent(USER_ID)), "the answer to /start")
        proxy.cut()  # Telegram unreachable: every getUpdates fails to connect
        await asyncio.sleep(6)
        api.push_update(updates.private("/help"))  # written while the bot could not hear
        api.fail(server_error(), method="getUpdates", times=2)  # then two 502s
        proxy.restore()
        await api.wait_until(lambda: len(api.sent(USER_ID)) >= 2, "the answer to /help", 60)
        assert proc.returncode is None
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await proxy.close()
        await server.close()
    stderr = err.decode()
    assert proc.returncode == 0, stderr[-3000:]
    assert "/help" in api.sent(USER_ID)[-1].text or "bantuan" in api.sent(USER_ID)[-1].text.lower()
    assert "cannot get updates from Telegram" in stderr
    assert "Traceback" not in stderr, stderr[stderr.find("Traceback") - 800 :][:3000]
