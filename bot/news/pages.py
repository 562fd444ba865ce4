"""Read one article's page (and its further pages) into text and metadata, or say why not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.news.extract import (
    ExtractedArticle,
    ExtractError,
    decode_html,
    extract_article,
    merge_pages,
)
from bot.news.fetch import Fetcher, FetchError

# A pagination block can link dozens of pages; an article rarely has more than a few.
MAX_EXTRA_PAGES = 5


@dataclass(frozen=True, slots=True)
class PageText:
    """What the page gave; `error` says in plain words why the text is missing, if it is."""

    text: str = ""
    title: str | None = None
    author: str | None = None
    editor: str | None = None
    image_url: str | None = None
    image_caption: str | None = None
    published_at: datetime | None = None
    canonical_url: str | None = None
    error: str | None = None


async def read_page(fetcher: Fetcher, url: str) -> PageText:
    """Fetch and extract an article, preferring its single-page (`?page=all`) form."""
    try:
        first = await _extract(fetcher, url)
    except (FetchError, ExtractError) as exc:
        return PageText(error=_words(exc))
    article = first
    if first.all_pages_url and first.all_pages_url != url:
        try:
            whole = await _extract(fetcher, first.all_pages_url)
            if len(whole.text) > len(first.text):
                article = whole
        except (FetchError, ExtractError):
            pass  # the first page alone is still a good article
    elif first.next_pages:
        others: list[ExtractedArticle] = []
        for page_url in first.next_pages[:MAX_EXTRA_PAGES]:
            try:
                others.append(await _extract(fetcher, page_url))
            except (FetchError, ExtractError):
                break
        article = merge_pages(first, others)
    return PageText(
        text=article.text,
        title=first.title,
        author=first.author,
        editor=first.editor,
        image_url=first.image_url,
        image_caption=first.image_caption,
        published_at=first.published_at,
        canonical_url=first.canonical_url,
    )


async def _extract(fetcher: Fetcher, url: str) -> ExtractedArticle:
    result = await fetcher.get(url)
    html = decode_html(result.body, result.charset)
    return extract_article(html, url=result.url)


def _words(exc: Exception) -> str:
    message = exc.message if isinstance(exc, FetchError) else str(exc)
    return f"page not read: {message}"
