"""`newsbot run`: the bot, the JobQueue (ingest, Berita Pilihan) and delivery in one process.

The lifecycle is spelled out (rather than `run_polling`) so it runs inside the CLI's event loop
and closes in reverse order on SIGINT/SIGTERM: stop taking updates, let running handlers and
jobs finish, stop delivery, shut the Application down, close the database and HTTP client.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import signal
import sys
from contextlib import AsyncExitStack
from urllib.parse import urlsplit

from bot.app import build_application, menu_commands
from bot.config import Settings
from bot.context import BotApp
from bot.health import start_ops_server
from bot.jobs import schedule_jobs
from bot.metrics import Metrics
from bot.resources import open_resources
from bot.retention import schedule_retention

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member", "channel_post"]


async def set_menu(application: BotApp) -> None:
    """The command menu in Indonesian (default) and English (users with an English client)."""
    catalogue = application.bot_data.catalogue
    await application.bot.set_my_commands(menu_commands(catalogue, "id"))
    await application.bot.set_my_commands(menu_commands(catalogue, "en"), language_code="en")


async def run_bot(settings: Settings) -> int:
    """Run until SIGINT or SIGTERM; return the exit code."""
    if settings.bot_token is None:
        print(
            "newsbot: BOT_TOKEN is not set. Create a bot with @BotFather and put its token in "
            ".env (BOT_TOKEN=123456:ABC…).",
            file=sys.stderr,
        )
        return 2
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with AsyncExitStack() as stack:
            metrics = Metrics()  # this process's own registry, served on METRICS_PORT
            resources = await stack.enter_async_context(
                open_resources(settings, on_cycle=metrics.observe_cycle)
            )
            application = build_application(settings, resources)
            await stack.enter_async_context(application)  # initialize … shutdown
            await set_menu(application)
            await _start_delivery(stack, application, settings)
            schedule_jobs(application)
            schedule_retention(application, settings, metrics)
            await application.start()
            stack.push_async_callback(application.stop)
            await _start_updates(stack, application, settings)
            await _start_ops(stack, application, settings, metrics)
            log.info("newsbot is running as @%s", application.bot.username)
            await stop.wait()
            log.info("stopping")
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    log.info("stopped cleanly")
    return 0


async def _start_delivery(stack: AsyncExitStack, application: BotApp, settings: Settings) -> None:
    if importlib.util.find_spec("bot.delivery.service") is None:
        log.warning("bot.delivery.service is missing: no pushes or digests will be sent")
        return
    from bot.delivery.service import start_delivery

    resources = application.bot_data.resources
    assert resources is not None
    service = await start_delivery(application, resources, settings)
    application.bot_data.delivery = service
    stack.push_async_callback(service.stop)


async def _start_ops(
    stack: AsyncExitStack, application: BotApp, settings: Settings, metrics: Metrics
) -> None:
    if not settings.metrics_port:
        return
    from bot.delivery.pacing import effective_rate

    resources = application.bot_data.resources
    assert resources is not None
    try:
        server = await start_ops_server(
            metrics,
            resources.sessions,
            host=settings.metrics_listen,
            port=settings.metrics_port,
            delivery=application.bot_data.delivery,
            send_rate=effective_rate(settings.send_rate, settings.paid_broadcast),
        )
    except OSError as exc:  # the bot itself still works: say why and go on without it
        log.error("cannot serve health and metrics on port %d: %s", settings.metrics_port, exc)
        return
    stack.push_async_callback(server.stop)


async def _start_updates(stack: AsyncExitStack, application: BotApp, settings: Settings) -> None:
    updater = application.updater
    if updater is None:
        raise RuntimeError("the Application was built without an Updater")
    if settings.webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        if secret is None:
            log.warning("WEBHOOK_URL is set without WEBHOOK_SECRET: anyone can post updates")
        await updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
    stack.push_async_callback(updater.stop)
