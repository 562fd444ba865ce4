"""Dates and times given on the command line (`newsbot latest --since/--until`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True, slots=True)
class Moment:
    """An ISO 8601 date or date-time as typed; the time zone is applied once it is known."""

    value: datetime  # naive unless the text gave an offset
    whole_day: bool  # a date alone: `--until` then includes that day

    @classmethod
    def parse(cls, text: str) -> Moment:
        """2026-05-01, 2026-05-01T07:00, 2026-05-01 07:00:30 or 2026-05-01T07:00+07:00."""
        text = text.strip()
        if not any(mark in text for mark in ("T", " ", ":")):
            return cls(datetime.combine(date.fromisoformat(text), time(0)), whole_day=True)
        return cls(datetime.fromisoformat(text), whole_day=False)

    def start(self, tz: tzinfo) -> datetime:
        """The moment itself; without an offset, in `tz`."""
        return self.value if self.value.tzinfo is not None else self.value.replace(tzinfo=tz)

    def end(self, tz: tzinfo) -> datetime:
        """The first moment after the range it closes: a date alone ends at the next midnight."""
        if not self.whole_day:
            return self.start(tz)
        return datetime.combine(self.value.date() + timedelta(days=1), time(0), tzinfo=tz)
