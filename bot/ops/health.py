"""`/healthz` and Prometheus `/metrics` over HTTP, for load balancers, platforms and Prometheus.

Started and stopped explicitly by the process that owns it (`newsbot run`, `web`, `worker`);
it only reads: the metrics object, the database, and whether the sender is alive.

`/healthz` tells the truth about the bot as a whole, answering 503 with the reasons when the
database does not answer, when messages have been owed for over a minute while no process has
had one accepted for as long, or when no process holds the lead role (nobody sends). `/livez`
only says the process answers, for platforms that restart processes that fail their check.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

from aiohttp import web
from prometheus_client.aiohttp import make_aiohttp_handler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ops.metrics import Metrics
from storage import gauges
from storage.outage import OutageWatch

log = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


# A health check that waits longer than this is a failed check (the balancer times out too).
DB_TIMEOUT = 3.0
# Owed this long while nothing was accepted for this long: delivery has stalled.
STALL_AFTER = 60.0


class OpsServer:
    """An aiohttp server on its own port: `await start()`, then `await stop()`."""

    def __init__(
        self,
        metrics: Metrics,
        sessions: async_sessionmaker[AsyncSession],
        *,
        host: str,
        port: int,
        sender_running: Callable[[], bool] | None = None,
        lead_held: Callable[[], Awaitable[bool]] | None = None,
        watch: OutageWatch | None = None,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._metrics = metrics
        self._watch = watch
        self._sessions = sessions
        self._lead_held = lead_held
        self._clock = clock
        self._host = host
        self._port = port
        self._sender_running = sender_running
        self._scrape = make_aiohttp_handler(metrics.registry)
        self._runner: web.AppRunner | None = None

    @property
    def port(self) -> int:
        """The port listened on (the one chosen by the system when 0 was asked for)."""
        if self._runner is None or not self._runner.addresses:
            raise RuntimeError("the server is not started")
        return int(self._runner.addresses[0][1])

    async def start(self) -> None:
        """Listen on host:port."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/livez", self._livez)
        app.router.add_get("/metrics", self._metrics_page)
        runner = web.AppRunner(app, access_log=None)  # a scrape every 15 s is not news
        await runner.setup()
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        log.info("health and metrics on http://%s:%d/healthz and /metrics", self._host, self.port)

    async def stop(self) -> None:
        """Stop listening and close open connections."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _livez(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def _healthz(self, request: web.Request) -> web.Response:
        problems: list[str] = []
        reachable = await self._refresh_database()
        age = self._metrics.last_ingest_age()
        body: dict[str, Any] = {
            "database": "ok" if reachable else "unreachable",
            "last_ingest_age_seconds": None if age is None else round(age, 1),
            "sender_running": self._sender_running() if self._sender_running else None,
            "lead": None,
            "delivery": None,
        }
        if not reachable:
            problems.append("the database does not answer")
        else:
            await self._check_delivery(body, problems)
        body["problems"] = problems
        body["status"] = "ok" if not problems else "unavailable"
        return web.json_response(body, status=200 if not problems else 503)

    async def _check_delivery(self, body: dict[str, Any], problems: list[str]) -> None:
        try:
            async with asyncio.timeout(DB_TIMEOUT):
                async with self._sessions() as session:
                    oldest, last = await gauges.delivery_activity(session)
                held = await self._lead_held() if self._lead_held is not None else None
        except Exception as exc:
            log.warning("health check: delivery state unknown: %s", _short(exc))
            problems.append("the delivery state cannot be read")
            return
        now = self._clock()
        owed_for = (now - oldest).total_seconds() if oldest is not None else None
        quiet_for = (now - last).total_seconds() if last is not None else None
        body["owed_for_seconds"] = None if owed_for is None else round(max(0.0, owed_for), 1)
        body["last_sent_age_seconds"] = None if quiet_for is None else round(quiet_for, 1)
        stalled = (
            owed_for is not None
            and owed_for > STALL_AFTER
            and (quiet_for is None or quiet_for > STALL_AFTER)
        )
        body["delivery"] = "stalled" if stalled else "ok"
        if stalled:
            problems.append(
                f"messages owed for {owed_for:.0f} s and none sent for over {STALL_AFTER:.0f} s"
            )
        if held is not None:
            body["lead"] = "held" if held else "none"
            if not held:
                problems.append("no process holds the lead role: nobody sends or schedules")

    async def _metrics_page(self, request: web.Request) -> web.StreamResponse:
        await self._refresh_database()
        return await self._scrape(request)

    async def _refresh_database(self) -> bool:
        """Reach the database and read the queue depth; tell whether it answered."""
        try:
            async with asyncio.timeout(DB_TIMEOUT), self._sessions() as session:
                depth = await gauges.queue_depth(session)  # answers only if the database does
        except Exception as exc:  # any failure to answer is "unreachable", never a 500
            if self._watch is None or not self._watch.failed(exc, "the health check"):
                log.warning("health check: the database did not answer: %s", _short(exc))
            self._metrics.database_up.set(0)
            return False
        if self._watch is not None:
            self._watch.ok()
        self._metrics.database_up.set(1)
        for status, rows in depth.items():
            self._metrics.queue_depth.labels(status).set(rows)
        return True


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


async def start_ops_server(
    metrics: Metrics,
    sessions: async_sessionmaker[AsyncSession],
    *,
    host: str,
    port: int,
    delivery: Callable[[], Any] | None = None,
    send_rate: float | None = None,
    lead_held: Callable[[], Awaitable[bool]] | None = None,
    watch: OutageWatch | None = None,
) -> OpsServer:
    """Serve; `delivery()` is this process's running delivery service, or None when it has none.

    A worker that is not the lead (or has just lost the role) has no sender: its outcome
    counters read as empty and `sender_running` as false. `await server.stop()` after.
    """
    running: Callable[[], bool] | None = None
    if delivery is not None:
        current = delivery
        metrics.sender.watch(lambda: _stats(current()), send_rate or 0.0)
        running = partial(_alive, current)
    server = OpsServer(
        metrics,
        sessions,
        host=host,
        port=port,
        sender_running=running,
        lead_held=lead_held,
        watch=watch,
    )
    await server.start()
    return server


def _stats(service: Any) -> Mapping[str, int]:
    return {} if service is None else service.sender.stats


def _alive(delivery: Callable[[], Any]) -> bool:
    service = delivery()
    return service is not None and bool(service.running)
