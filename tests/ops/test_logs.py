"""Logs: one line per event, JSON when asked, and no secret in any of it, tracebacks included."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.ops.logs import setup_logging
from tests.bot.fakeapi import BOT_TOKEN, FakeBotAPI
from tests.bot.fakeapi_http import bot_api_app
from tests.bot.updates import USER_ID, Updates
from tests.ingest.site import NewsSite

WEBHOOK_SECRET = "hook-Secret_42"
DB_PASSWORD = "pg-Passw0rd!x"
SECRETS = (BOT_TOKEN, WEBHOOK_SECRET, DB_PASSWORD)


def json_lines(text: str) -> list[dict[str, object]]:
    """Every line parsed as a JSON object (fails on any line that is not one)."""
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert all(isinstance(line, dict) for line in lines)
    return lines


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, sys.excepthook)
    yield
    root.handlers[:], level, sys.excepthook = saved
    root.setLevel(level)
    logging.captureWarnings(False)


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("log_format", ["json", "text"])
def test_secrets_are_redacted_from_messages_extras_and_tracebacks(
    capsys: pytest.CaptureFixture[str], log_format: str
) -> None:
    setup_logging("INFO", SECRETS, log_format)
    log = logging.getLogger("newsbot.test")
    log.info("calling https://api.example/bot%s/getMe", BOT_TOKEN)
    log.info("webhook secret %s", WEBHOOK_SECRET, extra={"chat": 42, "header": WEBHOOK_SECRET})
    log.warning("cannot reach postgresql+asyncpg://bot:other-pw-9@db.local/newsbot")
    try:
        raise RuntimeError(f"password {DB_PASSWORD} refused for token {BOT_TOKEN}")
    except RuntimeError:
        log.exception("query failed")
    log.info("where from", stack_info=True, extra={"token": BOT_TOKEN})
    try:
        raise ValueError(f"crash with {WEBHOOK_SECRET}")
    except ValueError:
        sys.excepthook(*sys.exc_info())  # an uncaught error goes through the log too
    err = capsys.readouterr().err
    for secret in (*SECRETS, "other-pw-9"):
        assert secret not in err
    assert "Traceback" in err and "RuntimeError" in err and "ValueError" in err
    if log_format == "text":
        assert "bot***" in err and "bot:***@db.local" in err
        return
    lines = json_lines(err)
    assert len(lines) == 6  # one line per event, tracebacks inside their line
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    assert lines[0]["logger"] == "newsbot.test" and lines[0]["level"] == "INFO"
    assert lines[1]["chat"] == 42 and lines[1]["header"] == "***"
    assert "RuntimeError" in str(lines[3]["exc_info"])
    assert lines[4]["token"] == "***" and "stack_info" in lines[4]
    assert lines[5]["level"] == "CRITICAL" and "ValueError" in str(lines[5]["exc_info"])


async def test_a_crashing_process_logs_one_json_line_without_the_token(tmp_path: Path) -> None:
    script = (
        "from bot.ops.logs import setup_logging\n"
        f"setup_logging('INFO', [{WEBHOOK_SECRET!r}], 'json')\n"
        f"raise RuntimeError('cannot call bot{BOT_TOKEN}/getMe with {WEBHOOK_SECRET}')\n"
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 1
    [line] = json_lines(err.decode())
    assert line["level"] == "CRITICAL" and "RuntimeError" in str(line["exc_info"])
    assert BOT_TOKEN not in err.decode() and WEBHOOK_SECRET not in err.decode()


async def test_run_with_json_logs_and_metrics(tmp_path: Path) -> None:
    """`newsbot run` as a real process: JSON lines on stderr, /healthz and /metrics served."""
    site = NewsSite()
    feeds = TestServer(site.app(), host="127.0.0.1")
    await feeds.start_server()
    site.base = str(feeds.make_url("")).rstrip("/")
    api = FakeBotAPI()
    api.push_update(Updates().private("/start"))
    telegram = TestServer(bot_api_app(api), host="127.0.0.1")
    await telegram.start_server()
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "Tribun"\nurl = "{site.base}/a.xml"\n', "utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))} | {
        "BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": str(telegram.make_url("")).rstrip("/"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
        "SOURCES_FILE": str(sources),
        "FETCH_PAGES": "false",
        "LOG_FORMAT": "json",
        "METRICS_PORT": str(port),
        "METRICS_LISTEN": "127.0.0.1",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await api.wait_until(lambda: bool(api.sent(USER_ID)), "the answer to /start")
        async with aiohttp.ClientSession() as http:
            stored = 0.0
            for _ in range(300):  # until the first ingest cycle has been counted
                try:
                    async with http.get(f"http://127.0.0.1:{port}/metrics") as response:
                        text = await response.text()
                except aiohttp.ClientConnectorError:
                    text = ""
                stored = _sample(text, "newsbot_articles_stored_total")
                if stored:
                    break
                await asyncio.sleep(0.1)
            for _ in range(100):  # the sender starts once the process holds the lead role
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    status, health = response.status, await response.json()
                if health["sender_running"]:
                    break
                await asyncio.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await telegram.close()
        await feeds.close()
    log = err.decode()
    assert proc.returncode == 0, log
    assert stored == 2
    assert _sample(text, "newsbot_sources_polled_total", 'outcome="ok"') == 1
    assert 'newsbot_messages_sent_total{outcome="sent"}' in text
    assert status == 200 and health["database"] == "ok" and health["sender_running"] is True
    assert isinstance(health["last_ingest_age_seconds"], float)
    lines = json_lines(log)
    messages = [str(line["message"]) for line in lines]
    assert any(m.startswith("newsbot is running as @") for m in messages)
    assert any(m.startswith("health and metrics on") for m in messages)
    assert messages[-1] == "stopped cleanly"
    assert BOT_TOKEN not in log


def _sample(text: str, name: str, labels: str = "") -> float:
    wanted = f"{name}{{{labels}}}" if labels else name
    for line in text.splitlines():
        key, _, value = line.rpartition(" ")
        if key == wanted:
            return float(value)
    return 0.0
