"""Indonesian strings of delivery messages; the keys mirror `delivery_en.py`."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "away.heading": "🌙 <b>Selama Anda tidak aktif</b> · {count} berita",
    "update.heading": "🔄 Pembaruan",
}
