"""/metrics and /healthz served over loopback, scraped while real ingest and delivery run."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import outbox
from bot.delivery.pacing import effective_rate
from bot.ingest.cycle import Ingestor, utcnow
from bot.ingest.enrichment import Enricher, EnrichPolicy
from bot.ingest.polling import PollPolicy
from bot.news.fetch.cadence import Bounds
from bot.news.fetch.client import Fetcher, FetchPolicy
from bot.ops.health import OpsServer, start_ops_server
from bot.ops.metrics import Metrics
from storage import ledger
from storage.audiences import EVERYONE
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Delivery
from tests.bot import fakeapi
from tests.dbs import postgres_url
from tests.delivery.factory import NOW, add_chats
from tests.delivery.harness import delivery_rig
from tests.ingest.site import NewsSite

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]

# Each bad source of the loopback site, and the kind of error its poll must be counted as.
BAD_KINDS = {
    "/broken.xml": "parse",
    "/page.xml": "parse",
    "/empty.xml": "parse",
    "/gone.xml": "not_found",
    "/error.xml": "http_5xx",
    "/bomb.xml": "refused",
    "/loop.xml": "redirect",
    "/slow.xml": "timeout",
    "http://127.0.0.1:9/feed.xml": "network",
}


async def scrape(server: OpsServer) -> Samples:
    """Every sample of /metrics, by (name, sorted labels)."""
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{server.port}/metrics") as response,
    ):
        assert response.status == 200
        assert response.content_type == "text/plain"
        text = await response.text()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def health(port: int) -> tuple[int, dict[str, object]]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        return response.status, await response.json()


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    site = NewsSite()
    server = TestServer(site.app(), host="127.0.0.1")
    await server.start_server()
    site.base = str(server.make_url("")).rstrip("/")
    yield site
    await server.close()


async def test_an_ingest_cycle_moves_the_counters(tmp_path: Path, site: NewsSite) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'news.db'}")
    await upgrade(engine)
    sessions = session_factory(engine)
    metrics = Metrics()
    server = OpsServer(metrics, sessions, host="127.0.0.1", port=0)
    await server.start()
    policy = FetchPolicy(total_timeout=1.5, max_bytes=1_000_000, retries=1, backoff_base=0.05)
    try:
        async with Fetcher(policy) as fetcher:
            enricher = Enricher(sessions, fetcher, EnrichPolicy(), utcnow)
            ingestor = Ingestor(
                sessions,
                fetcher,
                PollPolicy(Bounds(120, 3600), pause_after=3),
                enricher,
                on_cycle=metrics.observe_cycle,
            )
            specs = [{"name": "Tribun", "url": f"{site.base}/a.xml"}]
            specs += [
                {"name": path, "url": path if path.startswith("http") else site.base + path}
                for path in BAD_KINDS
            ]
            await ingestor.sync_sources(specs)
            status, before = await health(server.port)
            assert status == 200 and before["last_ingest_age_seconds"] is None
            await ingestor.run_once(every_source=True)
            after = await scrape(server)
            status, body = await health(server.port)
    finally:
        await server.stop()
        await engine.dispose()
    assert after[("newsbot_sources_polled_total", (("outcome", "ok"),))] == 1
    assert after[("newsbot_sources_polled_total", (("outcome", "failed"),))] == len(BAD_KINDS)
    errors = {
        dict(labels)["kind"]: value
        for (name, labels), value in after.items()
        if name == "newsbot_fetch_errors_total"
    }
    assert errors == dict(Counter(BAD_KINDS.values()))
    assert after[("newsbot_articles_stored_total", ())] == 2
    assert after[("newsbot_stories_stored_total", ())] == 2
    assert after[("newsbot_ingest_cycles_total", ())] == 1
    assert after[("newsbot_database_up", ())] == 1
    assert status == 200
    assert body["database"] == "ok" and body["sender_running"] is None
    assert isinstance(body["last_ingest_age_seconds"], float)


async def test_delivery_outcomes_429s_and_the_queue_depth_are_exported(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 5, start=1)
    metrics = Metrics()
    async with delivery_rig(sessions) as rig:
        rig.api.fail(fakeapi.retry_after(86_400), chat_id=3)  # deferred for a day: stays owed
        rig.api.fail(fakeapi.blocked(), chat_id=4)
        server = await start_ops_server(
            metrics,
            sessions,
            host="127.0.0.1",
            port=0,
            delivery=lambda: rig.service,
            send_rate=effective_rate(1000, True),
        )
        try:
            idle = await scrape(server)
            async with sessions.begin() as s:
                broadcast = await outbox.create_broadcast(
                    s, 1, NOW, text="Halo", audience=EVERYONE
                )
                await outbox.start_broadcast(s, broadcast.id)
            rig.service.kick()
            await rig.settle(until_open=1)
            busy = await scrape(server)
            status, body = await health(server.port)
        finally:
            await server.stop()
    sent = ("newsbot_messages_sent_total", (("outcome", "sent"),))
    assert idle[sent] == 0 and idle[("newsbot_send_rate", ())] == 0
    assert busy[sent] == 3
    assert busy[("newsbot_messages_sent_total", (("outcome", "blocked"),))] == 1
    assert busy[("newsbot_messages_sent_total", (("outcome", "deferred"),))] == 1
    assert busy[("newsbot_telegram_429_total", ())] == 1
    assert busy[("newsbot_send_rate", ())] > 0
    assert busy[("newsbot_send_rate_limit", ())] == 1000
    assert busy[("newsbot_delivery_queue_depth", (("status", "pending"),))] == 1
    assert busy[("newsbot_delivery_queue_depth", (("status", "sending"),))] == 0
    assert status == 200 and body["sender_running"] is True


async def test_queue_depth_counts_rows_still_owed(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await add_chats(s, 40, start=1)
        later = NOW + timedelta(days=365)
        rows = [ledger.owed_row(n, "broadcast", later, digest_key=f"k{n}") for n in range(1, 41)]
        await ledger.enqueue(s, rows)
        # Marked directly: ledger.claim can take more than its limit on PostgreSQL (reported).
        sending = update(Delivery).where(Delivery.chat_pk <= 15).values(status="sending")
        await s.execute(sending)
    metrics = Metrics()
    server = OpsServer(metrics, sessions, host="127.0.0.1", port=0)
    await server.start()
    try:
        samples = await scrape(server)
    finally:
        await server.stop()
    assert samples[("newsbot_delivery_queue_depth", (("status", "pending"),))] == 25
    assert samples[("newsbot_delivery_queue_depth", (("status", "sending"),))] == 15


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_healthz_is_503_when_the_database_is_unreachable(
    tmp_path: Path, backend: str
) -> None:
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'missing-dir' / 'x.db'}"
    else:
        postgres_url()  # skips without PostgreSQL, like every PostgreSQL test
        url = "postgresql+asyncpg://newsbot:pw-Secret-1@127.0.0.1:9/newsbot"
    engine = create_engine(url)
    metrics = Metrics()
    server = OpsServer(metrics, session_factory(engine), host="127.0.0.1", port=0)
    await server.start()
    try:
        status, body = await health(server.port)
        samples = await scrape(server)  # /metrics still answers, saying the database is down
    finally:
        await server.stop()
        await engine.dispose()
    assert status == 503
    assert body == {
        "status": "unavailable",
        "problems": ["the database does not answer"],
        "database": "unreachable",
        "last_ingest_age_seconds": None,
        "sender_running": None,
        "lead": None,
        "delivery": None,
    }
    assert samples[("newsbot_database_up", ())] == 0


def test_each_app_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.articles_stored.inc(3)
    assert first.registry.get_sample_value("newsbot_articles_stored_total") == 3
    assert second.registry.get_sample_value("newsbot_articles_stored_total") == 0
