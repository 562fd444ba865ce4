"""Open and close what every command needs: database, HTTP client, ingest pipeline."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.ingest.cycle import CycleReport, Ingestor, utcnow
from bot.ingest.enrichment import Enricher, EnrichPolicy
from bot.ingest.polling import PollPolicy
from bot.ingest.sources_file import load_sources
from bot.news.fetch.cadence import Bounds
from bot.news.fetch.client import Fetcher, FetchPolicy
from storage.db import (
    DatabaseUnavailable,
    check_sqlite_file,
    create_engine,
    is_sqlite,
    session_factory,
    unavailable,
)
from storage.migrate import upgrade
from storage.outage import OutageWatch


@dataclass(frozen=True, slots=True)
class Resources:
    """The long-lived parts, built once from the settings."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    fetcher: Fetcher
    ingestor: Ingestor
    # This process's view of the database: every loop reports outages here, logged once.
    watch: OutageWatch = field(default_factory=OutageWatch)


def fetch_policy(settings: Settings) -> FetchPolicy:
    """The fetcher's manners, from the settings."""
    return FetchPolicy(
        total_timeout=settings.fetch_timeout,
        max_bytes=settings.fetch_max_bytes,
        per_host=settings.fetch_per_host,
        allow_private=settings.allow_private_sources,
    )


@asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """An engine on a migrated database."""
    url = settings.database_url
    try:
        if is_sqlite(url):
            await asyncio.to_thread(check_sqlite_file, url)
        engine = create_engine(url)
    except DatabaseUnavailable:
        raise
    except (SQLAlchemyError, OSError, ValueError) as exc:
        raise unavailable(exc, url) from exc
    try:
        try:
            await upgrade(engine)
        except (SQLAlchemyError, OSError) as exc:
            raise unavailable(exc, url) from exc
        yield engine
    finally:
        await engine.dispose()


@asynccontextmanager
async def open_resources(
    settings: Settings,
    *,
    sync_sources: bool = True,
    on_cycle: Callable[[CycleReport], None] | None = None,
) -> AsyncIterator[Resources]:
    """Open the database (migrated), the HTTP client and the pipeline; close them after."""
    async with open_database(settings) as engine, Fetcher(fetch_policy(settings)) as fetcher:
        sessions = session_factory(engine)
        enricher = Enricher(
            sessions,
            fetcher,
            EnrichPolicy(fetch_pages=settings.fetch_pages, summary_chars=settings.summary_chars),
            utcnow,
        )
        ingestor = Ingestor(
            sessions,
            fetcher,
            PollPolicy(
                bounds=Bounds(low=settings.min_interval, high=settings.max_interval),
                pause_after=settings.pause_after_failures,
            ),
            enricher,
            concurrency=settings.poll_concurrency,
            on_cycle=on_cycle,
        )
        if sync_sources:
            specs = load_sources(settings.sources_file)
            await ingestor.sync_sources([s.as_row() for s in specs])
        yield Resources(engine, sessions, fetcher, ingestor)
