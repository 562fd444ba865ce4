"""Header reading and operator wording used by the fetcher."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.news.fetch.headers import (
    decode_charset_hint,
    human_seconds,
    human_size,
    parse_max_age,
    parse_retry_after,
    redact_url,
)

NOW = datetime(2025, 1, 6, 8, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=UTF-8", "utf-8"),
        ('application/rss+xml; charset="windows-1252"', "windows-1252"),
        ("text/xml", None),
        ("", None),
        (None, None),
    ],
)
def test_decode_charset_hint(header: str | None, expected: str | None) -> None:
    assert decode_charset_hint(header) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Mon, 06 Jan 2025 08:02:00 GMT", 120.0),
        ("Mon, 06 Jan 2025 07:00:00 GMT", 0.0),  # already past
        ("soon", None),
        ("-5", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == expected


@pytest.mark.parametrize(
    ("cache_control", "age", "expected"),
    [
        ("max-age=60", "90", 0.0),
        ("MAX-AGE=60", None, 60.0),
        ("max-age=abc", None, None),
        ("s-maxage=600", None, None),
        (None, None, None),
    ],
)
def test_parse_max_age(cache_control: str | None, age: str | None, expected: float | None) -> None:
    assert parse_max_age(cache_control, age) == expected


def test_sizes_and_durations_read_plainly() -> None:
    assert [human_size(n) for n in (5_000_000, 1_500_000, 100_000, 512)] == [
        "5 MB",
        "1.5 MB",
        "100 kB",
        "512 bytes",
    ]
    assert [human_seconds(s) for s in (30.0, 0.5, 2.345)] == ["30 s", "0.5 s", "2.35 s"]


def test_redact_url_drops_credentials_and_query() -> None:
    shown = redact_url("https://user:s3cret@example.com/feed.xml?token=abc#top")
    assert shown == "https://example.com/feed.xml?…"
    assert redact_url("https://example.com/rss") == "https://example.com/rss"
