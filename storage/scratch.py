"""Throw-away databases for tests and benchmarks: made, migrated, and dropped after.

A SQLite file, or a schema of its own in a PostgreSQL database (so runs never see each other's
rows and leave nothing behind).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.db import create_engine
from storage.migrate import upgrade


@asynccontextmanager
async def sqlite_file(path: Path) -> AsyncIterator[AsyncEngine]:
    """Yield an engine on a migrated SQLite file at `path`; dispose of it after."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade(engine)
        yield engine
    finally:
        await engine.dispose()


@asynccontextmanager
async def postgres_schema(url: str, prefix: str) -> AsyncIterator[AsyncEngine]:
    """Yield an engine on a new, migrated schema (named `prefix`…) of the database at `url`;
    drop the schema after."""
    schema = f"{prefix}{uuid.uuid4().hex[:12]}"
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
