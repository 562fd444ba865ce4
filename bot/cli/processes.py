"""`newsbot run`, `web` and `worker`: the bot's processes, built from the same parts.

- `run`: everything in one process: updates (long polling, or a webhook when WEBHOOK_URL is
  set), the JobQueue (ingest, Berita Pilihan, retention) and delivery; the Mini App too when
  PUBLIC_URL is set.
- `web`: the bot's web server: Telegram's webhook (WEBHOOK_URL) and the Mini App (`/app`,
  `/api`); any number of them can share one database.
- `worker`: ingest, and delivery with the digest scheduler; any number of them can share one
  database. Every worker polls (each due source is claimed by one of them); delivery and the
  digest scheduler run in exactly one at a time, the holder of the "lead" role
  (`bot.ops.leader`), and another worker takes over within seconds when the holder dies.

The lifecycle is spelled out (rather than `run_polling`) so it runs inside the CLI's event loop
and closes in reverse order on SIGINT/SIGTERM: stop taking updates, let running handlers and
jobs finish, stop delivery, shut the Application down, close the database and HTTP client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import signal
import sys
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from functools import partial
from typing import Literal
from urllib.parse import urlsplit

from aiohttp import web
from telegram import MenuButtonWebApp, WebAppInfo
from telegram.error import TelegramError

from bot.config import Settings, token_problem
from bot.delivery.budget import PostgresBudget, SendBudget
from bot.delivery.pacing import Pacer, effective_rate
from bot.ops.health import start_ops_server
from bot.ops.heap import freeze_startup
from bot.ops.leader import Role, role_is_held
from bot.ops.metrics import Metrics
from bot.ops.retention import schedule_retention
from bot.runtime import Resources, open_resources
from bot.telegram.app import build_application, menu_commands
from bot.telegram.formatting import app_url
from bot.telegram.jobs import schedule_jobs
from bot.telegram.typed_context import BotApp
from bot.telegram.webhook import add_webhook, register_webhook
from bot.webapp.deps import AppDeps
from bot.webapp.server import add_webapp
from storage.outage import watch_database

log = logging.getLogger(__name__)

# Inline queries and chosen results too (they also need /setinline and /setinlinefeedback).
ALLOWED_UPDATES = [
    "message",
    "callback_query",
    "my_chat_member",
    "channel_post",
    "inline_query",
    "chosen_inline_result",
]
Mode = Literal["run", "web", "worker"]
LEAD_ROLE = "lead"  # delivery (sender, broadcasts) and the digest scheduler


async def set_menu(application: BotApp) -> None:
    """The command menu in Indonesian (default) and English; the Mini App as the menu button."""
    catalogue = application.bot_data.catalogue
    settings = application.bot_data.settings
    public_url = settings.public_url if settings is not None else None
    await application.bot.set_my_commands(menu_commands(catalogue, "id"))
    await application.bot.set_my_commands(menu_commands(catalogue, "en"), language_code="en")
    if public_url:
        app = WebAppInfo(url=app_url(public_url))
        text = catalogue.text("id", "menu.app")
        await application.bot.set_chat_menu_button(menu_button=MenuButtonWebApp(text, app))


async def run_bot(settings: Settings, mode: Mode = "run") -> int:
    """Run one of the bot's processes until SIGINT or SIGTERM; return the exit code."""
    problem = token_problem(settings)  # checked here: only these processes call Telegram
    if problem is not None:
        print(f"newsbot: {problem}", file=sys.stderr)
        return 2
    if mode == "web" and not (settings.webhook_url or settings.public_url):
        print(
            "newsbot: `newsbot web` receives Telegram's webhook and serves the Mini App: set "
            "WEBHOOK_URL (the public https address) and WEBHOOK_SECRET, and/or PUBLIC_URL; or "
            "use `newsbot run` for long polling.",
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
                # The sources file is applied by the processes that poll, not by web ones.
                open_resources(
                    settings, on_cycle=metrics.observe_cycle, sync_sources=mode != "web"
                )
            )
            budget = build_budget(settings, resources)
            application = build_application(
                settings, resources, updates=mode != "worker", budget=budget
            )
            await stack.enter_async_context(application)  # initialize … shutdown
            if mode != "worker":
                await set_menu(application)
            role = None
            if mode != "web":
                role = await _start_lead_role(stack, application, settings, budget)
                schedule_jobs(application)
                schedule_retention(application, settings, metrics)
            metrics.faults.watch(resources.watch, role, role.holding.is_set if role else None)
            _start_database_watch(stack, resources)
            await application.start()
            stack.push_async_callback(application.stop)
            if mode != "worker":
                await _start_web(stack, application, settings, mode)
                await _start_updates(stack, application, settings, mode)
            await _start_ops(stack, application, settings, metrics, mode)
            freeze_startup()  # full collections stop walking start-up's objects (bot.ops.heap)
            log.info("newsbot is running as @%s (%s)", application.bot.username, mode)
            await stop.wait()
            log.info("stopping")
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    log.info("stopped cleanly")
    return 0


def _start_database_watch(stack: AsyncExitStack, resources: Resources) -> None:
    task = asyncio.create_task(watch_database(resources.engine, resources.watch), name="db-watch")

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    stack.push_async_callback(stop)


def build_budget(settings: Settings, resources: Resources) -> SendBudget:
    """This process's send budget: its pacer, shared through PostgreSQL when it is the store.

    On SQLite the bot runs as one process, whose pacer is the whole budget.
    """
    rate = effective_rate(settings.send_rate, settings.paid_broadcast)
    shared = None
    if resources.engine.url.get_backend_name() == "postgresql":
        shared = PostgresBudget(resources.sessions, rate)
    return SendBudget(Pacer(rate), shared, watch=resources.watch)


async def _start_lead_role(
    stack: AsyncExitStack, application: BotApp, settings: Settings, budget: SendBudget
) -> Role:
    """Run delivery and the digest scheduler whenever this process holds the lead role."""
    from bot.delivery.service import start_delivery

    resources = application.bot_data.resources
    assert resources is not None

    async def lead() -> None:
        service = await start_delivery(application, resources, settings, sole=True, budget=budget)
        application.bot_data.delivery = service
        application.bot_data.lead = True  # digests and pruning are scheduled here now
        try:
            await asyncio.Event().wait()  # until the role is lost or the process stops
        finally:
            application.bot_data.lead = False
            application.bot_data.delivery = None
            await service.stop()

    application.bot_data.lead = False

    role = Role(resources.engine, LEAD_ROLE, lead, watch=resources.watch)
    task = asyncio.create_task(role.run(), name="lead-role")

    async def stop_role() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    stack.push_async_callback(stop_role)
    return role


async def _start_ops(
    stack: AsyncExitStack, application: BotApp, settings: Settings, metrics: Metrics, mode: Mode
) -> None:
    if not settings.metrics_port:
        return
    resources = application.bot_data.resources
    assert resources is not None
    try:
        server = await start_ops_server(
            metrics,
            resources.sessions,
            host=settings.metrics_listen,
            port=settings.metrics_port,
            delivery=None if mode == "web" else lambda: application.bot_data.delivery,
            send_rate=effective_rate(settings.send_rate, settings.paid_broadcast),
            lead_held=partial(role_is_held, resources.engine, LEAD_ROLE),
            watch=resources.watch,
        )
    except OSError as exc:  # the bot itself still works: say why and go on without it
        log.error("cannot serve health and metrics on port %d: %s", settings.metrics_port, exc)
        return
    stack.push_async_callback(server.stop)


async def _start_web(
    stack: AsyncExitStack, application: BotApp, settings: Settings, mode: Mode
) -> None:
    """The bot's one web server: the webhook and/or the Mini App, on WEBHOOK_PORT (or PORT)."""
    serve_app = mode == "web" or settings.public_url is not None
    if not (settings.webhook_url or serve_app):
        return
    resources = application.bot_data.resources
    assert resources is not None
    app = web.Application()
    if serve_app:
        add_webapp(
            app,
            AppDeps(
                sessions=resources.sessions,
                settings=settings,
                catalogue=application.bot_data.catalogue,
                clock=application.bot_data.clock,
                bot_username=lambda: application.bot.username,
            ),
        )
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    if settings.webhook_url:
        add_webhook(app, application, urlsplit(settings.webhook_url).path, secret)
    runner = web.AppRunner(app, access_log=None)  # refusals are logged where they happen
    await runner.setup()
    stack.push_async_callback(runner.cleanup)  # stops taking updates before the app stops
    await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
    served = " and ".join(
        part
        for part, on in (("the webhook", settings.webhook_url), ("the Mini App", serve_app))
        if on
    )
    log.info("serving %s on %s:%d", served, settings.webhook_listen, settings.webhook_port)
    if settings.webhook_url:
        await register_webhook(application, settings.webhook_url, secret, ALLOWED_UPDATES)


async def _start_updates(
    stack: AsyncExitStack, application: BotApp, settings: Settings, mode: Mode
) -> None:
    """Long polling for `newsbot run` without a webhook (a webhook arrives on the web server)."""
    if settings.webhook_url or mode != "run":
        return
    updater = application.updater
    if updater is None:
        raise RuntimeError("the Application was built without an Updater")
    await updater.start_polling(allowed_updates=ALLOWED_UPDATES, error_callback=PollingErrors())
    stack.push_async_callback(updater.stop)


class PollingErrors:
    """getUpdates failing (Telegram down, the network gone): one line when it starts.

    PTB retries long polling by itself, with a growing pause; its own callback would log a
    traceback for every failed try. A failure after a quiet minute counts as a new outage.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, quiet: float = 60.0) -> None:
        self._clock = clock
        self._quiet = quiet
        self._last = -math.inf

    def __call__(self, exc: TelegramError) -> None:
        now = self._clock()
        if now - self._last >= self._quiet:
            log.warning("cannot get updates from Telegram (%s); retrying", _short(exc))
        else:
            log.debug("getUpdates failed again (%s)", _short(exc))
        self._last = now


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
