"""Gather parsed entries: drop link-less items (counted) and duplicate URLs (first kept)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.news.items import FeedEntry, ParsedFeed


def collect(kind: str, title: str | None, entries: Iterable[FeedEntry | None]) -> ParsedFeed:
    """Build a ParsedFeed from entries in document order; None stands for an item without link."""
    feed = ParsedFeed(kind=kind, title=title or None)
    seen: set[str] = set()
    for entry in entries:
        if entry is None:
            feed.skipped += 1
        elif entry.url not in seen:
            seen.add(entry.url)
            feed.entries.append(entry)
    return feed
