"""Read one article's page (and its further pages) into text and metadata, or say why not."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot.news.extract.article import (
    ExtractedArticle,
    ExtractError,
    decode_html,
    extract_article,
    merge_pages,
)
from bot.news.extract.pagination import page_all_url
from bot.news.fetch.client import Fetcher, FetchError
from bot.news.parse.text import strip_controls

# A pagination block can link dozens of pages; an article rarely has more than a few.
MAX_EXTRA_PAGES = 5


@dataclass(frozen=True, slots=True)
class PageText:
    """What the page gave; `error` says in plain words why the text is missing, if it is."""

    text: str = ""
    url: str | None = None  # the address finally read, after redirects
    title: str | None = None
    author: str | None = None
    editor: str | None = None
    image_url: str | None = None
    image_caption: str | None = None
    published_at: datetime | None = None
    zone_stated: bool = False  # published_at came with its zone (WIB, WITA, WIT, an offset)
    canonical_url: str | None = None
    section: str | None = None  # the outlet's own section, as the page names it
    error: str | None = None


async def read_page(
    fetcher: Fetcher, url: str, *, page_all_hosts: Collection[str] = ()
) -> PageText:
    """Fetch and extract an article, preferring its single-page (`?page=all`) form.

    On Tribun-network and Kompas hosts (and `page_all_hosts`) the `?page=all` view is fetched
    straight away, so the article costs one request; only when that fails is the page itself
    read, with its "Halaman 1 2 3" links.
    """
    whole_url = page_all_url(url, page_all_hosts)
    if whole_url is not None and whole_url != url:
        try:
            final, whole = await _extract(fetcher, whole_url)
            return _page_text(final, whole, whole)
        except (FetchError, ExtractError):
            pass  # some articles have no single-page view: read the pages one by one
    try:
        final, first = await _extract(fetcher, url)
    except (FetchError, ExtractError) as exc:
        return PageText(error=_words(exc))
    article = first
    if first.all_pages_url and first.all_pages_url not in (url, whole_url):
        try:
            _, whole = await _extract(fetcher, first.all_pages_url)
            if len(whole.text) > len(first.text):
                article = whole
        except (FetchError, ExtractError):
            pass  # the first page alone is still a good article
    if article is first and first.next_pages:
        others: list[ExtractedArticle] = []
        for page_url in first.next_pages[:MAX_EXTRA_PAGES]:
            try:
                others.append((await _extract(fetcher, page_url))[1])
            except (FetchError, ExtractError):
                break
        article = merge_pages(first, others)
    return _page_text(final, first, article)


def _page_text(url: str, first: ExtractedArticle, article: ExtractedArticle) -> PageText:
    """The body of `article` with the metadata of the first page read.

    Page text passes the same gate as feed text: a NUL or a lone surrogate in a page would
    make the article's write fail on every try, and so the article never get its story.
    """

    def clean(text: str | None) -> str | None:
        return None if text is None else strip_controls(text)

    return PageText(
        text=strip_controls(article.text),
        url=url,
        title=clean(first.title),
        author=clean(first.author),
        editor=clean(first.editor),
        image_url=clean(first.image_url),
        image_caption=clean(first.image_caption),
        published_at=first.published_at,
        zone_stated=first.zone_stated,
        canonical_url=clean(first.canonical_url),
        section=clean(first.section),
    )


async def _extract(fetcher: Fetcher, url: str) -> tuple[str, ExtractedArticle]:
    """Fetch and extract one page; return the final URL with what it holds."""
    result = await fetcher.get(url)
    html = decode_html(result.body, result.charset)
    return result.url, extract_article(html, url=result.url)


def _words(exc: Exception) -> str:
    message = exc.message if isinstance(exc, FetchError) else str(exc)
    return f"page not read: {message}"
