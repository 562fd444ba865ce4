"""Article links on HTML index (listing) pages, by CSS selector or by URL shape."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from bot.news.items import FeedEntry, FeedError, ParsedFeed
from bot.news.parse.dates import parse_date
from bot.news.parse.links import clean_url, looks_like_article, site_of
from bot.news.parse.text import collapse

_TIME_HOPS = 5  # how far up from a link to look for the item's date
_DATE_MARKS = "time[datetime], [d-time]"


def parse_html_index(text: str, base: str, link_selector: str | None = None) -> ParsedFeed:
    """Return the article links of an index page, deduplicated, in page order."""
    tree = LexborHTMLParser(text)
    title_node = tree.css_first("title")
    feed = ParsedFeed(
        kind="html", title=collapse(title_node.text()) or None if title_node else None
    )
    if link_selector:
        try:
            matched = tree.css(link_selector)
        except Exception as exc:  # selectolax raises bare exceptions for bad selectors
            raise FeedError(
                f"the link selector {link_selector!r} is not valid CSS ({exc})"
            ) from exc
        anchors = [_anchor_of(node) for node in matched]
    else:
        site = site_of(base)
        anchors = [
            a for a in tree.css("a[href]")
            if (url := clean_url(a.attributes.get("href"), base))
            and site_of(url) == site and looks_like_article(url)
        ]  # fmt: skip
    positions: dict[str, int] = {}
    for anchor in anchors:
        url = clean_url(anchor.attributes.get("href"), base) if anchor is not None else None
        if anchor is None or url is None:
            feed.skipped += 1
            continue
        entry = _entry(anchor, url, base)
        known = positions.get(url)
        if known is None:
            positions[url] = len(feed.entries)
            feed.entries.append(entry)
        else:
            # Index pages link each story twice (picture, then headline): merge the two.
            feed.entries[known] = _merge(feed.entries[known], entry)
    return feed


def _anchor_of(node: LexborNode) -> LexborNode | None:
    if node.tag == "a" and node.attributes.get("href"):
        return node
    return node.css_first("a[href]")


def _entry(anchor: LexborNode, url: str, base: str) -> FeedEntry:
    img = anchor.css_first("img")
    title = collapse(anchor.text(separator=" "))
    image: str | None = None
    if img is not None:
        title = title or collapse(img.attributes.get("alt") or "")
        image = clean_url(img.attributes.get("src") or img.attributes.get("data-src"), base)
    title = title or collapse(anchor.attributes.get("title") or "")
    return FeedEntry(url=url, title=title, image_url=image, published_at=_date_near(anchor))


def _date_near(anchor: LexborNode) -> datetime | None:
    """Find the one date marker in the item around the link (stop when there are several)."""
    node = anchor.parent
    for _ in range(_TIME_HOPS):
        if node is None:
            return None
        marks = node.css(_DATE_MARKS)
        if len(marks) > 1:
            return None  # reached the list holding many items: no date is this link's own
        if marks:
            mark = marks[0].attributes
            epoch = mark.get("d-time") or ""
            if epoch.isdigit():  # Detik's unix timestamps
                return datetime.fromtimestamp(int(epoch), UTC)
            return parse_date(mark.get("datetime"))
        node = node.parent
    return None


def _merge(old: FeedEntry, new: FeedEntry) -> FeedEntry:
    return dataclasses.replace(
        old,
        title=old.title if len(old.title) >= len(new.title) else new.title,
        image_url=old.image_url or new.image_url,
        published_at=old.published_at or new.published_at,
    )
