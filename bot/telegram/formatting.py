"""Story, list and digest messages in Telegram HTML: every feed string escaped, sizes bounded.

Pure: no Telegram objects here. `Rendered.buttons` are rows of (label, url) for URL buttons,
`Rendered.callbacks` rows of (label, callback data) under them;
`bot.telegram.outgoing` turns a Rendered into keyword arguments for `send_message`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from bot.i18n import Catalogue, default_catalogue
from bot.news.text.sentences import split_sentences
from bot.telegram.deep_links import PILIHAN_PAYLOAD, start_link
from storage.stories import StoryView

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
# A summary is at most five sentences and 600 characters (bot.news.text.summarize): show it.
SUMMARY_SENTENCES = 5
UPDATE_TITLE = 300  # characters of the title an update repeats (the line under it is the news)

# Indonesia's three zones have names every reader knows.
_ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


@dataclass(frozen=True, slots=True)
class AppButton:
    """A button that opens the Mini App: inside Telegram in private chats, as a link elsewhere.

    Telegram accepts `web_app` buttons only in private chats; in groups and channels the same
    page opens as an ordinary link (read-only there, no initData).
    """

    label: str
    url: str
    in_app: bool


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message ready to send: HTML text, URL button rows and the link to preview."""

    text: str
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)
    preview_url: str | None = None
    items: int = 0  # stories a list shows (it leaves out what would pass the size limit)
    app: AppButton | None = None  # first row, when PUBLIC_URL serves the Mini App
    callbacks: list[list[tuple[str, str]]] = field(default_factory=list)  # (label, data), last


def app_url(public_url: str, *, story_id: int | None = None, view: str | None = None) -> str:
    """The Mini App's address, opening a story or a view (`pilihan`, `settings`…)."""
    base = f"{public_url}/app/"
    if story_id is not None:
        return f"{base}?story={story_id}"
    return f"{base}?view={view}" if view else base


def app_button(
    public_url: str | None,
    *,
    chat_type: str,
    label: str,
    story_id: int | None = None,
    view: str | None = None,
) -> AppButton | None:
    """The button opening the Mini App (a story, a view), or None without PUBLIC_URL."""
    if not public_url:
        return None
    url = app_url(public_url, story_id=story_id, view=view)
    return AppButton(label, url, in_app=chat_type == "private")


def esc(text: str) -> str:
    """Escape feed text for Telegram HTML (quotes too, so it is safe inside attributes)."""
    return html.escape(text, quote=True)


def tg_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def zone_name(tz: tzinfo, when: datetime | None = None) -> str:
    """WIB, WITA or WIT for Indonesia's zones, else the zone's abbreviation."""
    key = str(getattr(tz, "key", ""))
    if key in _ZONE_NAMES:
        return _ZONE_NAMES[key]
    return (when or datetime(2000, 1, 1, tzinfo=tz)).astimezone(tz).tzname() or key


def format_time(when: datetime, tz: tzinfo, lang: str, *, catalogue: Catalogue) -> str:
    """ "25 Nov 19.05 WIB" in the chat's zone (Indonesian writes hours with a dot)."""
    local = when.astimezone(tz)
    month = catalogue.text(lang, "months").split(",")[local.month - 1]
    sep = "." if lang == "id" else ":"
    return f"{local.day} {month} {local:%H}{sep}{local:%M} {zone_name(tz, when)}"


def format_date(when: datetime, tz: tzinfo, lang: str, *, catalogue: Catalogue) -> str:
    """ "25 Nov 2026" in the chat's zone."""
    local = when.astimezone(tz)
    month = catalogue.text(lang, "months").split(",")[local.month - 1]
    return f"{local.day} {month} {local.year}"


def outlets_line(view: StoryView, *, lang: str, catalogue: Catalogue, limit: int = 4) -> str:
    """ "Tribunnews · Kompas · Detik · +2 media": each outlet once, in the order they came."""
    names = list(dict.fromkeys(a.source for a in view.articles))
    shown = names[:limit]
    if len(names) > limit:
        shown.append(catalogue.text(lang, "story.more_outlets", count=len(names) - limit))
    return " · ".join(shown)


def short_summary(summary: str, sentences: int = SUMMARY_SENTENCES) -> str:
    """The first two or three sentences of a summary."""
    parts = split_sentences(summary.strip())
    return " ".join(parts[:sentences])


def follow_prompt(lang: str, bot_username: str | None, *, catalogue: Catalogue) -> str:
    """The prompt line that turns a forwarded message into a new follower."""
    prompt = esc(catalogue.text(lang, "follow.prompt"))
    link = start_link(bot_username, PILIHAN_PAYLOAD)  # follows Berita Pilihan in one tap
    return catalogue.text(lang, "follow.link", link=esc(link), prompt=prompt) if link else prompt


def render_story(
    view: StoryView,
    *,
    lang: str,
    tz: tzinfo,
    bot_username: str | None,
    limit: int = TEXT_LIMIT,
    catalogue: Catalogue | None = None,
    shared: bool = False,
) -> Rendered:
    """One story: bold title, outlets and time, a short summary, read-more button, prompt.

    `shared`: the message a reader shares through inline mode. Its title links to the story
    and the follow prompt is a button ("Ikuti Berita Pilihan", a deep link) under it, since
    whoever reads it in another chat has never met the bot.
    """
    cat = catalogue or default_catalogue()
    link = view.articles[0].url if view.articles else None
    meta = " — ".join(
        p
        for p in (
            esc(outlets_line(view, lang=lang, catalogue=cat)),
            esc(format_time(view.published_at, tz, lang, catalogue=cat)),
        )
        if p
    )
    prompt = "" if shared else follow_prompt(lang, bot_username, catalogue=cat)
    summary = short_summary(view.summary)

    def build(title: str, body: str) -> str:
        head = f"<b>{esc(title)}</b>"
        if shared and link:
            head = f'<a href="{esc(link)}">{head}</a>'
        parts = [head, meta]
        if body:
            parts.append("")
            parts.append(esc(body))
        if prompt:
            parts += ["", prompt]
        return "\n".join(parts)

    title = view.title
    text = build(title, summary)
    # Shorten the summary first, then the title: both come from feeds and can be huge.
    # Escaping lengthens text, so shorten until the HTML itself fits (an upper bound of what
    # Telegram counts: the text left after parsing the tags).
    while tg_len(text) > limit and summary:
        summary = _cut(summary, _room(summary, tg_len(text) - limit, least=0))
        summary = "" if summary == "…" else summary
        text = build(title, summary)
    while tg_len(text) > limit and len(title) > 1:
        title = _cut(title, _room(title, tg_len(text) - limit, least=1))
        text = build(title, summary)
    buttons: list[list[tuple[str, str]]] = []
    if link:
        buttons.append([(cat.text(lang, "story.read_more"), link)])
    follow = start_link(bot_username, PILIHAN_PAYLOAD) if shared else None
    if follow:
        buttons.append([(cat.text(lang, "inline.follow"), follow)])
    preview = view.image_url or link
    return Rendered(text=text, buttons=buttons, preview_url=preview, items=1)


def render_update(
    view: StoryView,
    *,
    lang: str,
    tz: tzinfo,
    bot_username: str | None,
    catalogue: Catalogue | None = None,
) -> Rendered:
    """A story already pushed that a later outlet added facts to: what is new, in one line."""
    cat = catalogue or default_catalogue()
    title = _cut(view.title, UPDATE_TITLE) if len(view.title) > UPDATE_TITLE else view.title
    lines = [
        f"{esc(cat.text(lang, 'update.heading'))} · <b>{esc(title)}</b>",
        esc(outlets_line(view, lang=lang, catalogue=cat)),
        "",
        esc(view.whats_new or ""),
        "",
        follow_prompt(lang, bot_username, catalogue=cat),
    ]
    buttons: list[list[tuple[str, str]]] = []
    if view.articles:  # the newest outlet's article: the one that brought the news
        buttons.append([(cat.text(lang, "story.read_more"), view.articles[-1].url)])
    return Rendered(text="\n".join(lines), buttons=buttons, items=1)


def render_list(
    views: Sequence[StoryView],
    *,
    heading: str,
    lang: str,
    tz: tzinfo,
    bot_username: str | None,
    start: int = 1,
    limit: int = TEXT_LIMIT,
    catalogue: Catalogue | None = None,
) -> Rendered:
    """A numbered list: title as a link, outlets, time, a one-line summary; ends with the prompt.

    `heading` is trusted HTML from the catalogue. Items that would pass the size limit are left
    out rather than cut mid-tag.
    """
    cat = catalogue or default_catalogue()
    prompt = follow_prompt(lang, bot_username, catalogue=cat)
    blocks: list[str] = []
    used = tg_len(heading) + tg_len(prompt) + 4
    for number, view in enumerate(views, start=start):
        block = _list_item(number, view, lang=lang, tz=tz, catalogue=cat)
        if used + tg_len(block) + 2 > limit:
            break
        blocks.append(block)
        used += tg_len(block) + 2
    text = "\n\n".join([heading, *blocks, prompt])
    return Rendered(text=text, buttons=[], preview_url=None, items=len(blocks))


def render_digest(
    views: Sequence[StoryView],
    *,
    lang: str,
    tz: tzinfo,
    bot_username: str | None,
    now: datetime | None = None,
    catalogue: Catalogue | None = None,
    note: str | None = None,
) -> Rendered:
    """Berita Pilihan: a dated heading and the day's picked stories as a list.

    `note` (trusted catalogue HTML) goes under the heading: why the date is not today's.
    """
    cat = catalogue or default_catalogue()
    when = now or (views[0].published_at if views else datetime(2000, 1, 1, tzinfo=tz))
    heading = cat.text(lang, "pilihan.heading", date=format_date(when, tz, lang, catalogue=cat))
    if note:
        heading = f"{heading}\n{note}"
    return render_list(
        views, heading=heading, lang=lang, tz=tz, bot_username=bot_username, catalogue=cat
    )


def _list_item(
    number: int, view: StoryView, *, lang: str, tz: tzinfo, catalogue: Catalogue
) -> str:
    title = esc(_cut(view.title, 300))
    if view.articles:
        title = f'<a href="{esc(view.articles[0].url)}">{title}</a>'
    meta = " — ".join(
        p
        for p in (
            esc(outlets_line(view, lang=lang, catalogue=catalogue, limit=3)),
            esc(format_time(view.published_at, tz, lang, catalogue=catalogue)),
        )
        if p
    )
    lines = [f"{number}. <b>{title}</b>", meta]
    first = short_summary(view.summary, 1)
    if first:
        lines.append(esc(_cut(first, 240)))
    return "\n".join(lines)


def clip(text: str, room: int) -> str:
    """`text` cut at a word boundary to at most `room` characters, with an ellipsis."""
    return _cut(text, room)


def _room(text: str, excess: int, *, least: int) -> int:
    """Characters of `text` to keep so it sheds `excess` UTF-16 units, plus one for "…"."""
    budget = tg_len(text) - excess - 1
    used = kept = 0
    for char in text:
        used += 2 if ord(char) > 0xFFFF else 1
        if used > budget:
            break
        kept += 1
    return max(least, kept)


def _cut(text: str, room: int) -> str:
    """Cut at a word boundary and add an ellipsis when text is longer than `room`."""
    if len(text) <= room:
        return text
    if room <= 1:
        return "…"[:room]
    cut = text[: room - 1]
    space = cut.rfind(" ")
    if space > room // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


# Callback data of the feedback buttons (bot.handlers.feedback): "fb|+|<story>", "fb|-|<story>"
# and "fb|r" (reset what was learned).
FEEDBACK_MORE, FEEDBACK_LESS, FEEDBACK_RESET = "fb|+|", "fb|-|", "fb|r"


def feedback_rows(
    story_ids: Sequence[int], *, lang: str, catalogue: Catalogue | None = None, reset: bool = False
) -> list[list[tuple[str, str]]]:
    """ "More / less like this" under a story; numbered 👍/👎 rows under a list's items.

    `reset` adds the button that forgets what the chat taught (when it taught something).
    """
    if not story_ids:
        return []
    cat = catalogue or default_catalogue()
    if len(story_ids) == 1:
        (story,) = story_ids
        rows = [[
            (cat.text(lang, "feedback.more"), f"{FEEDBACK_MORE}{story}"),
            (cat.text(lang, "feedback.less"), f"{FEEDBACK_LESS}{story}"),
        ]]  # fmt: skip
    else:
        numbered = list(enumerate(story_ids, 1))
        rows = [
            [(cat.text(lang, "feedback.more_n", n=n), f"{FEEDBACK_MORE}{i}") for n, i in numbered],
            [(cat.text(lang, "feedback.less_n", n=n), f"{FEEDBACK_LESS}{i}") for n, i in numbered],
        ]
    if reset:
        rows.append([(cat.text(lang, "feedback.reset"), FEEDBACK_RESET)])
    return rows
