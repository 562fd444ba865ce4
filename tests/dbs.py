"""Test databases: a SQLite file, or a throw-away schema in the real PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import scratch


def postgres_url() -> str:
    """TEST_DATABASE_URL, or skip the test with the reason."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    return url


@asynccontextmanager
async def database_engine(backend: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """Yield a migrated engine; on PostgreSQL each test gets its own schema, dropped after."""
    if backend == "sqlite":
        async with scratch.sqlite_file(tmp_path / "test.db") as engine:
            yield engine
        return
    async with scratch.postgres_schema(postgres_url(), "t_") as engine:
        yield engine


@asynccontextmanager
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database a subprocess can open: a SQLite file, or a throw-away PostgreSQL one.

    A whole PostgreSQL database rather than a schema: asyncpg takes no search_path in a URL.
    """
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'process.db'}"
        return
    base = make_url(postgres_url())
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A freshly migrated engine on each backend (import this fixture into a conftest)."""
    async with database_engine(request.param, tmp_path) as eng:
        yield eng


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Session factory on the test engine (import this fixture with `engine`)."""
    return async_sessionmaker(engine, expire_on_commit=False)
