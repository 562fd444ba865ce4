"""Plain data passed between the news stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item found in a feed, sitemap or index page, before its page is fetched."""

    url: str
    title: str
    guid: str | None = None
    summary: str = ""  # plain text, HTML removed
    published_at: datetime | None = None  # timezone-aware, UTC
    author: str | None = None
    image_url: str | None = None
    categories: tuple[str, ...] = ()


@dataclass(slots=True)
class ParsedFeed:
    """What one source answered, as entries in document order (duplicates removed)."""

    kind: str  # rss, atom, jsonfeed, sitemap or html
    title: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    skipped: int = 0  # items dropped because they had no usable link


class FeedError(Exception):
    """The body could not be read as a feed; the message says why, in plain words."""
