"""Deep links into the bot: `t.me/<bot>?start=<payload>` to follow in one tap, and share links.

Telegram passes a start payload only when it is 1–64 characters of A–Z, a–z, 0–9, `_` and `-`,
so a region topic ("region:jawa-timur") travels as "topik-region-jawa-timur".
"""

from __future__ import annotations

import re
from urllib.parse import quote

from bot.news.topics.taxonomy import REGION_PREFIX, is_valid_topic

PILIHAN_PAYLOAD = "pilihan"
TOPIC_PAYLOAD = "topik-"
_REGION_PAYLOAD = "region-"
_LEGAL = re.compile(r"[A-Za-z0-9_-]{1,64}")


def topic_payload(topic: str) -> str:
    """The start payload that follows a topic (or a region) in one tap."""
    payload = TOPIC_PAYLOAD + topic.replace(REGION_PREFIX, _REGION_PAYLOAD, 1)
    if not _LEGAL.fullmatch(payload):
        raise ValueError(f"topic {topic!r} makes no legal start payload")
    return payload


def topic_of_payload(payload: str) -> str | None:
    """The topic a `topik-…` payload follows, or None when there is no such topic."""
    if not _LEGAL.fullmatch(payload):
        return None  # Telegram would not have passed it on: nothing else may follow from it
    name = payload.removeprefix(TOPIC_PAYLOAD)
    if name.startswith(_REGION_PAYLOAD):
        name = REGION_PREFIX + name.removeprefix(_REGION_PAYLOAD)
    return name if is_valid_topic(name) else None


def start_link(bot_username: str | None, payload: str = PILIHAN_PAYLOAD) -> str | None:
    """`https://t.me/<bot>?start=<payload>`, or None before the bot knows its username."""
    if not bot_username:
        return None
    if not _LEGAL.fullmatch(payload):
        raise ValueError(f"{payload!r} is not a legal start payload")
    return f"https://t.me/{bot_username}?start={payload}"


def share_link(link: str, text: str) -> str:
    """Telegram's "share to a chat" link for a URL with a line of text."""
    return f"https://t.me/share/url?url={quote(link, safe='')}&text={quote(text, safe='')}"
