"""`newsbot db copy --from`: the SQLite file's rows, all of them, into PostgreSQL (or SQLite)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Base, Source
from tests.dbs import database_url
from tests.ops.rows import fill


@pytest.fixture(params=["sqlite", "postgresql"])
async def target_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database for a subprocess: a SQLite path, or a new PostgreSQL database."""
    async with database_url(request.param, tmp_path) as url:
        yield url


async def dump(engine: AsyncEngine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in primary-key order."""
    async with engine.connect() as conn:
        return {
            table.name: [
                dict(row)
                for row in (
                    await conn.execute(select(table).order_by(*table.primary_key.columns))
                ).mappings()
            ]
            for table in Base.metadata.sorted_tables
        }


async def newsbot(tmp_path: Path, target: str, *args: str) -> tuple[int, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=tmp_path,
        env=clean | {"DATABASE_URL": target, "COLUMNS": "200"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout=180)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_copy_moves_every_row_and_new_ids_follow_on(tmp_path: Path, target_url: str) -> None:
    source_url = f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}"
    source = create_engine(source_url)
    await upgrade(source)
    await fill(session_factory(source))
    expected = await dump(source)
    await source.dispose()

    code, out, err = await newsbot(tmp_path, target_url, "db", "copy", "--from", source_url)
    assert code == 0, err
    total = sum(len(rows) for rows in expected.values())
    assert f"copied {total} rows in {len(expected)} tables" in out
    assert f"deliveries: {len(expected['deliveries'])} rows" in err

    target = create_engine(target_url)
    try:
        assert await dump(target) == expected
        async with session_factory(target).begin() as session:
            added = Source(
                name="Baru", url="https://baru.example/rss", enabled=True,
                consecutive_failures=0, next_due_at=datetime.now(UTC),
                created_at=datetime.now(UTC),
            )  # fmt: skip
            session.add(added)
            await session.flush()
            assert added.id == max(s["id"] for s in expected["sources"]) + 1
    finally:
        await target.dispose()

    code, _, err = await newsbot(tmp_path, target_url, "db", "copy", "--from", source_url)
    assert code == 2
    assert "nothing was copied: the target database already has rows in" in err
    code, _, err = await newsbot(tmp_path, source_url, "db", "copy", "--from", source_url)
    assert code == 2 and "--from names DATABASE_URL itself" in err
