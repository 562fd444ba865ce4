"""Search from chat: `/cari <kata>` (`/search`), and any plain text in a private chat.

Results are the story list of `/latest` (title linking the story, outlets, time in the chat's
zone, a line of summary), `PAGE` at a time, with Previous/Next buttons that edit the message in
place and "Ikuti kata ini" to follow the query as a keyword. Buttons carry the query itself in
their callback data (at most 64 bytes), so any process of the bot can turn the page; a query
too long for that gets its results without buttons.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.handlers.chat_access import (
    NO_PREVIEW,
    button_allowed,
    chat_lang,
    chat_of,
    chat_tz,
    echo,
    lang_of,
    raw_args,
    reply,
)
from bot.handlers.user import KEYWORD_MAX, follow
from bot.news.search.query import MAX_CHARS, MAX_TERMS, Query, QueryError, describe, parse_query
from bot.news.topics.taxonomy import resolve_topic, topic_label
from bot.telegram.formatting import render_list
from bot.telegram.typed_context import BotContext
from storage.chats import KEYWORD
from storage.search import search_stories
from storage.stories import views_by_ids

PAGE = 5
OFFSET_MAX = 200  # results a reader can page through
CALLBACK_BYTES = 64  # Telegram's limit on a button's callback data
PAGE_PREFIX = "q|"
FOLLOW_PREFIX = "k|"


async def search_command(update: Update, ctx: BotContext) -> None:
    """`/cari <kata>`: the best matching stories; without words, how to search."""
    typed = raw_args(update)
    if not typed:
        await reply(update, ctx.text(await chat_lang(update, ctx), "search.usage"))
        return
    await _answer(update, ctx, typed, offset=0, edit=False)


async def search_text(update: Update, ctx: BotContext) -> None:
    """Plain text in a private chat is a search."""
    message = update.effective_message
    if message is None or not message.text:
        return
    await _answer(update, ctx, message.text, offset=0, edit=False, plain=True)


async def page_button(update: Update, ctx: BotContext) -> None:
    """Previous/Next: the other page of the same search, in the same message."""
    callback = update.callback_query
    if callback is None or not callback.data:
        return
    _, _, rest = callback.data.partition("|")
    offset_text, _, typed = rest.partition("|")
    if not offset_text.isdigit() or int(offset_text) > OFFSET_MAX or not typed:
        await callback.answer(ctx.text(await chat_lang(update, ctx), "error.expired"))
        return
    if not await button_allowed(update, ctx):
        return
    await callback.answer()
    await _answer(update, ctx, typed, offset=int(offset_text), edit=True)


async def follow_keyword_button(update: Update, ctx: BotContext) -> None:
    """ "Ikuti kata ini": follow the query as a keyword (admins only in groups, as /subscribe)."""
    callback = update.callback_query
    if callback is None or not callback.data:
        return
    typed = callback.data.removeprefix(FOLLOW_PREFIX)
    keyword = keyword_of(typed)
    if keyword is None:
        await callback.answer(ctx.text(await chat_lang(update, ctx), "error.expired"))
        return
    if await follow(update, ctx, KEYWORD, keyword):
        await callback.answer()


def keyword_of(typed: str) -> str | None:
    """The keyword a query is followed as (tidied, lower case), or None if it cannot be one."""
    keyword = describe(typed).casefold()
    if not 2 <= len(keyword) <= KEYWORD_MAX:
        return None
    try:
        parse_query(keyword)
    except QueryError:
        return None
    return keyword


async def _answer(
    update: Update, ctx: BotContext, typed: str, *, offset: int, edit: bool, plain: bool = False
) -> None:
    async with ctx.sessions() as session:
        chat = await chat_of(session, update, ctx)
        await session.commit()
        lang = lang_of(chat)
        try:
            query = parse_query(typed)
        except QueryError as error:
            values = {"max_chars": MAX_CHARS, "max_terms": MAX_TERMS, "query": echo(typed)}
            text = ctx.text(lang, error.key, **values)
            if plain and error.key in ("search.empty", "search.only_excluded"):
                text = f"{text}\n\n{ctx.text(lang, 'hint.text')}"
            await reply(update, text)
            return
        page = await search_stories(session, query, limit=PAGE, offset=offset, now=ctx.now())
        views = await views_by_ids(session, page.story_ids)
    shown = describe(typed)
    if not views:
        await reply(update, _nothing(ctx, lang, typed, query, offset=offset, plain=plain))
        return
    rendered = render_list(
        views,
        heading=ctx.text(lang, "search.heading", query=echo(shown)),
        lang=lang,
        tz=chat_tz(chat, ctx),
        bot_username=ctx.bot.username,
        start=offset + 1,
        catalogue=ctx.state.catalogue,
    )
    more = page.has_more or rendered.items < len(views)  # a long page may be cut short
    markup = _buttons(ctx, lang, shown, offset, shown=rendered.items, more=more)
    if not edit:
        await reply(update, rendered.text, markup=markup)
        return
    callback = update.callback_query
    assert callback is not None
    try:
        await callback.edit_message_text(
            rendered.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise  # a double tap lands on the page already shown: nothing to do


def _nothing(
    ctx: BotContext, lang: str, typed: str, query: Query, *, offset: int, plain: bool
) -> str:
    """No (more) results: say so, and suggest a topic to read instead."""
    if offset:
        return ctx.text(lang, "search.end")
    topic = resolve_topic(describe(typed))
    if topic is not None:
        suggestion = ctx.text(lang, "search.try_topic", topic=topic_label(topic, lang))
    else:
        suggestion = ctx.text(lang, "search.try_topics")
    text = ctx.text(lang, "search.none", query=echo(describe(typed)))
    if query.excluded:
        text = f"{text} {ctx.text(lang, 'search.none_excluded')}"
    parts = [text, suggestion]
    if plain:
        parts.append(ctx.text(lang, "hint.text"))
    return "\n\n".join(parts)


def _buttons(
    ctx: BotContext, lang: str, typed: str, offset: int, *, shown: int, more: bool
) -> InlineKeyboardMarkup | None:
    """Previous/Next, and "Ikuti kata ini", when the query fits in a button's data."""
    rows: list[list[InlineKeyboardButton]] = []
    paging: list[InlineKeyboardButton] = []
    if offset > 0:
        data = _data(PAGE_PREFIX, f"{max(offset - PAGE, 0)}|{typed}")
        if data:
            paging.append(
                InlineKeyboardButton(ctx.text(lang, "button.previous"), callback_data=data)
            )
    after = offset + shown
    if more and after <= OFFSET_MAX:
        data = _data(PAGE_PREFIX, f"{after}|{typed}")
        if data:
            paging.append(InlineKeyboardButton(ctx.text(lang, "button.next"), callback_data=data))
    if paging:
        rows.append(paging)
    keyword = keyword_of(typed)
    data = _data(FOLLOW_PREFIX, keyword) if keyword is not None else None
    if data:
        rows.append(
            [InlineKeyboardButton(ctx.text(lang, "button.follow_keyword"), callback_data=data)]
        )
    return InlineKeyboardMarkup(rows) if rows else None


def _data(prefix: str, rest: str) -> str | None:
    data = prefix + rest
    return data if len(data.encode()) <= CALLBACK_BYTES else None
