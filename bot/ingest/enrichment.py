"""Pending articles → page text, clean body, summary, topics → a story (new or joined).

An article is pending while it has no story. Each one is finished in its own transaction, so a
crash leaves the rest pending and the next cycle picks them up: nothing is half-written.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ingest.clustering import assign_story
from bot.ingest.indexing import index_stories
from bot.ingest.polling import fetcher_for
from bot.news.dedup.canonical import trusted_canonical
from bot.news.extract.pages import PageText, read_page
from bot.news.fetch.client import Fetcher
from bot.news.text.boilerplate import clean_article
from bot.news.text.summarize import summarize
from bot.news.topics.classify import classify, section_of
from storage import articles, locks
from storage.models import Article

log = logging.getLogger(__name__)
# How long a claimed batch stays with its worker; the pages of a batch are read well within it.
CLAIM_LEASE = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class EnrichPolicy:
    """How much work enrichment does per article."""

    fetch_pages: bool = True
    summary_chars: int = 600
    batch: int = 64  # claimed together: 64 pages at 8 at a time end well within the lease
    concurrency: int = 8


@dataclass(slots=True)
class StoryChanges:
    """Stories created, and stories that gained an outlet, in one pass."""

    created: list[int] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)


class Enricher:
    """Turns pending articles into stories."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        fetcher: Fetcher,
        policy: EnrichPolicy,
        clock: Callable[[], datetime],
    ) -> None:
        self._sessions = sessions
        self._fetcher = fetcher
        self._policy = policy
        self._clock = clock
        self._slots = asyncio.Semaphore(policy.concurrency)
        self._lock = asyncio.Lock()  # story assignment is sequential: two twins must meet

    async def process_pending(self) -> StoryChanges:
        """Finish every pending article, a batch at a time.

        Batches are claimed, so several worker processes share the pending articles and none
        is read twice. An article whose processing raises is logged and retried once its claim
        runs out; a database failure is handed back at once and fails the cycle.
        """
        changes = StoryChanges()
        while True:
            async with self._sessions.begin() as session:
                pending = await articles.claim_pending(
                    session, self._clock(), lease=CLAIM_LEASE, limit=self._policy.batch
                )
            if not pending:
                return changes
            await asyncio.gather(*(self._guarded(a, t, o, changes) for a, t, o in pending))

    async def _guarded(
        self, article: Article, source_topic: str | None, origin: str, changes: StoryChanges
    ) -> None:
        try:
            await self._one(article, source_topic, origin, changes)
        except SQLAlchemyError:
            # The database itself failed: hand the article back for the next cycle and let this
            # cycle fail, so that it is reported and retried with backoff.
            with contextlib.suppress(SQLAlchemyError):
                async with self._sessions.begin() as session:
                    await articles.release_claims(session, [article.id])
            raise
        except Exception:  # one article's bug must not cost the batch its stories
            log.exception("enriching article %d (%s) failed", article.id, article.url)

    async def _one(
        self, article: Article, source_topic: str | None, origin: str, changes: StoryChanges
    ) -> None:
        fetcher = fetcher_for(self._fetcher, origin)  # the same guard as the source's feed
        async with self._slots:
            page = await self._page(article, fetcher)
        body_source = page.text if page.text else article.feed_summary
        cleaned = clean_article(body_source)
        text = cleaned.body
        title = page.title or article.title
        summary = summarize(text, max_chars=self._policy.summary_chars, title=title)
        section = page.section or section_of(article.link)
        topics = classify(
            title=title,
            text=text,
            url=article.link,
            categories=[*article.categories, page.section] if page.section else article.categories,
            source_topic=source_topic,
        )
        image_url = page.image_url or article.image_url
        published_at = article.published_at or page.published_at
        if page.published_at is not None and page.zone_stated:
            # Feeds often print WIB clock times as UTC; a page that names its zone is right.
            published_at = page.published_at
        canonical = (
            trusted_canonical(page.canonical_url, page.url or article.link)
            if page.canonical_url
            else None
        )
        learned = {
            "body": text or None,
            "author": cleaned.author or page.author or article.author,
            "editor": cleaned.editor or page.editor,
            "image_url": image_url,
            "image_caption": page.image_caption,
            "published_at": published_at,
            "section": section[:120] if section else None,
            "extract_error": page.error,
        }
        async with self._lock, self._sessions.begin() as session:
            await locks.serialise(session, "stories")  # other workers take turns too
            result = await assign_story(
                session,
                article_id=article.id,
                source_id=article.source_id,
                url=article.url,
                canonical=canonical,
                page_url=page.url,
                title=title,
                text=text,
                summary=summary,
                topics=topics,
                image_url=image_url,
                published_at=published_at or self._clock(),
                now=self._clock(),
                values=learned,
            )
            if not result.dropped:
                # Searchable, and matched by keyword pushes, from the moment it is stored.
                await index_stories(session, [result.story_id])
        if result.created:
            changes.created.append(result.story_id)
        elif not result.dropped:
            changes.joined.append(result.story_id)

    async def _page(self, article: Article, fetcher: Fetcher) -> PageText:
        if not self._policy.fetch_pages:
            return PageText()
        try:
            return await read_page(fetcher, article.link)
        except Exception as exc:  # an odd page must never stop the pipeline
            log.exception("reading %s crashed", article.url)
            return PageText(error=f"internal error while reading the page: {type(exc).__name__}")
