"""Stories as inline-mode results: an article result per story, sent as the story to share.

Each result shows the title, the outlets and the summary (and the story's picture when it has
one); choosing it sends the story as a formatted message with its link and an "Ikuti Berita
Pilihan" deep-link button (bot.telegram.formatting.render_story with `shared`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from telegram import InlineQueryResultArticle, InputTextMessageContent
from telegram.constants import ParseMode

from bot.i18n import Catalogue
from bot.telegram.formatting import clip, outlets_line, render_story, short_summary
from bot.telegram.outgoing import link_preview, url_keyboard
from storage.stories import StoryView

TITLE_MAX = 200  # characters of a title in the results list (it shows one or two lines)
DESCRIPTION_MAX = 300  # the list shows two or three lines of it


def result_id(story_id: int) -> str:
    """The result's id (1–64 bytes), naming the story it shares."""
    return f"s{story_id}"


def story_of_result(result: str) -> int | None:
    """The story a chosen result shared, or None for an id this bot did not make."""
    number = result.removeprefix("s")
    return (
        int(number) if result.startswith("s") and number.isdigit() and len(number) <= 18 else None
    )


def thumbnail_of(view: StoryView) -> str | None:
    """The story's picture as a thumbnail, when it has one Telegram can fetch (http or https)."""
    url = (view.image_url or "").strip()
    return url if url.startswith(("https://", "http://")) else None


def story_result(
    view: StoryView,
    *,
    lang: str,
    tz: tzinfo,
    bot_username: str | None,
    catalogue: Catalogue,
) -> InlineQueryResultArticle:
    """One story as an article result: listed with title, outlets, summary; sent as the story."""
    rendered = render_story(
        view, lang=lang, tz=tz, bot_username=bot_username, catalogue=catalogue, shared=True
    )
    outlets = outlets_line(view, lang=lang, catalogue=catalogue, limit=3)
    summary = short_summary(view.summary, 2)
    description = "\n".join(part for part in (outlets, summary) if part)
    return InlineQueryResultArticle(
        id=result_id(view.id),
        title=clip(" ".join(view.title.split()), TITLE_MAX) or "…",
        description=clip(description, DESCRIPTION_MAX) or None,
        thumbnail_url=thumbnail_of(view),
        input_message_content=InputTextMessageContent(
            rendered.text,
            parse_mode=ParseMode.HTML,
            link_preview_options=link_preview(rendered),
        ),
        reply_markup=url_keyboard(rendered.buttons),
    )


def story_results(
    views: Sequence[StoryView],
    *,
    lang: str,
    tz: tzinfo,
    bot_username: str | None,
    catalogue: Catalogue,
) -> list[InlineQueryResultArticle]:
    """Every story as a result, in order."""
    return [
        story_result(v, lang=lang, tz=tz, bot_username=bot_username, catalogue=catalogue)
        for v in views
    ]
