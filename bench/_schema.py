"""A throw-away database for one benchmark run: a SQLite file, or a PostgreSQL schema; made,
migrated, dropped after."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.db import create_engine
from storage.migrate import upgrade


@asynccontextmanager
async def postgres_schema(url: str) -> AsyncIterator[AsyncEngine]:
    """Yield an engine on a new, migrated schema of the database at `url`; drop it after."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
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


@asynccontextmanager
async def throwaway_store(postgres: str | None, name: str) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database: a SQLite file `name`.db, or a schema on `postgres`."""
    if postgres is not None:
        async with postgres_schema(postgres) as engine:
            yield engine
        return
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(tmp) / f'{name}.db'}")
        await upgrade(engine)
        try:
            yield engine
        finally:
            await engine.dispose()
