"""Read the HTTP response headers the fetcher cares about, and word sizes and URLs for people."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime

from yarl import URL


def decode_charset_hint(content_type: str | None) -> str | None:
    """Return the lower-cased charset named in a Content-Type header, or None."""
    if not content_type:
        return None
    # The email package parses MIME parameters (quoting, spacing, case) correctly.
    message = Message()
    message["Content-Type"] = content_type
    charset = message.get_content_charset()
    return charset.strip() or None if charset is not None else None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Return the seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; a naive result means "-0000"
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


def parse_max_age(cache_control: str | None, age: str | None = None) -> float | None:
    """Return how many seconds a response stays fresh: max-age less Age, 0 for no-cache."""
    if cache_control is None:
        return None
    max_age: float | None = None
    for directive in cache_control.split(","):
        name, _, raw = directive.strip().partition("=")
        name = name.strip().lower()
        if name in ("no-cache", "no-store"):
            return 0.0
        if name == "max-age":
            raw = raw.strip().strip('"')
            if raw.isdigit():
                max_age = float(raw)
    if max_age is None:
        return None
    # A cache on the way (CDN) may have held the response already; Age says how long.
    if age is not None and age.strip().isdigit():
        max_age = max(0.0, max_age - float(age.strip()))
    return max_age


def human_size(n_bytes: int) -> str:
    """Word a byte count the way an operator reads it: 5 MB, 100 kB, 512 bytes."""
    if n_bytes >= 1_000_000:
        return f"{n_bytes / 1_000_000:g} MB"
    if n_bytes >= 1_000:
        return f"{n_bytes / 1_000:g} kB"
    return f"{n_bytes} bytes"


def human_seconds(seconds: float) -> str:
    """Word a duration briefly: 30 s, 0.5 s."""
    if math.isinf(seconds):
        return "ever"
    return f"{round(seconds, 2):g} s"


def redact_url(url: str | URL) -> str:
    """Return the URL without user, password and query, safe to log."""
    try:
        parsed = url if isinstance(url, URL) else URL(url)
        # Tokens travel in userinfo and query strings; the path is enough to tell sources apart.
        shown = parsed.with_user(None).with_query(None).with_fragment(None)
    except (ValueError, TypeError):
        return "<invalid address>"
    return str(shown) + ("?…" if parsed.raw_query_string else "")
