"""The operator's maintenance subcommands: pruning old data."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from bot.config import Settings
from bot.ingest import utcnow
from bot.resources import open_database
from bot.retention import RetentionPolicy, policy_of, prune
from storage.db import session_factory


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
