"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1)."""

from __future__ import annotations

import json
from typing import Any

from bot.news.items import FeedEntry, FeedError, ParsedFeed
from bot.news.parse.collect import collect
from bot.news.parse.dates import parse_date
from bot.news.parse.links import clean_url, is_web_url
from bot.news.parse.text import collapse, html_to_text, html_to_text_and_image


def parse_json_feed(text: str, base: str) -> ParsedFeed:
    """Parse a JSON Feed document into a ParsedFeed."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise FeedError(f"the JSON feed is not valid JSON ({exc})") from exc
    if not isinstance(document, dict) or not isinstance(document.get("items", []), list):
        raise FeedError("the JSON document is not a JSON Feed (no list of items)")
    items = [item for item in document.get("items", []) if isinstance(item, dict)]
    title = document.get("title")
    return collect(
        "jsonfeed",
        collapse(title) if isinstance(title, str) else None,
        (_entry(item, base) for item in items),
    )


def _str(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _entry(item: dict[str, Any], base: str) -> FeedEntry | None:
    guid = item.get("id")
    guid_text = str(guid) if isinstance(guid, str | int) else None
    url = clean_url(_str(item, "url"), base) or clean_url(_str(item, "external_url"), base)
    if url is None and is_web_url(guid_text):
        url = guid_text
    if url is None:
        return None
    content_html = _str(item, "content_html")
    summary, inline_image = html_to_text_and_image(content_html, base)
    summary = (
        html_to_text(_str(item, "summary")) or html_to_text(_str(item, "content_text")) or summary
    )
    image = clean_url(_str(item, "image"), base) or clean_url(_str(item, "banner_image"), base)
    tags = item.get("tags")
    return FeedEntry(
        url=url,
        title=html_to_text(_str(item, "title")),
        guid=guid_text,
        summary=summary,
        published_at=parse_date(_str(item, "date_published") or _str(item, "date_modified")),
        author=_author(item),
        image_url=image or inline_image,
        categories=tuple(
            dict.fromkeys(collapse(t) for t in tags if isinstance(t, str) and t.strip())
        )
        if isinstance(tags, list)
        else (),
    )


def _author(item: dict[str, Any]) -> str | None:
    authors = item.get("authors")  # 1.1
    if not isinstance(authors, list):
        authors = [item.get("author")]  # 1.0
    for author in authors:
        if isinstance(author, dict) and isinstance(author.get("name"), str):
            return collapse(author["name"]) or None
    return None
