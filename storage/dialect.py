"""The one place that knows how SQLite and PostgreSQL spell "insert if absent" and "claim"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, Select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_name(session: AsyncSession) -> str:
    """The session's backend: "sqlite" or "postgresql"."""
    bind = session.bind
    return bind.dialect.name if bind is not None else "sqlite"


def insert_for(session: AsyncSession, table: Any) -> Any:
    """An INSERT of the session's dialect, which offers `on_conflict_do_*`."""
    if dialect_name(session) == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def claimable(session: AsyncSession, due: Select[Any]) -> CTE:
    """The rows `due` picks (an id column), as a CTE for `UPDATE … WHERE id = cte.id`.

    Such an UPDATE is a claim no two claimers share: on SQLite it takes the write lock before
    reading; on PostgreSQL the picked rows are locked and rows another claimer holds are
    skipped (SKIP LOCKED). The CTE is MATERIALIZED: as an `IN (subquery)` the planner may run
    the LIMIT query once per row and hand out more rows than the limit.
    """
    if dialect_name(session) == "postgresql":
        due = due.with_for_update(skip_locked=True)
    return due.cte("due").prefix_with("MATERIALIZED", dialect="postgresql")
