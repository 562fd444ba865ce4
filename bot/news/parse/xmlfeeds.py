"""RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 entries, read directly with lxml (why: see __init__)."""

from __future__ import annotations

from typing import Any

from bot.news.items import FeedEntry, FeedError, ParsedFeed
from bot.news.parse.collect import collect
from bot.news.parse.dates import parse_date
from bot.news.parse.links import clean_url, is_redirector, is_web_url
from bot.news.parse.text import first_image
from bot.news.parse.xmldoc import closed_count, parse_xml
from bot.news.parse.xmlfields import (
    categories,
    children,
    first,
    key_of,
    media_image,
    plain,
    raw_text,
    summary_and_image,
)

_RSS_ITEMS = (
    "item",
    "{http://purl.org/rss/1.0/}item",
    "{http://my.netscape.com/rdf/simple/0.9/}item",
    "{http://backend.userland.com/rss2}item",
)
_ATOM_ENTRIES = ("{http://www.w3.org/2005/Atom}entry", "{http://purl.org/atom/ns#}entry")


def parse_xml_feed(text: str, base: str) -> ParsedFeed:
    """Parse an RSS or Atom document (already decoded) into a ParsedFeed."""
    root, fault = parse_xml(text)
    cache: dict[str, str] = {}
    is_atom = key_of(root.tag, cache) in ("atom:feed", "feed")
    items = list(root.iter(*(_ATOM_ENTRIES if is_atom else _RSS_ITEMS)))
    dropped = 0
    if fault and items and closed_count(text, "entry" if is_atom else "item") < len(items):
        # A truncated body: lxml closed the last item itself, so its fields may be cut short.
        items.pop()
        dropped = 1
    read = _atom_entry if is_atom else _rss_item
    feed = collect(
        "atom" if is_atom else "rss",
        _feed_title(root, is_atom, cache),
        (read(item, base, cache) for item in items),
    )
    feed.skipped += dropped
    if fault and not feed.entries:
        # lxml recovers *something* from nearly any bytes; a repair that yields no item is a
        # broken document, not an empty feed (which would reset the failure count).
        raise FeedError(f"the feed is not well-formed XML and no item could be read ({fault})")
    return feed


def _feed_title(root: Any, is_atom: bool, cache: dict[str, str]) -> str | None:
    holder = root
    if not is_atom:
        holder = next((c for c in root if key_of(c.tag, cache) == "channel"), root)
    title = first(children(holder, cache), "title", "atom:title")
    return plain(title) or None


def _rss_item(item: Any, base: str, cache: dict[str, str]) -> FeedEntry | None:
    fields = children(item, cache)
    guid_el = first(fields, "guid")
    guid = "".join(raw_text(guid_el).split()) or None
    url = _rss_link(fields, guid_el, guid, base)
    if url is None:
        return None
    description = first(fields, "description", "content:encoded", "atom:summary", "atom:content")
    summary, inline_image = summary_and_image(description, base)
    image = media_image(fields, base)
    if image is None and inline_image is None and description is not None:
        content = first(fields, "content:encoded")
        if content is not None and content is not description:
            inline_image = _image_in(content, base)
    if image and inline_image and is_redirector(image) and not is_redirector(inline_image):
        image = inline_image  # Detik: the enclosure goes through Feedsportal, the <img> not
    return FeedEntry(
        url=url,
        title=plain(first(fields, "title", "dc:title", "atom:title")),
        guid=guid,
        summary=summary,
        published_at=parse_date(
            raw_text(first(fields, "pubdate", "dc:date", "atom:published", "atom:updated"))
        ),
        author=_author(fields),
        image_url=image or inline_image,
        categories=categories(fields),
    )


def _rss_link(
    fields: dict[str, list[Any]], guid_el: Any | None, guid: str | None, base: str
) -> str | None:
    """Choose the article URL: origLink, link, alternate atom:link, then a URL-shaped guid."""
    url = clean_url(raw_text(first(fields, "feedburner:origlink")), base)
    if url is None:
        for link in fields.get("link", ()):
            url = clean_url(raw_text(link) or link.get("href"), base)
            if url:
                break
    if url is None:
        for link in fields.get("atom:link", ()):
            if link.get("rel") in (None, "alternate"):
                url = clean_url(link.get("href"), base)
                break
    guid_url = guid if is_web_url(guid) else None
    if guid_url and (url is None or (is_redirector(url) and not is_redirector(guid_url))):
        # Detik via Feedsportal: <link> is a click redirect, the article is in the guid
        # (isPermaLink="false" notwithstanding), so the guid URL is the better link.
        return guid_url
    if url is None and guid_el is not None and guid_el.get("isPermaLink") != "false":
        return clean_url(guid, base)
    return url


def _author(fields: dict[str, list[Any]]) -> str | None:
    element = first(fields, "author", "dc:creator", "atom:author")
    if element is None:
        return None
    if len(element):  # Atom <author><name>…</name></author>
        name = next((c for c in element if str(c.tag).endswith("name")), element)
        return plain(name) or None
    text = plain(element)
    if "@" in text and "(" in text and text.endswith(")"):
        text = text[text.index("(") + 1 : -1].strip()  # RSS "mail@site (Name)"
    return text or None


def _atom_entry(entry: Any, base: str, cache: dict[str, str]) -> FeedEntry | None:
    fields = children(entry, cache)
    entry_id = "".join(raw_text(first(fields, "atom:id")).split()) or None
    url = _atom_link(fields, base)
    if url is None and is_web_url(entry_id):
        url = entry_id
    if url is None:
        return None
    summary, inline_image = summary_and_image(first(fields, "atom:summary", "atom:content"), base)
    content = first(fields, "atom:content")
    if inline_image is None and content is not None:
        inline_image = _image_in(content, base)
    published = first(fields, "atom:published", "atom:issued", "atom:updated", "atom:modified")
    return FeedEntry(
        url=url,
        title=plain(first(fields, "atom:title")),
        guid=entry_id,
        summary=summary,
        published_at=parse_date(raw_text(published)),
        author=_author(fields),
        image_url=media_image(fields, base) or inline_image,
        categories=categories(fields),
    )


def _atom_link(fields: dict[str, list[Any]], base: str) -> str | None:
    best: str | None = None
    for link in fields.get("atom:link", ()):
        if link.get("rel") not in (None, "alternate"):
            continue
        url = clean_url(link.get("href"), base)
        if url and (link.get("type") in (None, "text/html", "application/xhtml+xml")):
            return url
        best = best or url
    return best


def _image_in(element: Any, base: str) -> str | None:
    if len(element):  # unescaped XHTML
        return summary_and_image(element, base)[1]
    return first_image(element.text or "", base)
