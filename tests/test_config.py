"""Settings are validated once, and secrets never reach a log line."""

from __future__ import annotations

import logging
import re
from datetime import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import BUNDLED_SOURCES, Settings, load_settings, token_problem
from bot.ingest.sources_file import load_sources
from bot.ops.logs import RedactSecrets, redact

TOKEN = "123456789:AAEhBP0av18Lp0bwGjlj23e6a_Y7n-ABCDE"


def test_defaults_work_with_nothing_set(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(str(tmp_path))
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///newsbot.db"
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.bot_token is None and settings.admin_ids == frozenset()
    assert settings.sources_file == BUNDLED_SOURCES
    assert settings.pilihan_times == (time(7), time(12), time(19))
    assert str(settings.tz) == "Asia/Jakarta"


def test_values_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "12, 34 56")
    monkeypatch.setenv("PILIHAN_TIMES", "19:30,6:05")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("WEBHOOK_URL", "")
    settings = load_settings()
    assert settings.admin_ids == frozenset({12, 34, 56})
    assert settings.pilihan_times == (time(6, 5), time(19, 30))
    assert settings.telegram_api_url == "http://127.0.0.1:8081"
    assert settings.webhook_url is None
    assert settings.secrets() == [TOKEN]


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("ADMIN_IDS", "12,abc", "comma-separated"),
        ("PILIHAN_TIMES", "25:00", "not a time"),
        ("TIMEZONE", "Mars/Base", "unknown time zone"),
        ("SEND_RATE", "0", "greater than 0"),
        ("PUBLIC_URL", "http://bot.example.id", "must be the https address"),
        ("PUBLIC_URL", "bot.example.id", "must be the https address"),
        ("PUBLIC_URL", "https://bot.example.id/?x=1", "no ?query"),
        ("WEBAPP_AUTH_MAX_AGE", "5", "greater than or equal to 60"),
    ],
)
def test_bad_values_are_refused_with_a_clear_reason(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, words: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as info:
        load_settings()
    assert words in str(info.value)


def test_the_token_is_checked_only_by_what_calls_telegram(monkeypatch: pytest.MonkeyPatch) -> None:
    for malformed in ("not a token", "123456:ABC-your-token", "abc:" + "x" * 35):
        monkeypatch.setenv("BOT_TOKEN", malformed)
        settings = load_settings()  # ingest, latest and the database commands still run
        problem = token_problem(settings)
        assert problem is not None and "does not look like a token from @BotFather" in problem
        assert malformed not in problem
        assert malformed in settings.secrets()  # and it is still kept out of the logs
    monkeypatch.setenv("BOT_TOKEN", "   ")
    problem = token_problem(load_settings())
    assert problem is not None and "BOT_TOKEN is not set" in problem
    monkeypatch.setenv("BOT_TOKEN", f" {TOKEN} ")
    assert token_problem(load_settings()) is None


def test_a_webhook_without_a_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.id/telegram")
    with pytest.raises(ValidationError) as info:
        load_settings()
    assert "WEBHOOK_URL is set without WEBHOOK_SECRET" in str(info.value)
    monkeypatch.setenv("WEBHOOK_SECRET", "hunter22-secret")
    settings = load_settings()
    assert settings.webhook_url == "https://bot.example.id/telegram"
    assert "hunter22-secret" in settings.secrets()


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("https://bot.example.id/", "https://bot.example.id"),
        ("https://bot.example.id/berita", "https://bot.example.id/berita"),
        ("http://127.0.0.1:8443", "http://127.0.0.1:8443"),  # trying it out locally
    ],
)
def test_the_public_url_of_the_mini_app(
    monkeypatch: pytest.MonkeyPatch, value: str, kept: str
) -> None:
    monkeypatch.setenv("PUBLIC_URL", value)
    assert load_settings().public_url == kept


def test_token_never_appears_in_a_log_record(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactSecrets([TOKEN, "hunter22-secret"]))
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("POST https://api.telegram.org/bot%s/sendMessage", TOKEN)
        logger.info("webhook secret is %s", "hunter22-secret")
        try:
            raise RuntimeError(f"failed calling bot{TOKEN}/getMe")
        except RuntimeError:
            logger.exception("boom")
    text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert TOKEN not in text and "hunter22-secret" not in text
    assert "bot***" in text


def test_unconfigured_tokens_are_redacted_by_shape() -> None:
    assert redact(f"https://x/bot{TOKEN}/getMe", []) == "https://x/bot***/getMe"


def test_bundled_sources_cover_the_major_outlets() -> None:
    names = " ".join(s.name for s in load_sources(BUNDLED_SOURCES))
    for outlet in (
        "Tribun",
        "Kompas",
        "Detik",
        "CNN Indonesia",
        "Antara",
        "Tempo",
        "Liputan6",
        "CNBC",
        "Okezone",
        "Republika",
        "Suara",
        "Kumparan",
    ):
        assert outlet in names
    assert all(s.topic for s in load_sources(BUNDLED_SOURCES))


def test_every_setting_is_documented_in_env_example() -> None:
    lines = (Path(__file__).resolve().parents[1] / ".env.example").read_text("utf-8").splitlines()
    for field in Settings.model_fields:
        name = field.upper()
        at = next(
            (i for i, line in enumerate(lines) if line.lstrip("# ").startswith(f"{name}=")), None
        )
        assert at is not None, f"{name} is missing from .env.example"
        # A setting line sits under a comment, possibly with related settings in between.
        above = at - 1
        while above >= 0 and re.match(r"^[A-Z_]+=", lines[above]):
            above -= 1
        assert above >= 0 and lines[above].startswith("#"), f"{name} has no comment above it"


def test_the_database_password_is_a_secret_to_redact() -> None:
    settings = load_settings(database_url="postgresql+asyncpg://news:p%40ss-word@db/news")
    assert {"p%40ss-word", "p@ss-word"} <= set(settings.secrets())
    plain = load_settings(
        database_url="sqlite+aiosqlite:///x.db", bot_token=None, webhook_secret=None
    )
    assert plain.secrets() == []


def test_a_platforms_port_is_the_webhook_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEBHOOK_PORT", raising=False)
    monkeypatch.setenv("PORT", "5000")
    assert Settings(_env_file=None).webhook_port == 5000
    monkeypatch.setenv("WEBHOOK_PORT", "7000")  # said explicitly, it wins
    assert Settings(_env_file=None).webhook_port == 7000
