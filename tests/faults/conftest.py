"""Fault tests: a loopback TCP proxy (bench.tcp_proxy) between the bot and a real server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bench.tcp_proxy import TcpProxy
from tests.dbs import database_url, engine, postgres_url, sessions


@pytest.fixture
async def pg_database(tmp_path: Path) -> AsyncIterator[str]:
    """A throw-away PostgreSQL database (skips without TEST_DATABASE_URL)."""
    async with database_url("postgresql", tmp_path) as url:
        yield url


@pytest.fixture
async def pg_proxy() -> AsyncIterator[TcpProxy]:
    """A proxy in front of the test PostgreSQL server."""
    server = make_url(postgres_url())
    proxy = TcpProxy(server.host or "127.0.0.1", server.port or 5432)
    await proxy.start()
    yield proxy
    await proxy.close()


def through(url: str, proxy: TcpProxy) -> str:
    """The same database URL, reached through the proxy."""
    proxied = make_url(url).set(host="127.0.0.1", port=proxy.port)
    return proxied.render_as_string(hide_password=False)


__all__ = ["engine", "sessions", "through"]
