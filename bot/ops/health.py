"""`/healthz` and Prometheus `/metrics` over HTTP, for load balancers, platforms and Prometheus.

Started and stopped explicitly by the process that owns it (`newsbot run`, later the workers);
it only reads: the metrics object, the database, and whether the sender is alive.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from aiohttp import web
from prometheus_client.aiohttp import make_aiohttp_handler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ops.metrics import Metrics
from storage import gauges

log = logging.getLogger(__name__)

# A health check that waits longer than this is a failed check (the balancer times out too).
DB_TIMEOUT = 3.0


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
    ) -> None:
        self._metrics = metrics
        self._sessions = sessions
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

    async def _healthz(self, request: web.Request) -> web.Response:
        reachable = await self._refresh_database()
        age = self._metrics.last_ingest_age()
        body: dict[str, Any] = {
            "status": "ok" if reachable else "unavailable",
            "database": "ok" if reachable else "unreachable",
            "last_ingest_age_seconds": None if age is None else round(age, 1),
            "sender_running": self._sender_running() if self._sender_running else None,
        }
        return web.json_response(body, status=200 if reachable else 503)

    async def _metrics_page(self, request: web.Request) -> web.StreamResponse:
        await self._refresh_database()
        return await self._scrape(request)

    async def _refresh_database(self) -> bool:
        """Reach the database and read the queue depth; tell whether it answered."""
        try:
            async with asyncio.timeout(DB_TIMEOUT), self._sessions() as session:
                depth = await gauges.queue_depth(session)  # answers only if the database does
        except Exception as exc:  # any failure to answer is "unreachable", never a 500
            log.warning("health check: the database did not answer: %s", _short(exc))
            self._metrics.database_up.set(0)
            return False
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
    server = OpsServer(metrics, sessions, host=host, port=port, sender_running=running)
    await server.start()
    return server


def _stats(service: Any) -> Mapping[str, int]:
    return {} if service is None else service.sender.stats


def _alive(delivery: Callable[[], Any]) -> bool:
    service = delivery()
    return service is not None and bool(service.running)
