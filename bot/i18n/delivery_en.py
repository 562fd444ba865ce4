"""English strings of delivery messages; the keys mirror `delivery_id.py`."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "away.heading": "🌙 <b>While you were away</b> · {count} stories",
    "update.heading": "🔄 Update",
}
