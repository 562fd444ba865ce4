"""The PTB Application and its one ordered handler list; tests inject a fake request here."""

from __future__ import annotations

import importlib.util
import logging
from typing import cast

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.delivery.budget import SendBudget
from bot.handlers import (
    channels,
    chat_members,
    feedback,
    inline,
    privacy,
    reading,
    search,
    settings,
    topics,
    user,
)
from bot.handlers.chat_access import args_of
from bot.i18n import Catalogue
from bot.runtime import Resources
from bot.telegram.rate_limiter import BudgetRateLimiter
from bot.telegram.typed_context import BotApp, BotContext, BotState

log = logging.getLogger(__name__)

# (commands, callback) in menu order; the first name is the one in the menu and in /help.
COMMANDS = (
    (("start", "mulai"), user.start),
    (("latest", "terbaru"), reading.latest),
    (("cari", "search"), search.search_command),
    (("pilihan",), reading.pilihan),
    (("topic", "topik"), topics.topic_command),
    (("subscribe", "ikuti", "follow"), user.subscribe),
    (("unsubscribe", "berhenti", "unfollow"), user.unsubscribe),
    (("settings", "pengaturan"), settings.settings_command),
    (("stop",), user.stop),
    (("help", "bantuan"), user.help_command),
    (("channel", "kanal"), channels.channel_command),
    (("privasi", "privacy"), privacy.privacy_command),
    (("datasaya", "mydata"), privacy.export_command),
    (("hapusdata", "deletemydata"), privacy.erase_command),
)
MENU = tuple(
    (
        "start",
        "latest",
        "cari",
        "pilihan",
        "topic",
        "subscribe",
        "unsubscribe",
        "settings",
        "stop",
        "help",
        "privasi",
    )
)


def menu_commands(catalogue: Catalogue, lang: str) -> list[BotCommand]:
    """The command menu in one language (setMyCommands)."""
    return [BotCommand(name, catalogue.text(lang, f"cmd.{name}")) for name in MENU]


def build_application(
    settings_: Settings,
    resources: Resources | None,
    *,
    request: BaseRequest | None = None,
    updates: bool = True,
    budget: SendBudget | None = None,
) -> BotApp:
    """Build the Application with every handler; `resources` may be set later (runner).

    Without `updates` (a worker process) there is no Updater: such a process only sends.
    With a `budget`, every call to Telegram that sends draws on it (bot.telegram.rate_limiter).
    """
    if settings_.bot_token is None:
        raise ValueError("BOT_TOKEN is not set: get one from @BotFather and put it in .env")
    api = settings_.telegram_api_url
    builder = (
        Application.builder()
        .token(settings_.bot_token.get_secret_value().strip())
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .context_types(ContextTypes(context=BotContext, bot_data=BotState))
        # Handlers mostly wait on Telegram and the database: serve a few updates at once.
        .concurrent_updates(8)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if not updates:
        builder = builder.updater(None)
    if budget is not None:
        builder = builder.rate_limiter(
            BudgetRateLimiter(budget, patience=settings_.reply_max_wait)
        )
    # The builder's JobQueue is typed with the default context; ours hands out BotContext.
    application = cast(BotApp, builder.build())
    application.bot_data.settings = settings_
    application.bot_data.resources = resources
    register_handlers(application)
    return application


def register_handlers(application: BotApp) -> None:
    """Every handler, in the order PTB tries them."""
    messages = filters.UpdateType.MESSAGE
    # Group -1 runs for every update before the others: it keeps the chats table current.
    application.add_handler(TypeHandler(Update, chat_members.track_chat), group=-1)

    application.add_handler(
        ChatMemberHandler(chat_members.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(
        MessageHandler(filters.StatusUpdate.MIGRATE & messages, chat_members.on_migration)
    )
    for names, callback in COMMANDS:
        application.add_handler(CommandHandler(list(names), callback, filters=messages))
    if importlib.util.find_spec("bot.handlers.admin") is not None:
        admin = importlib.import_module("bot.handlers.admin")
        admin.register(application)
    application.add_handler(
        MessageHandler(filters.UpdateType.CHANNEL_POST & filters.COMMAND, channel_post_command)
    )
    application.add_handler(CallbackQueryHandler(user.follow_button, pattern=r"^f\|"))
    application.add_handler(CallbackQueryHandler(reading.more_button, pattern=r"^m\|"))
    application.add_handler(CallbackQueryHandler(topics.toggle_button, pattern=r"^tf?\|"))
    application.add_handler(CallbackQueryHandler(settings.settings_button, pattern=r"^s\|"))
    application.add_handler(CallbackQueryHandler(search.page_button, pattern=r"^q\|"))
    application.add_handler(CallbackQueryHandler(search.follow_keyword_button, pattern=r"^k\|"))
    application.add_handler(CallbackQueryHandler(privacy.erase_button, pattern=privacy.PATTERN))
    application.add_handler(
        CallbackQueryHandler(feedback.feedback_button, pattern=feedback.PATTERN)
    )
    application.add_handler(CallbackQueryHandler(user.stale_button))
    # Inline mode: `@bot kata` in any chat, and the results readers choose (shares per day).
    application.add_handler(InlineQueryHandler(inline.answer_inline))
    application.add_handler(ChosenInlineResultHandler(inline.count_share))
    application.add_handler(MessageHandler(filters.COMMAND & messages, user.unknown_command))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & messages, search.search_text)
    )
    application.add_error_handler(chat_members.on_error)


async def channel_post_command(update: Update, ctx: BotContext) -> None:
    """Commands posted in a channel (PTB's CommandHandler ignores channel posts)."""
    post = update.channel_post
    if post is None or not post.text:
        return
    word, *rest = post.text.split()
    name, _, addressee = word[1:].partition("@")
    if addressee and addressee.casefold() != (ctx.bot.username or "").casefold():
        return
    for names, callback in COMMANDS:
        if name.casefold() in names and names[0] != "channel":
            ctx.args = rest
            await callback(update, ctx)
            return
    ctx.args = args_of(ctx)
    await user.unknown_command(update, ctx)
