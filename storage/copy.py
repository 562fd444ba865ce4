"""Copy every table from one database to another (SQLite to PostgreSQL), parents first.

Both sides must be migrated to the same revision and the target empty. Rows are streamed from
the source and inserted in chunks; afterwards PostgreSQL's id sequences are moved past the
copied ids, so new rows do not collide with copied ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.models import Base

CHUNK = 1000  # rows per INSERT: the widest table stays far below the parameter limits


class CopyRefused(Exception):
    """The target is not empty: copying would mix two databases."""


async def copy_database(
    source: AsyncEngine,
    target: AsyncEngine,
    *,
    on_table: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Copy all rows of every table; return rows copied per table."""
    tables = Base.metadata.sorted_tables  # parents before children: foreign keys hold
    async with target.begin() as out:
        for table in tables:
            if (await out.execute(select(func.count()).select_from(table))).scalar_one():
                raise CopyRefused(f"the target database already has rows in {table.name}")
        copied: dict[str, int] = {}
        async with source.connect() as src:
            for table in tables:
                copied[table.name] = await _copy_table(src, out, table)
                if on_table is not None:
                    on_table(table.name, copied[table.name])
        if target.dialect.name == "postgresql":
            for table in tables:
                await _move_sequence(out, table)
    return copied


async def _copy_table(src: AsyncConnection, out: AsyncConnection, table: Table) -> int:
    rows = 0
    result = await src.stream(select(table).order_by(*table.primary_key.columns))
    async for chunk in result.mappings().partitions(CHUNK):
        await out.execute(table.insert(), [dict(row) for row in chunk])
        rows += len(chunk)
    return rows


async def _move_sequence(out: AsyncConnection, table: Table) -> None:
    column: Any = table.autoincrement_column
    if column is None:
        return
    sequence = f"pg_get_serial_sequence('{table.name}', '{column.name}')"
    # setval(…, max, true) makes the next id max + 1; an empty table starts again at 1.
    await out.execute(
        text(
            f"SELECT setval({sequence}, COALESCE(MAX({column.name}), 1), MAX({column.name}) "
            f"IS NOT NULL) FROM {table.name}"
        )
    )
