"""The real `newsbot web` and `newsbot run` serving the Mini App beside Telegram's webhook."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from tests.bot.fakeapi import BOT_TOKEN, FakeBotAPI
from tests.bot.fakeapi_http import bot_api_app
from tests.bot.test_run import free_port
from tests.bot.updates import USER_ID, Updates
from tests.dbs import database_url
from tests.webapp.harness import OTHER_BOT_TOKEN, init_data

SECRET = "s3cret-Token_1"


async def wait_for_page(http: aiohttp.ClientSession, url: str) -> None:
    for _ in range(400):
        try:
            async with http.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectorError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError(f"{url} never answered")


@pytest.mark.parametrize(
    ("mode", "backend"),
    [("web", "sqlite"), ("web", "postgresql"), ("run", "sqlite")],
)
async def test_the_process_serves_the_app_and_the_webhook_on_one_port(
    tmp_path: Path, mode: str, backend: str
) -> None:
    api = FakeBotAPI()
    server = TestServer(bot_api_app(api), host="127.0.0.1")
    await server.start_server()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    sources = tmp_path / "sources.toml"
    sources.write_text('[[sources]]\nname = "Mati"\nurl = "http://127.0.0.1:9/a.xml"\n', "utf-8")
    async with database_url(backend, tmp_path) as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))} | {
            "BOT_TOKEN": BOT_TOKEN,
            "TELEGRAM_API_URL": str(server.make_url("")).rstrip("/"),
            "DATABASE_URL": url,
            "SOURCES_FILE": str(sources),
            "PUBLIC_URL": "https://berita.example",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "PORT": str(port),
        }
        if mode == "web":
            env |= {"WEBHOOK_URL": f"{base}/tg-hook", "WEBHOOK_SECRET": SECRET}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", mode, cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            async with aiohttp.ClientSession() as http:
                await wait_for_page(http, f"{base}/app/")
                await api.wait_until(lambda: bool(api.of("setChatMenuButton")), "the menu button")
                good = {"Authorization": f"tma {init_data(USER_ID)}"}
                async with http.get(f"{base}/api/me", headers=good) as response:
                    assert response.status == 200
                    assert (await response.json())["user"]["id"] == USER_ID
                foreign = {"Authorization": f"tma {init_data(USER_ID, token=OTHER_BOT_TOKEN)}"}
                async with http.get(f"{base}/api/pilihan", headers=foreign) as response:
                    assert response.status == 401
                if mode == "web":
                    update = Updates().private("/help")
                    wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
                    async with http.post(f"{base}/tg-hook", json=update, headers=wrong) as r:
                        assert r.status == 403
                    right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
                    async with http.post(f"{base}/tg-hook", json=update, headers=right) as r:
                        assert r.status == 200
                    await api.wait_until(lambda: bool(api.sent(USER_ID)), "the answer to /help")
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
            await server.close()
    log = err.decode()
    assert proc.returncode == 0, log
    assert "Traceback" not in log and BOT_TOKEN not in log
    assert "webapp: refused GET /api/pilihan" in log
    menu = api.of("setChatMenuButton")[0].params["menu_button"]
    assert menu["type"] == "web_app" and menu["web_app"]["url"] == "https://berita.example/app/"
    if mode == "web":
        assert api.of("setWebhook")[0].params["url"] == f"{base}/tg-hook"
        assert len(api.sent()) == 1  # the forged update never reached a handler
        assert not api.of("getUpdates")


async def test_web_without_a_webhook_or_public_url_explains(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env |= {"BOT_TOKEN": BOT_TOKEN, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    env.pop("PUBLIC_URL", None)
    env.pop("WEBHOOK_URL", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "web", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 2
    assert "PUBLIC_URL" in err.decode() and "WEBHOOK_URL" in err.decode()
