"""Due sources are claimed by one poller each, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage import articles, sources

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


async def add_sources(sessions: async_sessionmaker[AsyncSession], n: int) -> None:
    specs = [{"name": f"S{i}", "url": f"https://s{i}.test/rss"} for i in range(n)]
    async with sessions.begin() as s:
        await sources.sync_sources(s, specs, NOW - timedelta(minutes=1))


async def test_claims_are_disjoint_and_leased(sessions: async_sessionmaker[AsyncSession]) -> None:
    await add_sources(sessions, 10)
    async with sessions.begin() as s:
        first = await sources.claim_due_sources(s, NOW, lease=LEASE, limit=6)
    async with sessions.begin() as s:
        second = await sources.claim_due_sources(s, NOW, lease=LEASE, limit=6)
    async with sessions.begin() as s:
        third = await sources.claim_due_sources(s, NOW, lease=LEASE, limit=6)
    assert len(first) == 6 and len(second) == 4 and third == []
    assert {x.name for x in first}.isdisjoint({x.name for x in second})
    assert all(x.next_due_at == NOW + LEASE for x in first + second)
    # A poller that died mid-poll loses its claim when the lease runs out.
    async with sessions.begin() as s:
        again = await sources.claim_due_sources(s, NOW + LEASE, lease=LEASE, limit=20)
    assert len(again) == 10


async def test_paused_sources_are_never_claimed(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_sources(sessions, 3)
    async with sessions.begin() as s:
        paused = await sources.source_by_name(s, "S1")
        assert paused is not None
        await sources.update_source(s, paused.id, enabled=False)
    async with sessions.begin() as s:
        claimed = await sources.claim_due_sources(s, NOW, lease=LEASE, limit=10)
    assert sorted(x.name for x in claimed) == ["S0", "S2"]


async def test_an_open_claim_does_not_block_another_poller(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Two transactions at once: the second skips what the first holds instead of waiting."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: there is no lock to skip")
    await add_sources(sessions, 8)
    async with sessions.begin() as first_tx:
        first = await sources.claim_due_sources(first_tx, NOW, lease=LEASE, limit=5)
        async with sessions.begin() as second_tx:
            second = await sources.claim_due_sources(second_tx, NOW, lease=LEASE, limit=5)
    assert len(first) == 5 and len(second) == 3
    assert {x.id for x in first}.isdisjoint({x.id for x in second})


async def test_pending_articles_are_claimed_once_until_the_lease_ends(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_sources(sessions, 1)
    async with sessions.begin() as s:
        source = await sources.source_by_name(s, "S0")
        assert source is not None
        rows = [
            {
                "url": f"https://s0.test/berita/{n}",
                "link": f"https://s0.test/berita/{n}",
                "source_id": source.id,
                "guid": f"g{n}",
                "title": f"Judul {n}",
                "feed_summary": "",
                "categories": [],
                "first_seen_at": NOW,
            }
            for n in range(5)
        ]
        await articles.insert_new_articles(s, rows)
    async with sessions.begin() as s:
        first = await articles.claim_pending(s, NOW, lease=LEASE, limit=3)
    async with sessions.begin() as s:
        second = await articles.claim_pending(s, NOW, lease=LEASE, limit=3)
    async with sessions.begin() as s:
        third = await articles.claim_pending(s, NOW, lease=LEASE, limit=3)
    assert [len(first), len(second), third] == [3, 2, []]
    assert {a.id for a, _, _ in first}.isdisjoint({a.id for a, _, _ in second})
    assert all(origin == "config" for _, _, origin in first + second)

    async with sessions.begin() as s:
        await articles.release_claims(s, [first[0][0].id])
    async with sessions.begin() as s:
        released = await articles.claim_pending(s, NOW, lease=LEASE, limit=10)
    assert [a.id for a, _, _ in released] == [first[0][0].id]
    async with sessions.begin() as s:
        expired = await articles.claim_pending(s, NOW + LEASE, lease=LEASE, limit=10)
    assert len(expired) == 5  # every claim ran out: their workers are presumed dead
