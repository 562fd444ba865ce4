"""Transaction-scoped locks that serialise one kind of write across processes."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import dialect_name

# An advisory lock key named after `:name` and the schema, so that deployments sharing one
# database (a schema each) never block each other.
LOCK_KEY = "hashtextextended('newsbot:' || current_schema() || ':' || :name, 0)"
_XACT_LOCK = f"SELECT pg_advisory_xact_lock({LOCK_KEY})"


async def serialise(session: AsyncSession, name: str) -> None:
    """Wait until no other transaction holds `name`; hold it until this one ends.

    On PostgreSQL this is an advisory transaction lock, so two workers assigning articles to
    stories take turns and twins always meet. SQLite allows one writer at a time already, and
    the bot runs on it as one process.
    """
    if dialect_name(session) == "postgresql":
        await session.execute(text(_XACT_LOCK), {"name": name})
