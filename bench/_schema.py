"""A throw-away database for one benchmark run: a SQLite file, or a PostgreSQL schema; made,
migrated, dropped after (storage.scratch)."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from storage import scratch


@asynccontextmanager
async def postgres_schema(url: str) -> AsyncIterator[AsyncEngine]:
    """Yield an engine on a new, migrated schema of the database at `url`; drop it after."""
    async with scratch.postgres_schema(url, "bench_") as engine:
        yield engine


@asynccontextmanager
async def throwaway_store(postgres: str | None, name: str) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database: a SQLite file `name`.db, or a schema on `postgres`."""
    if postgres is not None:
        async with postgres_schema(postgres) as engine:
            yield engine
        return
    with tempfile.TemporaryDirectory() as tmp:
        async with scratch.sqlite_file(Path(tmp) / f"{name}.db") as engine:
            yield engine
