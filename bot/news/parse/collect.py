"""Gather parsed entries: drop link-less items (counted) and duplicate URLs (first kept)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from bot.news.items import FeedEntry, ParsedFeed
from bot.news.parse.text import strip_controls


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


def scrub(feed: ParsedFeed) -> ParsedFeed:
    """Remove control characters and lone surrogates from every text field, in place."""
    if feed.title:
        feed.title = strip_controls(feed.title) or None
    feed.entries = [_scrub_entry(e) for e in feed.entries]
    return feed


def _scrub_entry(entry: FeedEntry) -> FeedEntry:
    fields = (entry.url, entry.title, entry.guid, entry.summary, entry.author, entry.image_url)
    if all(f is None or strip_controls(f) is f for f in fields) and all(
        strip_controls(c) is c for c in entry.categories
    ):
        return entry  # the common case: nothing to replace, no copy
    return dataclasses.replace(
        entry,
        url=strip_controls(entry.url),
        title=strip_controls(entry.title),
        guid=_optional(entry.guid),
        summary=strip_controls(entry.summary),
        author=_optional(entry.author),
        image_url=_optional(entry.image_url),
        categories=tuple(c for c in (strip_controls(c) for c in entry.categories) if c),
    )


def _optional(text: str | None) -> str | None:
    return strip_controls(text) or None if text is not None else None
