"""The one place that knows SQLite and PostgreSQL spell "insert if absent" differently."""

from __future__ import annotations

from typing import Any

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
