"""The audience buttons under a broadcast's preview: who it goes to, and its reach, before Confirm.

Each tap changes the draft's stored audience and redraws the preview with the reach counted
by the same query that will enqueue it (storage.audiences). Topics and provinces open a page
of their own; the same button again clears a choice.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.delivery import outbox, progress
from bot.delivery.audiences import KEYWORD_MAX, AudienceError, describe
from bot.handlers.admin_guard import admin_lang, admin_only
from bot.handlers.chat_access import echo, topic_names
from bot.news.topics.taxonomy import REGIONS, TAXONOMY, region_topic, topic_label
from bot.telegram.typed_context import BotContext
from storage.audiences import CHAT_TYPES, LANGUAGES, Audience
from storage.models import Broadcast

PREFIX = "bc:aud:"
PATTERN = r"^bc:aud:\d+:[a-z]=[a-z0-9:-]+$"


def preview_text(ctx: BotContext, lang: str, audience: Audience, reach: int) -> str:
    """The line under the preview: the audience, and how many chats it reaches now."""
    key = "admin.broadcast.preview" if reach else "admin.broadcast.preview_empty"
    return ctx.text(lang, key, audience=describe(ctx.state.catalogue, lang, audience), reach=reach)


def bad_audience_text(ctx: BotContext, lang: str, error: AudienceError) -> str:
    """Why a typed audience was refused, and what would work."""
    return ctx.text(
        lang,
        f"admin.audience.bad.{error.kind}",
        typed=echo(error.typed),
        topics=topic_names(lang),
        max=KEYWORD_MAX,
    )


def preview_keyboard(
    ctx: BotContext, lang: str, broadcast_id: int, audience: Audience, menu: str = "0"
) -> InlineKeyboardMarkup:
    """Audience choices (the main page, or the topics or provinces page), Confirm and Cancel."""

    def button(label: str, op: str, on: bool = False) -> InlineKeyboardButton:
        text = ctx.text(lang, "admin.audience.checked", label=label) if on else label
        return InlineKeyboardButton(text, callback_data=f"{PREFIX}{broadcast_id}:{op}")

    def label(key: str) -> str:
        return ctx.text(lang, f"admin.audience.btn.{key}")

    back = [button(label("back"), "m=0")]
    if menu == "t":
        topics = [button(topic_label(t.slug, lang), f"t={t.slug}", audience.topic == t.slug)
                  for t in TAXONOMY]  # fmt: skip
        return InlineKeyboardMarkup([*_rows(topics, 3), back])
    if menu == "r":
        regions = [button(name, f"t={region_topic(slug)}", audience.topic == region_topic(slug))
                   for slug, name in REGIONS.items()]  # fmt: skip
        return InlineKeyboardMarkup([*_rows(regions, 3), back])
    narrowed = audience.topic is not None or audience.keyword is not None
    rows = [
        [
            button(label("followers"), "b=f", not audience.everyone and not narrowed),
            button(label("everyone"), "b=a", audience.everyone and not narrowed),
        ],
        [button(label(t), f"c={t}", audience.chat_type == t) for t in CHAT_TYPES],
        [
            button(label(f"lang.{code}"), f"l={code}", audience.language == code)
            for code in LANGUAGES
        ],  # fmt: skip
        [button(label("topics"), "m=t"), button(label("regions"), "m=r")],
        [
            InlineKeyboardButton(
                ctx.text(lang, "admin.broadcast.confirm"),
                callback_data=f"{progress.CONFIRM_PREFIX}{broadcast_id}",
            ),
            InlineKeyboardButton(
                ctx.text(lang, "admin.broadcast.cancel"),
                callback_data=f"{progress.CANCEL_PREFIX}{broadcast_id}",
            ),
        ],
    ]
    return InlineKeyboardMarkup(rows)


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def changed(audience: Audience, op: str) -> Audience | None:
    """The audience after one tap (`b=f`, `c=group`, `l=en`, `t=olahraga`…); None if forged."""
    name, _, value = op.partition("=")
    if name == "b" and value in ("f", "a"):
        return Audience(everyone=value == "a", language=audience.language,
                        chat_type=audience.chat_type)  # fmt: skip
    if name == "c" and value in CHAT_TYPES:
        return replace(audience, chat_type=None if audience.chat_type == value else value)
    if name == "l" and value in LANGUAGES:
        return replace(audience, language=None if audience.language == value else value)
    if name == "t" and _known_topic(value):
        topic = None if audience.topic == value else value
        return replace(audience, topic=topic, keyword=None, everyone=False)
    return None


def _known_topic(value: str) -> bool:
    return any(t.slug == value for t in TAXONOMY) or any(
        region_topic(slug) == value for slug in REGIONS
    )


@admin_only
async def audience_button(update: Update, ctx: BotContext) -> None:
    """A tap on an audience choice under a draft's preview: store it, redraw with its reach."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    _, _, rest = query.data.partition(PREFIX)
    id_text, _, op = rest.partition(":")
    broadcast_id, lang = int(id_text), admin_lang(update)
    chat_id, message_id = query.message.chat.id, query.message.message_id
    async with ctx.sessions.begin() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
        if broadcast is None or broadcast.status != "draft":
            await query.answer()
            gone = ctx.text(lang, "admin.broadcast.gone")
            await progress.edit(ctx.bot, chat_id, message_id, gone, None)
            return
        audience = outbox.audience_of(broadcast)
        menu = "0"
        if op.startswith("m="):
            menu = op[2:] if op[2:] in ("t", "r") else "0"
        else:
            new = changed(audience, op)
            if new is None:
                await query.answer(ctx.text(lang, "error.expired"))
                return
            audience = new
            await outbox.set_audience(session, broadcast_id, audience)
        reach = await outbox.count_reach(session, audience)
    await query.answer()
    text = preview_text(ctx, lang, audience, reach)
    markup = preview_keyboard(ctx, lang, broadcast_id, audience, menu)
    await progress.edit(ctx.bot, chat_id, message_id, text, markup)
