"""Test databases: a SQLite file, or a throw-away schema in the real PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.db import create_engine
from storage.migrate import upgrade


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
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
        await upgrade(engine)
        try:
            yield engine
        finally:
            await engine.dispose()
        return
    url = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_async_engine(url, connect_args={"server_settings": {"search_path": schema}})
    try:
        await upgrade(engine)
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


def postgres_schema_url(url: str, schema: str) -> str:
    """A URL whose connections use `schema` (for subprocesses started by tests)."""
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A freshly migrated engine on each backend (import this fixture into a conftest)."""
    async with database_engine(request.param, tmp_path) as eng:
        yield eng
