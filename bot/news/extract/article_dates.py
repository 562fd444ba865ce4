"""Publication dates as Indonesian news pages write them, parsed to aware datetimes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")
_ZONES = {"WIB": WIB, "WITA": WITA, "WIT": WIT}

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12,
    "des": 12,
}  # fmt: skip

# dateparser knows Indonesian but costs milliseconds per call and guesses freely; the news
# formats are few and fixed ("Senin, 18 September 2023 10:15 WIB"), so a strict pattern is safer.
_ID_DATE = re.compile(
    r"(?:(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu|Ahad)\s*,?\s*)?"
    r"\b(\d{1,2})\s+(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{4})"
    r"(?:\s*[,|/-]?\s*(?:[Pp]ukul\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"
    r"\s*(WITA|WIT|WIB)?)?",
    re.IGNORECASE,
)
_SPACE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)(.*)$")
# A time that names its zone: "Z", "+07:00", "+0700", "GMT", "WIB", "WITA", "WIT" at the end.
_STATED_ZONE = re.compile(
    r"\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?"
    r"(?:\s*(?:Z|[+-]\d{2}(?::?\d{2})?)|\s+(?:GMT|UTC|UT|WIB|WITA|WIT))\s*$",
    re.IGNORECASE,
)


def _aware(value: datetime) -> datetime:
    # A naive time on an Indonesian news page is Jakarta time.
    return value if value.tzinfo is not None else value.replace(tzinfo=WIB)


def parse_date(value: str) -> datetime | None:
    """Parse an ISO 8601, RFC 822 or Indonesian date; a naive time is taken as WIB."""
    text = value.strip()
    if not text:
        return None
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    match = _SPACE_TIME.match(iso)
    if match:
        hms = match.group(2)
        if len(hms.split(":")[0]) == 1:
            hms = "0" + hms
        iso = f"{match.group(1)}T{hms}{match.group(3).strip()}"
    try:
        return _aware(datetime.fromisoformat(iso))
    except ValueError:
        pass
    try:
        rfc822: datetime | None = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        rfc822 = None
    if rfc822 is not None and rfc822.tzinfo is not None:
        return rfc822
    # RFC 822 reads "Senin, 18 September 2023 14:30 WITA" but drops the zone it doesn't know.
    found = find_indonesian_date(text)
    if found is not None:
        return found[0]
    return _aware(rfc822) if rfc822 is not None else None


def states_zone(value: str) -> bool:
    """Tell whether a date string ends with its time zone (an offset, Z, GMT, WIB/WITA/WIT)."""
    return bool(_STATED_ZONE.search(value.strip()))


def find_indonesian_date(text: str) -> tuple[datetime, bool] | None:
    """Find the first Indonesian date in text; also tell whether it named WIB, WITA or WIT."""
    for match in _ID_DATE.finditer(text):
        day, month_name, year, hour, minute, second, zone = match.groups()
        tz = _ZONES.get((zone or "WIB").upper(), WIB)
        try:
            moment = datetime(
                int(year),
                _MONTHS[month_name.lower()],
                int(day),
                int(hour or 0),
                int(minute or 0),
                int(second or 0),
                tzinfo=tz,
            )
            return moment, zone is not None
        except ValueError:
            continue
    return None
