"""A poll cycle cut short by a database outage fails cleanly; the next one stores everything."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bench.poll_server import FeedFarm
from bench.tcp_proxy import TcpProxy
from bot.ingest.cycle import Ingestor, utcnow
from bot.ingest.enrichment import Enricher, EnrichPolicy
from bot.ingest.polling import PollPolicy
from bot.news.fetch.cadence import Bounds
from bot.news.fetch.client import Fetcher, FetchPolicy
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Article, Source
from storage.outage import is_outage
from tests.faults.conftest import through

FEEDS, ITEMS = 6, 3


async def test_an_outage_mid_cycle_fails_it_and_the_next_cycle_stores_everything(
    pg_database: str, pg_proxy: TcpProxy
) -> None:
    direct = create_engine(pg_database)
    await upgrade(direct)
    engine = create_engine(through(pg_database, pg_proxy))
    sessions = session_factory(engine)
    farm = FeedFarm(FEEDS, items_per_feed=ITEMS, delay=1.0)  # slow publishers
    await farm.start()
    try:
        async with Fetcher(FetchPolicy(total_timeout=10)) as fetcher:
            enricher = Enricher(sessions, fetcher, EnrichPolicy(fetch_pages=False), utcnow)
            ingestor = Ingestor(
                sessions, fetcher, PollPolicy(Bounds(120, 3600), pause_after=3), enricher
            )
            await ingestor.sync_sources(
                [{"name": f"Feed {i}", "url": farm.feed_url(i)} for i in range(FEEDS)]
            )
            cycle = asyncio.create_task(ingestor.run_once())
            await asyncio.sleep(0.5)  # every source claimed, every feed still on its way
            pg_proxy.cut()
            with pytest.raises(BaseException) as failed:
                await cycle
            assert is_outage(failed.value), repr(failed.value)
            await asyncio.sleep(1.0)
            pg_proxy.restore()

            report = await ingestor.run_once()
    finally:
        await farm.stop()
        await engine.dispose()
    async with session_factory(direct)() as s:
        articles = await s.scalar(select(func.count(Article.id)))
        failures = (await s.scalars(select(Source.consecutive_failures))).all()
    await direct.dispose()
    assert sorted(r.status for r in report.sources) == ["ok"] * FEEDS
    assert articles == FEEDS * ITEMS
    assert list(failures) == [0] * FEEDS  # the database's outage is no source's failure
