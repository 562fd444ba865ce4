"""Stories as the page's JSON: plain strings (the page shows them as text, never as HTML).

Times are written as the chat writes them ("25 Nov 19.05 WIB"), in the reader's zone.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any
from urllib.parse import urlsplit

from bot.i18n import Catalogue
from bot.news.topics.taxonomy import topic_label
from bot.telegram.formatting import format_time, outlets_line, short_summary
from storage.reading import StoryPage
from storage.stories import StoryView

MAX_IMAGES = 6


def web_url(url: str | None) -> str | None:
    """The URL when it is http(s); anything else (javascript:, data:) is dropped."""
    if not url:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def story_item(view: StoryView, lang: str, tz: tzinfo, cat: Catalogue) -> dict[str, Any]:
    """A story in a list: title, outlets, time, the summary's first sentences, its image."""
    return {
        "id": view.id,
        "title": view.title,
        "summary": short_summary(view.summary, 2),
        "outlets": outlets_line(view, lang=lang, catalogue=cat, limit=3),
        "outlet_count": len({a.source for a in view.articles}),
        "time": format_time(view.published_at, tz, lang, catalogue=cat),
        "published_at": view.published_at.isoformat(),
        "topics": [topic_label(t, lang) for t in view.topics],
        "image": web_url(view.image_url),
    }


def story_page(page: StoryPage, lang: str, tz: tzinfo, cat: Catalogue) -> dict[str, Any]:
    """A whole story: summary, one outlet's clean text, images with captions, every outlet."""
    story, articles = page.story, page.articles
    # The earliest outlet's text that survived cleaning; the others are listed below it.
    texted = next((a for a in articles if a.body and a.body.strip()), None)
    images: list[dict[str, Any]] = []
    seen: set[str] = set()
    for a in articles:
        url = web_url(a.image_url)
        if url and url not in seen and len(images) < MAX_IMAGES:
            seen.add(url)
            images.append({"url": url, "caption": a.image_caption or "", "source": a.source})
    lead = web_url(story.image_url)
    if lead and lead not in seen:
        images.insert(0, {"url": lead, "caption": "", "source": ""})
    return {
        "id": story.id,
        "title": story.title,
        "summary": story.summary,
        "time": format_time(story.published_at, tz, lang, catalogue=cat),
        "published_at": story.published_at.isoformat(),
        "topics": [{"slug": t, "label": topic_label(t, lang)} for t in story.topics],
        "text": None
        if texted is None
        else {
            "source": texted.source,
            "author": texted.author or "",
            "paragraphs": [p.strip() for p in (texted.body or "").split("\n\n") if p.strip()],
        },
        "images": images[:MAX_IMAGES],
        "outlets": [
            {
                "source": a.source,
                "title": a.title,
                "url": web_url(a.link),
                "section": a.section or "",
                "time": format_time(a.published_at or a.first_seen_at, tz, lang, catalogue=cat),
            }
            for a in articles
        ],
    }
