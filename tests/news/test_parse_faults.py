"""Bodies no parser should accept quietly, and text no database accepts."""

from __future__ import annotations

import pytest

from bot.news.items import FeedError
from bot.news.parse import parse_feed
from bot.news.parse.text import strip_controls


@pytest.mark.parametrize(
    "body",
    [
        b"<rss>\x01\x02<<<&&&>>>",
        b"<rss><channel><item><title>x</titl",
        b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>x<",
    ],
)
def test_xml_that_lxml_only_recovers_into_nothing_is_an_error(body: bytes) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(body, url="https://x.id/rss")
    assert str(info.value).startswith(
        "the feed is not well-formed XML and no item could be read (line 1, column "
    )


def test_a_well_formed_feed_without_items_is_simply_empty() -> None:
    feed = parse_feed(b"<rss version='2.0'><channel><title>x</title></channel></rss>", url="x")
    assert feed.entries == [] and feed.skipped == 0


def test_recovered_xml_with_items_keeps_them() -> None:
    body = (
        b"<rss><channel><item><title>Satu</title><link>https://x.id/1</link></item>"
        b"<item><title>Dua \x01</title><link>https://x.id/2</link></item></channel></rss>"
    )
    assert [e.title for e in parse_feed(body, url="https://x.id/rss").entries] == ["Satu", "Dua"]


def test_strip_controls_keeps_tab_newline_and_every_real_character() -> None:
    text = "a\x00b\tc\nd\r\x7f\x85\ud800e\udfff é — 😀 ‘x’"
    assert strip_controls(text) == "ab\tc\nde é — 😀 ‘x’"
    clean = "Banjir di Jakarta"
    assert strip_controls(clean) is clean


def test_json_feed_text_is_scrubbed_in_every_field() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1", "title": "J\\u0000", "items": [{'
        b'"id": "g\\u0000\\ud800", "url": "https://x.id/1", "title": "T\\ud83d",'
        b'"summary": "S\\u0001", "author": {"name": "A\\u001f"}, "tags": ["\\u0002", "k\\u0003"]'
        b"}]}"
    )
    feed = parse_feed(body, url="https://x.id/feed.json")
    entry = feed.entries[0]
    assert feed.title == "J"
    assert (entry.guid, entry.title, entry.summary, entry.author) == ("g", "T", "S", "A")
    assert entry.categories == ("k",)
