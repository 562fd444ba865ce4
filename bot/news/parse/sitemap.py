"""Google News sitemaps, plain sitemaps and sitemap indexes."""

from __future__ import annotations

from typing import Any

from bot.news.items import FeedEntry, ParsedFeed
from bot.news.parse.collect import collect
from bot.news.parse.dates import parse_date
from bot.news.parse.links import clean_url
from bot.news.parse.xmldoc import parse_xml
from bot.news.parse.xmlfields import plain, raw_text

# Entries read from a <sitemapindex> point at further sitemaps, not at articles; they carry
# this single category so the caller can fetch them as sitemaps instead of as pages.
SITEMAP_INDEX_CATEGORY = "sitemap-index"

_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
_IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"


def parse_sitemap(text: str, base: str) -> ParsedFeed:
    """Parse a urlset (plain or with news:news) or a sitemapindex into a ParsedFeed."""
    root, _fault = parse_xml(text)
    local = _local(root.tag)
    is_index = local == "sitemapindex"
    wanted = "sitemap" if is_index else "url"
    records = [el for el in root if _local(el.tag) == wanted]
    read = _index_entry if is_index else _url_entry
    return collect("sitemap", None, (read(record, base) for record in records))


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _fields(record: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for child in record:
        local = _local(child.tag)
        if local == "news":  # news:news -> its children as news_title, news_keywords, ...
            for sub in child:
                fields.setdefault("news_" + _local(sub.tag), sub)
                if _local(sub.tag) == "publication":
                    for deeper in sub:
                        fields.setdefault("publication_" + _local(deeper.tag), deeper)
        elif local == "image" and child.tag.startswith("{" + _IMAGE):
            fields.setdefault("image", next((c for c in child if _local(c.tag) == "loc"), None))
        elif local:
            fields.setdefault(local, child)
    return fields


def _url_entry(record: Any, base: str) -> FeedEntry | None:
    fields = _fields(record)
    url = clean_url(raw_text(fields.get("loc")), base)
    if url is None:
        return None
    keywords = raw_text(fields.get("news_keywords"))
    image = fields.get("image")
    date = fields.get("news_publication_date")
    if date is None:
        date = fields.get("lastmod")
    return FeedEntry(
        url=url,
        title=plain(fields.get("news_title")),
        summary="",
        published_at=parse_date(raw_text(date)),
        author=plain(fields.get("publication_name")) or None,
        image_url=clean_url(raw_text(image), base) if image is not None else None,
        categories=tuple(dict.fromkeys(k.strip() for k in keywords.split(",") if k.strip())),
    )


def _index_entry(record: Any, base: str) -> FeedEntry | None:
    fields = _fields(record)
    url = clean_url(raw_text(fields.get("loc")), base)
    if url is None:
        return None
    return FeedEntry(
        url=url,
        title="",
        published_at=parse_date(raw_text(fields.get("lastmod"))),
        categories=(SITEMAP_INDEX_CATEGORY,),
    )
