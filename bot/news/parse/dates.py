"""Read the dates real feeds write (RFC 822, W3C/ISO 8601, Indonesian and Portuguese names)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_tz

# Asia/Jakarta has kept +07:00 without daylight saving since 1964, so a fixed offset is exact
# and spares a tzdata dependency on machines without a system zone database.
WIB = timezone(timedelta(hours=7), "WIB")

_ZONES = {"wib": "+0700", "wita": "+0800", "wit": "+0900"}
# Localised month and weekday names mapped to the English abbreviations RFC 822 expects.
_MONTHS = {
    # Indonesian
    "januari": "Jan", "februari": "Feb", "pebruari": "Feb", "maret": "Mar", "mei": "May",
    "juni": "Jun", "juli": "Jul", "agustus": "Aug", "agu": "Aug", "agt": "Aug", "ags": "Aug",
    "oktober": "Oct", "okt": "Oct", "desember": "Dec", "des": "Dec", "nopember": "Nov",
    # Portuguese
    "janeiro": "Jan", "fevereiro": "Feb", "fev": "Feb", "março": "Mar", "marco": "Mar",
    "abril": "Apr", "abr": "Apr", "maio": "May", "mai": "May", "junho": "Jun", "julho": "Jul",
    "agosto": "Aug", "ago": "Aug", "setembro": "Sep", "set": "Sep", "outubro": "Oct",
    "out": "Oct", "novembro": "Nov", "dezembro": "Dec", "dez": "Dec",
}  # fmt: skip
_WEEKDAYS = {
    "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad",
    "seg", "ter", "qua", "qui", "sex", "sáb", "sab", "dom",
    "segunda", "terça", "quarta", "quinta", "sexta", "sábado", "domingo",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_][\w']*", re.UNICODE)
_DMY = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ ,T]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?\s*(.*)$"
)
_HAS_ZONE = re.compile(r"(?:[+-]\d{2}:?\d{2}|\b(?:UTC?|GMT|Z|[ECMP][SD]T))\s*$", re.IGNORECASE)
_COLON_OFFSET = re.compile(r"(\s[+-]\d{2}):(\d{2})$")
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def parse_date(value: str | None) -> datetime | None:
    """Parse a feed date to an aware UTC datetime; None when it cannot be read."""
    if not value:
        return None
    text = " ".join(value.split())
    if not text:
        return None
    try:
        return _to_utc(datetime.fromisoformat(text))
    except ValueError:
        pass
    text = _COLON_OFFSET.sub(r"\1\2", text)  # "+07:00" -> "+0700" for parsedate_tz
    return _rfc822(text) or _rfc822(_translate(text)) or _day_month_year(text)


def _to_utc(moment: datetime) -> datetime | None:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WIB)
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _rfc822(text: str) -> datetime | None:
    if ":" not in text:
        text += " 00:00"  # date-only values ("31 Dec 2023") mean midnight
    parts = parsedate_tz(text)
    if parts is None:
        return None
    year, month, day, hour, minute, second, *_rest, offset = parts
    try:
        naive = datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - tz added below
    except (ValueError, OverflowError):
        return None
    if _HAS_ZONE.search(text) is None:
        # parsedate_tz reports a missing zone as +0000; such local dates are WIB.
        return _to_utc(naive)
    if offset is None:  # "-0000": UTC with the local zone unknown
        offset = 0
    return _to_utc(naive.replace(tzinfo=timezone(timedelta(seconds=offset))))


def _translate(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if low in _WEEKDAYS:
            return ""
        return _MONTHS.get(low) or _ZONES.get(low) or word

    return " ".join(_WORD.sub(swap, text.replace(",", " ")).split())


def _day_month_year(text: str) -> datetime | None:
    # "18/09/2023 10:30 WIB": Indonesian sites write day first.
    match = _DMY.match(text)
    if match is None:
        return None
    day, month, year, hour, minute, second, rest = match.groups()
    tz = _zone(rest.strip())
    try:
        moment = datetime(  # noqa: DTZ001 - tz is set below or assumed WIB
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        return None
    return _to_utc(moment.replace(tzinfo=tz) if tz else moment)


def _zone(text: str) -> timezone | None:
    if not text:
        return None
    low = text.lower()
    if low in ("z", "utc", "gmt"):
        return UTC
    code = _ZONES.get(low, text)
    match = _OFFSET.match(code)
    if match is None:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
