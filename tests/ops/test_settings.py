"""Operations settings: documented, validated, and platform database URLs accepted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def test_every_setting_is_documented_in_env_example() -> None:
    text = ENV_EXAMPLE.read_text("utf-8")
    documented = set(re.findall(r"^(?:# )?([A-Z_]+)=", text, re.MULTILINE))
    missing = {name.upper() for name in Settings.model_fields} - documented
    assert not missing, f"not in .env.example: {sorted(missing)}"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://bot:pw@db.internal:5432/news", "postgresql+asyncpg://bot:pw@db.internal:5432/news"),
        ("postgresql://bot@db/news", "postgresql+asyncpg://bot@db/news"),
        ("sqlite:///newsbot.db", "sqlite+aiosqlite:///newsbot.db"),
        ("postgresql+asyncpg://bot@db/news", "postgresql+asyncpg://bot@db/news"),
    ],
)  # fmt: skip
def test_platform_database_urls_get_the_asyncio_driver(given: str, used: str) -> None:
    assert Settings(_env_file=None, database_url=given).database_url == used  # type: ignore[call-arg]


def test_the_database_password_is_a_secret_to_redact() -> None:
    settings = Settings(_env_file=None, database_url="postgres://bot:p%40ss-word@db/news")  # type: ignore[call-arg]
    assert {"p@ss-word", "p%40ss-word"} <= set(settings.secrets())


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"retention_days": 3}, "at least 7"),
        ({"retention_days": -1}, "greater than or equal to 0"),
        ({"metrics_port": 70000}, "less than or equal to 65535"),
        ({"log_format": "xml"}, "'text' or 'json'"),
        ({"prune_batch": 1}, "greater than or equal to 10"),
    ],
)
def test_bad_operations_settings_are_refused(values: dict[str, object], words: str) -> None:
    with pytest.raises(ValidationError) as info:
        Settings(_env_file=None, **values)  # type: ignore[arg-type]
    assert words in str(info.value)
