"""Admin commands: /admin add, /broadcast with preview, confirm and cancel; registration."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy import update as sql_update
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.delivery import outbox, progress
from bot.delivery.audiences import AudienceError, describe, parse_forms
from bot.handlers import admin_ops, audience
from bot.handlers.admin_guard import Handler, admin_lang, admin_only
from bot.handlers.chat_access import reply
from bot.telegram.typed_context import BotApp, BotContext
from storage.audiences import Audience
from storage.dialect import insert_for
from storage.models import Admin, Broadcast


@admin_only
async def admin_command(update: Update, ctx: BotContext) -> None:
    """`/admin add <user id>`."""
    lang, args = admin_lang(update), (ctx.args or [])
    if len(args) != 2 or args[0] != "add" or not args[1].lstrip("-").isdigit():
        await reply(update, ctx.text(lang, "admin.add.usage"))
        return
    user_id, added_by = int(args[1]), update.effective_user.id if update.effective_user else 0
    async with ctx.sessions.begin() as session:
        stmt = insert_for(session, Admin).values(
            user_id=user_id, added_by=added_by, created_at=ctx.now()
        )
        added = (await session.execute(stmt.on_conflict_do_nothing())).rowcount  # type: ignore[attr-defined]
    key = "admin.add.done" if added else "admin.add.already"
    if user_id in ctx.settings.admin_ids:
        key = "admin.add.already"
    await reply(update, ctx.text(lang, key, user_id=user_id))


@admin_only
async def broadcast_command(update: Update, ctx: BotContext) -> None:
    """`/broadcast [audience] <text>`, or replying to a message: preview, audience, reach, confirm.

    The audience forms (`topik:olahraga`, `wilayah:jawa-timur`, `bahasa:en`, `kata:banjir`,
    `jenis:grup`, `audiens:semua`) come before the text; the preview's buttons change them.
    """
    message, lang = update.effective_message, admin_lang(update)
    if message is None or update.effective_user is None:
        return
    source = message.reply_to_message
    typed = _command_html(message.text_html or "" if source is None else message.text or "")
    try:
        chosen, body = parse_forms(typed)
    except AudienceError as exc:
        await reply(update, audience.bad_audience_text(ctx, lang, exc))
        return
    if source is None and not body:
        await reply(update, ctx.text(lang, "admin.usage.broadcast"))
        return
    async with ctx.sessions.begin() as session:
        reach = await outbox.count_reach(session, chosen)
        if reach == 0 and chosen != Audience():
            # A typed audience nobody is in: say so, draft nothing (the default audience
            # still gets a preview, so another can be chosen with its buttons).
            described = describe(ctx.state.catalogue, lang, chosen)
            await reply(update, ctx.text(lang, "admin.broadcast.empty", audience=described))
            return
        draft = await outbox.create_broadcast(
            session,
            update.effective_user.id,
            ctx.now(),
            text=body if source is None else None,
            source=(source.chat_id, source.message_id) if source is not None else None,
            audience=chosen,
        )
    # The preview is exactly what chats will get: the same HTML, or a copy of the message.
    if source is not None:
        await ctx.bot.copy_message(message.chat_id, source.chat_id, source.message_id)
    else:
        await ctx.bot.send_message(message.chat_id, body, parse_mode=ParseMode.HTML)
    await reply(
        update,
        audience.preview_text(ctx, lang, chosen, reach),
        markup=audience.preview_keyboard(ctx, lang, draft.id, chosen),
    )


def _command_html(text_html: str) -> str:
    """The HTML after the command word (formatting of the rest kept)."""
    parts = text_html.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


@admin_only
async def broadcast_button(update: Update, ctx: BotContext) -> None:
    """Confirm or Cancel under a preview or a running broadcast's progress."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    confirm = query.data.startswith(progress.CONFIRM_PREFIX)
    broadcast_id = int(query.data.rsplit(":", 1)[1])
    lang, now = admin_lang(update), ctx.now()
    chat_id, message_id = query.message.chat.id, query.message.message_id
    total, described = 0, ""
    async with ctx.sessions.begin() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
        status = broadcast.status if broadcast is not None else None
        if broadcast is not None:
            described = describe(ctx.state.catalogue, lang, outbox.audience_of(broadcast))
        if confirm and status == "draft":
            total = await outbox.start_broadcast(session, broadcast_id)
        if confirm and status == "draft" and total == 0:
            # Nobody is in the audience (any more): nothing starts, the preview stays.
            await query.answer(ctx.text(lang, "admin.broadcast.empty_alert"), show_alert=True)
            return
        if confirm and status == "draft":
            await session.execute(
                sql_update(Broadcast)
                .where(Broadcast.id == broadcast_id)
                .values(progress_chat_id=chat_id, progress_message_id=message_id)
            )
        elif not confirm and status in ("draft", "running"):
            await outbox.cancel_broadcast(session, broadcast_id, now, tz=ctx.settings.tz)
    service = ctx.state.delivery
    if service is not None and status in ("draft", "running"):
        service.kick()  # a cancel reaches the rows the sender already queued before it sends
    await query.answer()
    if confirm and status == "draft":
        text = ctx.text(lang, "admin.broadcast.progress", id=broadcast_id, audience=described,
                        total=total, sent=0, blocked=0, failed=0, remaining=total, rate="0.0",
                        eta="?")  # fmt: skip
        markup = progress.cancel_keyboard(ctx.state.catalogue, lang, broadcast_id)
        await progress.edit(ctx.bot, chat_id, message_id, text, markup)
    elif not confirm and status == "draft":
        text = ctx.text(lang, "admin.broadcast.cancelled", id=broadcast_id)
        await progress.edit(ctx.bot, chat_id, message_id, text, None)
    elif not confirm and status == "running" and service is not None:
        await service.show_final(broadcast_id)
    elif status not in ("draft", "running"):
        await progress.edit(
            ctx.bot, chat_id, message_id, ctx.text(lang, "admin.broadcast.gone"), None
        )


async def admins(ctx: BotContext) -> list[int]:
    """Every admin's user id (ADMIN_IDS first)."""
    async with ctx.sessions() as session:
        added = (await session.scalars(select(Admin.user_id).order_by(Admin.user_id))).all()
    return [
        *sorted(ctx.settings.admin_ids),
        *[a for a in added if a not in ctx.settings.admin_ids],
    ]


def register(application: BotApp) -> None:
    """Add the admin commands and buttons (called by bot.telegram.app in its ordered list)."""
    messages = filters.UpdateType.MESSAGE
    commands: list[tuple[str, Handler]] = [
        ("admin", admin_command),
        ("broadcast", broadcast_command),
        ("stats", admin_ops.stats_command),
        ("sources", admin_ops.sources_command),
        ("source", admin_ops.source_command),
        ("pick", admin_ops.pick_command),
        ("pilihan_now", admin_ops.pilihan_now_command),
    ]
    for name, callback in commands:
        application.add_handler(CommandHandler(name, callback, filters=messages))
    application.add_handler(
        CallbackQueryHandler(broadcast_button, pattern=r"^bc:(go|cancel):\d+$")
    )
    application.add_handler(
        CallbackQueryHandler(audience.audience_button, pattern=audience.PATTERN)
    )
