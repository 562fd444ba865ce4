"""One poll cycle: due sources → fetch and parse → new articles stored → stories formed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ingest.enrichment import Enricher
from bot.ingest.indexing import index_missing
from bot.ingest.polling import PollOutcome, PollPolicy, failure, fetcher_for, poll
from bot.news.dedup.canonical import canonical_url
from bot.news.fetch.client import Fetcher
from bot.news.items import FeedEntry
from storage import articles, locks, sources
from storage.models import Source
from storage.outage import is_outage

log = logging.getLogger(__name__)
# How long a claimed source stays out of other pollers' reach while it is polled.
CLAIM_LEASE = timedelta(minutes=5)
INDEX_PER_CYCLE = 2000  # stories a cycle adds to the search index beyond its own (about 2 s)


def utcnow() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class NewArticle:
    """A newly stored article, for the table `newsbot ingest` prints."""

    source: str
    title: str
    url: str
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class SourceReport:
    """How one source's poll went."""

    name: str
    status: str  # "ok", "not_modified" or "failed"
    new: int = 0
    error: str | None = None
    paused: bool = False
    error_kind: str | None = None


@dataclass(slots=True)
class CycleReport:
    """Everything one cycle did."""

    sources: list[SourceReport] = field(default_factory=list)
    articles: list[NewArticle] = field(default_factory=list)
    new_story_ids: list[int] = field(default_factory=list)
    updated_story_ids: list[int] = field(default_factory=list)
    indexed: int = 0  # stories the search index caught up on


class Ingestor:
    """Polls due sources concurrently and stores what is new; knows nothing of Telegram."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        fetcher: Fetcher,
        policy: PollPolicy,
        enricher: Enricher,
        *,
        concurrency: int = 16,
        clock: Callable[[], datetime] = utcnow,
        on_cycle: Callable[[CycleReport], None] | None = None,  # metrics
    ) -> None:
        self._sessions = sessions
        self._fetcher = fetcher
        self._policy = policy
        self._enricher = enricher
        self._concurrency = concurrency
        self._slots = asyncio.Semaphore(concurrency)
        self._clock = clock
        self._on_cycle = on_cycle
        # Sources this process claimed in a cycle that the database cut short: id → the lease
        # time it wrote. The next cycle makes them due again, unless someone polled them since.
        self._unfinished: dict[int, datetime] = {}

    async def sync_sources(self, specs: Sequence[dict[str, Any]]) -> list[str]:
        """Bring the configured sources into the store; return the names added."""
        async with self._sessions.begin() as session:
            await locks.serialise(session, "sources")  # workers starting together take turns
            return await sources.sync_sources(session, specs, self._clock())

    async def run_once(
        self,
        *,
        every_source: bool = False,
        on_source: Callable[[SourceReport], None] | None = None,
        on_start: Callable[[int], None] | None = None,
    ) -> CycleReport:
        """Poll every due source (or all enabled ones), then enrich what is pending."""
        report = CycleReport()
        unchanged = _UnchangedSources(self._sessions)
        await self._release_unfinished()

        async def one(source: Source) -> None:
            async with self._slots:
                outcome, new = await self._poll_and_store(source, unchanged)
            report.sources.append(outcome)
            report.articles.extend(new)
            if on_source is not None:
                on_source(outcome)

        if every_source:
            async with self._sessions() as session:
                todo = await sources.enabled_sources(session)
            if on_start is not None:
                on_start(len(todo))
            async with asyncio.TaskGroup() as group:
                for source in todo:
                    group.create_task(one(source))
        else:
            started = self._clock()
            # A task group: when the database goes away, every lane stops with the cycle.
            async with asyncio.TaskGroup() as group:
                for _ in range(self._concurrency):
                    group.create_task(self._claim_and_poll(started, one))
        await unchanged.flush()
        self._unfinished.clear()  # every claim of this cycle has its real next time now
        if report.sources:
            log.info(
                "ingest: %d sources polled, %d new articles",
                len(report.sources),
                len(report.articles),
            )
        stories = await self._enricher.process_pending()
        # Stories stored before the index existed (or analysed by an older version) get in a
        # share at a time, so a large backlog never holds up a cycle for long.
        report.indexed = await index_missing(self._sessions, limit=INDEX_PER_CYCLE)
        report.new_story_ids.extend(stories.created)
        report.updated_story_ids.extend(stories.joined)
        if self._on_cycle is not None:
            self._on_cycle(report)
        return report

    async def _claim_and_poll(
        self, due_by: datetime, poll_one: Callable[[Source], Awaitable[None]]
    ) -> None:
        """One lane of a cycle: claim a source that was due when the cycle began, poll, repeat.

        Claiming one at a time spreads the sources over every process polling the same
        database, and a source is never polled twice in one cycle, by this process or another.
        """
        while True:
            now = self._clock()
            async with self._sessions.begin() as session:
                claimed = await sources.claim_due_sources(
                    session, now, lease=CLAIM_LEASE, limit=1, due_by=due_by
                )
            if not claimed:
                return
            self._unfinished[claimed[0].id] = now + CLAIM_LEASE
            await poll_one(claimed[0])

    async def _release_unfinished(self) -> None:
        """Make the sources an interrupted cycle claimed but never stored due again."""
        if not self._unfinished:
            return
        async with self._sessions.begin() as session:
            released = await sources.release_claims(session, self._unfinished, self._clock())
        self._unfinished.clear()
        if released:
            log.info("%d sources an interrupted cycle left unpolled are due again", released)

    async def _poll_and_store(
        self, source: Source, unchanged: _UnchangedSources
    ) -> tuple[SourceReport, list[NewArticle]]:
        now = self._clock()
        try:
            outcome = await poll(
                source, fetcher_for(self._fetcher, source.origin), self._policy, now
            )
        except Exception as exc:  # a bug must not stop the other sources
            log.exception("polling %s crashed", source.name)
            return await self._record_failure(
                source, now, f"internal error while polling: {type(exc).__name__}", "internal"
            )
        try:
            if outcome.status == "not_modified":
                new = []
                await unchanged.add(source.id, outcome.state)
            else:
                new = await self._store(source, outcome, now)
        except Exception as exc:  # one source's bad data must not cost the others theirs
            if is_outage(exc):
                raise  # the database, not the source: the cycle fails; nothing is counted
            log.exception("storing what %s sent failed", source.name)
            return await self._record_failure(
                source, now, f"could not store its items: {_driver_words(exc)}", "store"
            )
        paused = outcome.state.get("enabled") is False
        return (
            SourceReport(
                source.name, outcome.status, len(new), outcome.error, paused, outcome.error_kind
            ),
            new,
        )

    async def _store(
        self, source: Source, outcome: PollOutcome, now: datetime
    ) -> list[NewArticle]:
        new: list[NewArticle] = []
        async with self._sessions.begin() as session:
            if outcome.entries:
                rows = [_article_row(source, e, now) for e in outcome.entries]
                stored = {url for _, url in await articles.insert_new_articles(session, rows)}
                new = [
                    NewArticle(source.name, e.title, e.url, e.published_at)
                    for e in outcome.entries
                    if canonical_url(e.url) in stored
                ]
            await sources.update_source(session, source.id, **outcome.state)
        return new

    async def _record_failure(
        self, source: Source, now: datetime, message: str, kind: str
    ) -> tuple[SourceReport, list[NewArticle]]:
        """Count a failure the poll itself could not report, so the source backs off too."""
        outcome = failure(source, self._policy, now, message, kind=kind)
        try:
            async with self._sessions.begin() as session:
                await sources.update_source(session, source.id, **outcome.state)
        except Exception:
            log.exception("recording the failure of %s failed as well", source.name)
        paused = outcome.state.get("enabled") is False
        report = SourceReport(source.name, "failed", error=message, paused=paused, error_kind=kind)
        return report, []


def _driver_words(exc: Exception) -> str:
    """The database driver's own one-line reason, without the SQL statement and its values."""
    cause = getattr(exc, "orig", None) or exc
    text = " ".join(str(cause).split())[:200]
    return f"{type(cause).__name__}: {text}" if text else type(cause).__name__


class _UnchangedSources:
    """The fetch state of sources that answered 304, written a batch at a time.

    A 304 changes only times; one transaction per source made a quiet cycle cost a fifth of a
    busy one (bench.poll). If the process dies before a batch is written, those sources are
    only polled again a little early.
    """

    BATCH = 200

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._rows: list[dict[str, Any]] = []

    async def add(self, source_id: int, state: dict[str, Any]) -> None:
        """Keep one source's new state; write the batch when it is full."""
        self._rows.append({"id": source_id, **state})
        if len(self._rows) >= self.BATCH:
            await self.flush()

    async def flush(self) -> None:
        """Write what is kept."""
        rows, self._rows = self._rows, []
        if rows:
            async with self._sessions.begin() as session:
                await sources.update_sources(session, rows)


def _article_row(source: Source, entry: FeedEntry, now: datetime) -> dict[str, Any]:
    canonical = canonical_url(entry.url)
    return {
        "url": canonical,
        "link": entry.url,
        "source_id": source.id,
        "guid": entry.guid,
        "title": entry.title[:1000],
        "author": entry.author,
        "published_at": entry.published_at,
        "feed_summary": entry.summary[:5000],
        "image_url": entry.image_url,
        "categories": list(entry.categories)[:20],
        "first_seen_at": now,
    }
