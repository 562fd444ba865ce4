"""Settings typed as words (`pilihan 06:30,18:00`, `tenang off`, `zona WITA`, `bahasa en`).

Used by `/settings` in any chat and by `/channel @name …` for a channel set up from a private
chat. A typing mistake gets its own message naming what was wrong, never a generic one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.config import parse_clock
from bot.handlers.chat_access import echo
from bot.telegram.formatting import ZONES

MAX_TIMES = 6
# Every word a setting may be typed as, in either language.
WORDS = {
    "pilihan": "times",
    "waktu": "times",
    "times": "times",
    "tenang": "quiet",
    "quiet": "quiet",
    "zona": "tz",
    "tz": "tz",
    "timezone": "tz",
    "bahasa": "lang",
    "language": "lang",
}
_OFF = frozenset({"off", "mati", "tidak", "none"})
_LANGUAGES = {
    "id": "id",
    "indonesia": "id",
    "indonesian": "id",
    "en": "en",
    "english": "en",
    "inggris": "en",
}


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why typed settings were refused: a catalogue key and its values (already escaped)."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


def is_setting_word(word: str) -> bool:
    """Whether a word names a setting (`pilihan`, `zona`, `language`…)."""
    return word.casefold() in WORDS


def parse_setting(args: list[str]) -> dict[str, Any] | Refusal:
    """Column values for one typed setting, or why not."""
    if not args:
        return Refusal("settings.missing", {"word": ""})
    word = args[0].casefold()
    what = WORDS.get(word)
    if what is None:
        return Refusal("settings.unknown", {"word": echo(args[0])})
    if len(args) < 2:
        return Refusal("settings.missing", {"word": echo(args[0])})
    if what == "times":
        return _times("".join(args[1:]))
    if what == "quiet":
        return _quiet("".join(args[1:]))
    if len(args) > 2:
        return Refusal("settings.too_many", {"word": echo(args[0])})
    value = args[1]
    if what == "tz":
        zone = ZONES.get(value.upper())
        if zone is None:
            return Refusal("settings.bad_zone", {"value": echo(value), "zones": ", ".join(ZONES)})
        return {"timezone": zone}
    lang = _LANGUAGES.get(value.casefold())
    if lang is None:
        return Refusal("settings.bad_language", {"value": echo(value)})
    return {"language": lang}


def _times(value: str) -> dict[str, Any] | Refusal:
    times: set[str] = set()
    for part in value.split(","):
        if not part:
            continue
        try:
            times.add(parse_clock(part).strftime("%H:%M"))
        except ValueError:
            return Refusal("settings.bad_time", {"value": echo(part)})
    if not times:
        return Refusal("settings.bad_time", {"value": echo(value)})
    if len(times) > MAX_TIMES:
        return Refusal("settings.too_many_times", {"max": MAX_TIMES})
    return {"pilihan_times": sorted(times)}


def _quiet(value: str) -> dict[str, Any] | Refusal:
    if value.casefold() in _OFF:
        return {"quiet_start": None, "quiet_end": None}
    start, dash, end = value.replace("–", "-").partition("-")
    try:
        a, b = parse_clock(start), parse_clock(end)
    except ValueError:
        return Refusal("settings.bad_quiet", {"value": echo(value)})
    if not dash or a == b:
        return Refusal("settings.bad_quiet", {"value": echo(value)})
    return {"quiet_start": a.hour * 60 + a.minute, "quiet_end": b.hour * 60 + b.minute}
