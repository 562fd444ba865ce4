"""Start payloads: every topic and region makes one Telegram accepts, and reads back the same."""

from __future__ import annotations

import re

import pytest

from bot.news.topics.taxonomy import REGIONS, TAXONOMY, region_topic
from bot.telegram.deep_links import share_link, start_link, topic_of_payload, topic_payload

# What Telegram passes on as a start parameter (Bot API, "Deep linking").
LEGAL = re.compile(r"[A-Za-z0-9_-]{1,64}")
EVERY_TOPIC = [t.slug for t in TAXONOMY] + [region_topic(r) for r in REGIONS]


@pytest.mark.parametrize("topic", EVERY_TOPIC)
def test_every_topic_has_a_legal_payload_that_reads_back(topic: str) -> None:
    payload = topic_payload(topic)
    assert LEGAL.fullmatch(payload), payload
    assert topic_of_payload(payload) == topic


def test_region_payload_form() -> None:
    assert topic_payload("region:jawa-timur") == "topik-region-jawa-timur"
    assert topic_of_payload("topik-region:jawa-timur") is None  # Telegram never sends this
    assert topic_of_payload("topik-tidak-ada") is None


def test_links() -> None:
    assert start_link("berita_bot") == "https://t.me/berita_bot?start=pilihan"
    assert start_link(None) is None
    with pytest.raises(ValueError, match="not a legal start payload"):
        start_link("berita_bot", "region:jawa-timur")
    assert share_link("https://t.me/b?start=pilihan", "Berita & lainnya") == (
        "https://t.me/share/url?url=https%3A%2F%2Ft.me%2Fb%3Fstart%3Dpilihan"
        "&text=Berita%20%26%20lainnya"
    )
