"""The operator's maintenance subcommands: OPML import and export, pruning, copying the data."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bot.config import Settings, async_database_url
from bot.ingest.cycle import utcnow
from bot.ingest.opml import ExportedSource, OpmlError, read_opml, write_opml
from bot.ingest.opml_import import ImportConflict, import_feeds
from bot.ingest.sources_file import load_sources
from bot.ops.retention import RetentionPolicy, policy_of, prune
from bot.runtime import open_database, open_resources
from storage import sources
from storage.copy import CopyRefused, copy_database
from storage.db import session_factory


def _fail(message: str) -> int:
    print(f"newsbot: {message}", file=sys.stderr)
    return 2


async def import_opml(settings: Settings, path: Path) -> int:
    """Add or update the sources an OPML file lists; print what changed."""
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        return _fail(f"cannot read {path}: {exc.strerror or exc}")
    try:
        feeds = read_opml(data)
    except OpmlError as exc:
        return _fail(f"{path} is not usable OPML, nothing was imported: {exc}")
    specs = load_sources(settings.sources_file)
    file_names = {s.name for s in specs}
    async with open_resources(settings, sync_sources=False) as res:
        await res.ingestor.sync_sources([s.as_row() for s in specs])  # the file read once
        try:
            async with res.sessions.begin() as session:
                report = await import_feeds(session, feeds, file_names, utcnow())
        except ImportConflict as exc:
            return _fail(f"nothing was imported: {exc}; run the import again")
    console = Console()
    console.print(
        f"{len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.from_file)} kept as SOURCES_FILE says"
        + (f", {report.repeated} repeated outlines skipped" if report.repeated else "")
    )
    for name in report.added:
        console.print(f"  + {name}", markup=False)
    for name in report.updated:
        console.print(f"  ~ {name} (topic)", markup=False)
    return 0


async def export_opml(settings: Settings, path: Path | None) -> int:
    """Write every source as OPML 2.0, to a file or stdout."""
    async with open_resources(settings) as res, res.sessions() as session:
        rows = await sources.all_sources(session)
    data = write_opml((ExportedSource(s.name, s.url, s.topic) for s in rows), utcnow())
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    try:
        await asyncio.to_thread(_write_atomically, path, data)
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc.strerror or exc}")
    print(f"{len(rows)} sources written to {path}", file=sys.stderr)
    return 0


def _write_atomically(path: Path, data: bytes) -> None:
    # Written beside the target and renamed: a failed export never leaves half a file.
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".opml-", delete=False) as tmp:
        try:
            tmp.write(data)
        except OSError:
            os.unlink(tmp.name)
            raise
    os.replace(tmp.name, path)


async def db_prune(settings: Settings, days: int | None) -> int:
    """Delete stories and ledger rows older than RETENTION_DAYS (or --days); print counts."""
    policy = policy_of(settings)
    if days is not None:
        policy = RetentionPolicy(days=days, batch=policy.batch)
    if policy.days <= 0:
        Console().print("retention is off (RETENTION_DAYS=0): nothing pruned")
        return 0
    async with open_database(settings) as engine:
        counts = await prune(session_factory(engine), policy, utcnow())
    console = Console()
    console.print(f"pruned rows older than {policy.days} days:")
    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name in ("stories", "articles", "deliveries", "digest_items", "broadcasts", "event_log"):
        table.add_row(name, str(counts.get(name, 0)))
    console.print(table)
    return 0


async def db_copy(settings: Settings, source_url: str) -> int:
    """Copy every row from another database (e.g. the old SQLite file) into DATABASE_URL."""
    source_url = async_database_url(source_url)
    if source_url == settings.database_url:
        return _fail("--from names DATABASE_URL itself: give the database to copy from")
    err = Console(stderr=True)
    source_settings = settings.model_copy(update={"database_url": source_url})
    async with open_database(source_settings) as source, open_database(settings) as target:
        try:
            copied = await copy_database(
                source, target, on_table=lambda name, n: err.print(f"{name}: {n} rows")
            )
        except CopyRefused as exc:
            return _fail(f"nothing was copied: {exc}")
    Console().print(f"copied {sum(copied.values())} rows in {len(copied)} tables")
    return 0
