"""`newsbot run` for real: a subprocess against the fake Bot API and a news site on loopback."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import func, select

from storage.db import create_engine
from storage.models import Article, Chat
from tests.bot.fakeapi import BOT_TOKEN, FakeBotAPI
from tests.bot.fakeapi_http import bot_api_app
from tests.bot.updates import USER_ID, Updates
from tests.ingest.site import NewsSite


@pytest.fixture
async def site_url() -> AsyncIterator[str]:
    site = NewsSite()
    server = TestServer(site.app(), host="127.0.0.1")
    await server.start_server()
    site.base = str(server.make_url("")).rstrip("/")
    yield site.base
    await server.close()


async def test_run_serves_updates_ingests_and_stops_cleanly_on_sigterm(
    tmp_path: Path, site_url: str
) -> None:
    api = FakeBotAPI()
    updates = Updates()
    api.push_update(updates.private("/start"))
    # Delivered only when the bot asks for inline updates (the fake filters as Telegram does).
    api.push_update(updates.inline_query(""))
    server = TestServer(bot_api_app(api), host="127.0.0.1")
    await server.start_server()
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "Tribun"\nurl = "{site_url}/a.xml"\n', "utf-8")
    database = tmp_path / "run.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))} | {
        "BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": str(server.make_url("")).rstrip("/"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
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
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await api.wait_until(lambda: len(api.of("setMyCommands")) == 2, "the command menu")
        await api.wait_until(lambda: bool(api.sent(USER_ID)), "the answer to /start")
        await api.wait_until(lambda: bool(api.of("answerInlineQuery")), "an inline answer")
        engine = create_engine(f"sqlite+aiosqlite:///{database}")
        try:
            for _ in range(300):
                async with engine.connect() as conn:
                    articles = (await conn.execute(select(func.count(Article.id)))).scalar_one()
                if articles:
                    break
                await asyncio.sleep(0.1)
            async with engine.connect() as conn:
                chat_ids = (await conn.execute(select(Chat.chat_id))).scalars().all()
        finally:
            await engine.dispose()
        assert articles > 0, "the ingest job did not run"
        assert USER_ID in chat_ids
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await server.close()
    log = err.decode()
    assert proc.returncode == 0, log
    assert "stopped cleanly" in log
    assert "Traceback" not in log
    english = api.of("setMyCommands")[1].params
    assert english["language_code"] == "en"
    assert "Halo" in api.sent(USER_ID)[0].text
    assert BOT_TOKEN not in log  # the token never reaches the log


async def test_run_without_a_token_explains(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 2
    assert "BOT_TOKEN is not set" in err.decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("mode", ["run", "web"])
async def test_run_with_a_webhook_checks_the_secret(tmp_path: Path, mode: str) -> None:
    """`newsbot run` with WEBHOOK_URL, and `newsbot web` (on the platform's PORT)."""
    api = FakeBotAPI()
    server = TestServer(bot_api_app(api), host="127.0.0.1")
    await server.start_server()
    port = free_port()
    sources = tmp_path / "sources.toml"
    sources.write_text('[[sources]]\nname = "Mati"\nurl = "http://127.0.0.1:9/a.xml"\n', "utf-8")
    hook = f"http://127.0.0.1:{port}/tg-hook"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))} | {
        "BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": str(server.make_url("")).rstrip("/"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'hook.db'}",
        "SOURCES_FILE": str(sources),
        "WEBHOOK_URL": hook,
        "WEBHOOK_SECRET": "s3cret-Token_1",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT" if mode == "run" else "PORT": str(port),
        "LOG_LEVEL": "INFO",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", mode, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await api.wait_until(lambda: bool(api.of("setWebhook")), "setWebhook")
        registered = api.of("setWebhook")[0].params
        assert registered["url"] == hook and registered["secret_token"] == "s3cret-Token_1"
        allowed = set(registered["allowed_updates"])
        assert {"message", "inline_query", "chosen_inline_result"} <= allowed
        update = Updates().private("/help")
        async with aiohttp.ClientSession() as http:
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
            for _ in range(200):  # PTB registers the webhook before it starts listening
                try:
                    async with http.post(hook, json=update, headers=wrong) as response:
                        assert response.status == 403
                        break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.05)
            else:
                raise AssertionError("the webhook server never listened")
            right = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
            async with http.post(hook, json=update, headers=right) as response:
                assert response.status == 200
        await api.wait_until(lambda: bool(api.sent(USER_ID)), "the answer to /help")
        assert "/latest" in api.sent(USER_ID)[0].text
        async with aiohttp.ClientSession() as http:
            inline = Updates().inline_query("banjir")
            async with http.post(hook, json=inline, headers=right) as response:
                assert response.status == 200
        await api.wait_until(lambda: bool(api.of("answerInlineQuery")), "an inline answer")
        assert api.of("answerInlineQuery")[0].params["results"] == []  # nothing stored
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await server.close()
    assert proc.returncode == 0, err.decode()
    assert len(api.sent()) == 1  # the forged update was not processed
    assert not api.of("getUpdates")
    if mode == "web":  # it neither polls sources nor sends: that is the workers' job
        assert "took the lead role" not in err.decode()
        assert "sources polled" not in err.decode()
