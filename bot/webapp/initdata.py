"""Telegram's Mini App `initData`: checked with the bot token as Telegram documents it.

Telegram signs the launch data it hands a Mini App: every field but `hash`, sorted by key, as
`key=value` lines joined by "\\n" (the data-check string); `secret_key = HMAC_SHA256(key=
"WebAppData", msg=bot_token)`; `hash = hex(HMAC_SHA256(key=secret_key, msg=data_check_string))`.
Written here rather than taken from a library: python-telegram-bot has no validator, and the
check is a dozen lines of the standard library (`hmac`), while the packages that offer it are
small, young and would add a dependency for exactly this.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

MAX_LENGTH = 8192  # Telegram's initData is well under 2 kB; anything this long is not its
FUTURE_SKEW = timedelta(minutes=5)  # clocks differ a little; a date far ahead is forged


class InitDataError(Exception):
    """initData that proves nothing: missing, malformed, forged, stale or for another bot."""


@dataclass(frozen=True, slots=True)
class WebAppUser:
    """The Telegram user who opened the Mini App (only what the app uses)."""

    id: int
    first_name: str
    language_code: str | None


@dataclass(frozen=True, slots=True)
class InitData:
    """Validated launch data."""

    user: WebAppUser
    auth_date: datetime
    start_param: str | None


def _secret(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _check_string(fields: Mapping[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign(fields: Mapping[str, str], token: str) -> str:
    """initData for `fields`, signed with `token` as Telegram signs it (tests, benchmarks)."""
    digest = hmac.new(_secret(token), _check_string(fields).encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


def validate(raw: str, token: str, *, max_age: timedelta, now: datetime) -> InitData:
    """The launch data if Telegram signed it for this bot within `max_age`, else InitDataError."""
    if not raw:
        raise InitDataError("no initData")
    if len(raw) > MAX_LENGTH:
        raise InitDataError("initData too long")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError("initData is not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("a field appears twice")  # which copy was signed is ambiguous
    given = fields.get("hash", "")
    if len(given) != 64:
        raise InitDataError("no hash")
    expected = hmac.new(_secret(token), _check_string(fields).encode(), hashlib.sha256)
    # Constant time: how many leading characters matched must not show in the answer's timing.
    if not hmac.compare_digest(expected.hexdigest(), given.lower()):
        raise InitDataError("hash does not match (forged, or signed for another bot)")
    try:
        auth_date = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        raise InitDataError("no auth_date") from None
    if now - auth_date > max_age:
        raise InitDataError(f"stale: signed {int((now - auth_date).total_seconds())} s ago")
    if auth_date - now > FUTURE_SKEW:
        raise InitDataError("auth_date is in the future")
    return InitData(_user(fields.get("user")), auth_date, fields.get("start_param") or None)


def _user(text: str | None) -> WebAppUser:
    try:
        data = json.loads(text or "")
        user_id = data["id"]
    except (ValueError, TypeError, KeyError):
        raise InitDataError("no user") from None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise InitDataError("no user")
    language = data.get("language_code")
    return WebAppUser(
        id=user_id,
        first_name=str(data.get("first_name") or ""),
        language_code=language if isinstance(language, str) else None,
    )
