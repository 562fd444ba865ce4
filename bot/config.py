"""Settings from the environment and `.env`, validated once in the composition root."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

BUNDLED_SOURCES = Path(__file__).parent / "ingest" / "sources.toml"
MIN_RETENTION_DAYS = 7
_ASYNC_DRIVERS = (
    ("postgres://", "postgresql+asyncpg://"),
    ("postgresql://", "postgresql+asyncpg://"),
    ("sqlite:///", "sqlite+aiosqlite:///"),
)
_TOKEN_SHAPE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


class Settings(BaseSettings):
    """Every setting the bot reads; see `.env.example` for what each one means."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    database_url: str = "sqlite+aiosqlite:///newsbot.db"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    sources_file: Path = BUNDLED_SOURCES
    timezone: str = "Asia/Jakarta"

    # Ingest
    poll_concurrency: int = Field(default=16, ge=1, le=512)
    fetch_per_host: int = Field(default=4, ge=1, le=64)
    fetch_timeout: float = Field(default=30.0, gt=0)
    fetch_max_bytes: int = Field(default=5_000_000, ge=10_000)
    min_interval: int = Field(default=120, ge=10)
    max_interval: int = Field(default=3600, ge=10)
    pause_after_failures: int = Field(default=10, ge=1)
    fetch_pages: bool = True
    summary_chars: int = Field(default=600, ge=80, le=1000)

    # Chat and delivery
    pilihan_times: Annotated[tuple[time, ...], NoDecode] = (time(7), time(12), time(19))
    send_rate: float = Field(default=30.0, gt=0, le=1000)
    paid_broadcast: bool = False
    push_max_age: float = Field(default=6.0, gt=0)  # hours, by the story's published time
    delivery_lease: int = Field(default=120, ge=10)  # seconds a sender's claim lasts unrenewed
    # Longest a reply waits for a send slot (flood control) before it is given up, logged.
    reply_max_wait: float = Field(default=10.0, gt=0, le=60)
    allow_private_sources: bool = False
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    # Platforms that route HTTP to a `web` process announce its port as PORT.
    webhook_port: int = Field(
        default=8443, ge=1, le=65535, validation_alias=AliasChoices("webhook_port", "port")
    )
    log_level: str = "INFO"

    # The Mini App: served under {PUBLIC_URL}/app and /api by `newsbot web`, and by `newsbot run`
    # when set. Telegram opens only https pages (http is accepted for loopback, to try it out).
    public_url: str | None = None
    webapp_auth_max_age: int = Field(default=86_400, ge=60)  # seconds an initData stays good

    # Operations
    log_format: Literal["text", "json"] = "text"
    metrics_port: int = Field(default=0, ge=0, le=65535)  # 0: no health/metrics server
    metrics_listen: str = "0.0.0.0"
    retention_days: int = Field(default=90, ge=0)  # 0: keep everything
    prune_batch: int = Field(default=1000, ge=10, le=100_000)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in re.split(r"[,\s]+", value) if p]
            if not all(re.fullmatch(r"-?\d+", p) for p in parts):
                raise ValueError(
                    "ADMIN_IDS must be comma-separated Telegram user ids, e.g. 123,456"
                )
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("pilihan_times", mode="before")
    @classmethod
    def _parse_times(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(sorted(parse_clock(p) for p in value.split(",") if p.strip()))
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use e.g. Asia/Jakarta") from None
        return value

    @field_validator("bot_token")
    @classmethod
    def _blank_token(cls, value: SecretStr | None) -> SecretStr | None:
        # Its shape is checked by the commands that call Telegram (`token_problem`): ingest,
        # `latest` and the database commands never use it, so a typo must not stop them.
        if value is not None and not value.get_secret_value().strip():
            return None
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return async_database_url(value)

    @field_validator("retention_days")
    @classmethod
    def _check_retention(cls, value: int) -> int:
        # Shorter than the week a story can still gain outlets, and a feed that still lists an
        # article could bring it back as new once its row is gone.
        if 0 < value < MIN_RETENTION_DAYS:
            raise ValueError(f"must be 0 (keep everything) or at least {MIN_RETENTION_DAYS}")
        return value

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if not parts.hostname or not (
            parts.scheme == "https" or (parts.scheme == "http" and loopback)
        ):
            raise ValueError(
                "PUBLIC_URL must be the https address Telegram opens the Mini App at, "
                "e.g. https://bot.example.id"
            )
        if parts.query or parts.fragment:
            raise ValueError("PUBLIC_URL takes no ?query or #fragment")
        return value.strip().rstrip("/")

    @field_validator("telegram_api_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        # Without the secret anyone who finds the URL can post forged updates to the bot.
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("WEBHOOK_URL is set without WEBHOOK_SECRET: set both, or neither")
        return self

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    def secrets(self) -> list[str]:
        """Every secret value, for log redaction: token, webhook secret, database password."""
        found = [s.get_secret_value() for s in (self.bot_token, self.webhook_secret) if s]
        try:
            password = make_url(self.database_url).password
        except Exception:  # an unparsable URL fails later, with SQLAlchemy's own message
            password = None
        if password:
            found += [str(password), quote(str(password), safe="")]
        return [s for s in found if s]


def token_problem(settings: Settings) -> str | None:
    """Why BOT_TOKEN cannot be used to call Telegram, or None when it looks right."""
    if settings.bot_token is None:
        return (
            "BOT_TOKEN is not set. Create a bot with @BotFather and put its token in "
            ".env (BOT_TOKEN=123456789:AAE…)."
        )
    if not _TOKEN_SHAPE.match(settings.bot_token.get_secret_value().strip()):
        # Never echo the value: it may be a real token pasted with a typo.
        return (
            "BOT_TOKEN does not look like a token from @BotFather: digits, a colon and about 35 "
            "letters, digits, _ or - (123456789:AAE…)."
        )
    return None


def parse_clock(text: str) -> time:
    """Parse `HH:MM` (24-hour) into a time."""
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"{text.strip()!r} is not a time like 07:00")
    return time(int(match[1]), int(match[2]))


def async_database_url(url: str) -> str:
    """The URL with the asyncio driver the bot runs on (postgres://… → postgresql+asyncpg://…)."""
    # Hosting platforms hand out postgres://… (and people write sqlite:///…): accept them
    # rather than refuse the platform's own URL.
    for plain, driver in _ASYNC_DRIVERS:
        if url.startswith(plain):
            return driver + url.removeprefix(plain)
    return url


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings once."""
    return Settings(**overrides)  # type: ignore[arg-type]
