"""Migration 0011_paid: broadcasts under way start with the tally their ledger rows say, and
the migration goes down and up again, on both stores."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import ledger
from storage.db import create_engine
from storage.migrate import alembic_config, upgrade
from storage.models import Broadcast, Chat, Delivery
from tests.dbs import database_url

NOW = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)
STATUSES = ["sent", "sent", "sent", "skipped", "failed", "cancelled", "pending", "sending"]


def _downgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_running_broadcasts_start_from_their_rows(backend: str, tmp_path: Path) -> None:
    async with database_url(backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            await upgrade(engine, "0009_story_updates")
            # Core inserts of the columns 0009 has (the models already know the new table).
            async with engine.begin() as conn:
                await conn.execute(
                    insert(Chat),
                    [
                        {"chat_id": 100 + i, "thread_id": 0, "type": "private",
                         "language": "id", "active": True, "push_enabled": True,
                         "created_at": NOW, "updated_at": NOW}
                        for i in range(len(STATUSES))
                    ],
                )  # fmt: skip
                await conn.execute(
                    insert(Broadcast).values(
                        admin_id=1, text="x", status="running", cursor=0, total=8, created_at=NOW
                    )
                )
                chat_pks = (await conn.scalars(select(Chat.id).order_by(Chat.id))).all()
                broadcast_id = (await conn.scalars(select(Broadcast.id))).one()
                rows = [
                    ledger.owed_row(pk, "broadcast", NOW, broadcast_id=broadcast_id)
                    | {"status": status}
                    for pk, status in zip(chat_pks, STATUSES, strict=True)
                ]
                await conn.execute(insert(Delivery), rows)
            await upgrade(engine)
            sessions = async_sessionmaker(engine, expire_on_commit=False, class_=AsyncSession)
            async with sessions() as session:
                tally = await ledger.tally(session, broadcast_id)
            assert tally == {"sent": 3, "blocked": 1, "failed": 1, "cancelled": 1}
            async with engine.begin() as conn:
                await conn.run_sync(_downgrade, "0009_story_updates")
            await upgrade(engine)  # and up again, from the same rows
            async with sessions() as session:
                assert await ledger.tally(session, broadcast_id) == tally
        finally:
            await engine.dispose()
