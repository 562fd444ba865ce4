"""Put an article into a story: same text → same story; near-duplicate → joins; else a new one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from bot.news.dedup import minhash as dedup
from bot.news.dedup.canonical import canonical_url
from bot.news.text.story_versions import fullest, fullness, whats_new
from storage import articles, stories

# Syndicated copies appear within hours; a week bounds the candidates without losing late ones.
WINDOW = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where the article went: its story, and whether that story is new."""

    story_id: int
    created: bool
    dropped: bool = False  # the article duplicated one already stored and was removed


async def assign_story(
    session: AsyncSession,
    *,
    article_id: int,
    source_id: int,
    url: str,
    canonical: str | None,
    page_url: str | None = None,
    title: str,
    text: str,
    summary: str,
    topics: Sequence[str],
    image_url: str | None,
    published_at: datetime,
    now: datetime,
    values: Mapping[str, Any] | None = None,
) -> Assignment:
    """Attach the article to its story, creating the story when nothing matches.

    `url` is the article's stored (canonical) address; `canonical` is the address its page
    names for itself, already checked by bot.news.dedup.canonical.trusted_canonical; `page_url` is
    where the page was read, after redirects. `values` (what
    the page taught about the article) are written with the story link in one statement.
    """
    same_article: int | None = None
    if canonical and canonical != url:
        read_at = canonical_url(page_url) if page_url else url
        done = await _follow_canonical(session, article_id, source_id, read_at, canonical)
        if isinstance(done, Assignment):
            return done
        same_article = done
    fingerprint = dedup.exact_fingerprint(f"{title}\n{text}") if text else None
    values = {**(values or {}), "content_hash": fingerprint}
    version = _Version(article_id, text, summary)
    if same_article is not None:
        return await _join(session, same_article, version, topics, published_at, now, values)
    if fingerprint:
        twin = await articles.article_with_hash(session, fingerprint, exclude_id=article_id)
        if twin is not None and twin.story_id is not None:
            if twin.source_id == source_id:  # the same outlet posted it twice
                await articles.delete_article(session, article_id)
                return Assignment(twin.story_id, created=False, dropped=True)
            return await _join(session, twin.story_id, version, topics, published_at, now, values)
    since = now - WINDOW
    signature = dedup.signature(text) if text else None
    keys: list[int] = []
    if signature is not None:
        keys = dedup.band_keys(signature)
        for story_id, blob in await stories.band_candidates(session, keys, since=since):
            if dedup.is_same_story(signature, dedup.signature_from_bytes(blob)):
                return await _join(session, story_id, version, topics, published_at, now, values)
    row: dict[str, object] = {
        "title": title,
        "summary": summary,
        "image_url": image_url,
        "topics": [],
        "published_at": published_at,
        "first_seen_at": now,
        "updated_at": now,
        "outlet_count": 1,
        "fingerprint": fingerprint,
        "signature": dedup.signature_to_bytes(signature) if signature is not None else None,
        "summary_article_id": article_id,
    }
    story_id = await stories.create_story(session, row, band_keys=keys, topics=topics)
    await stories.attach_article(session, story_id, article_id, now, recount=False, values=values)
    return Assignment(story_id, created=True)


async def _follow_canonical(
    session: AsyncSession, article_id: int, source_id: int, read_at: str, canonical: str
) -> Assignment | int | None:
    """Act on the page's own address: drop a repeat, or name the story to join (or None)."""
    existing = await articles.article_by_url(session, canonical)
    if existing is None:
        # Take the address over only on the host the page was read from (after a feed's
        # redirect link): a Tribun regional subdomain may name www.tribunnews.com's original,
        # which that outlet's own feed item will still bring.
        if urlsplit(canonical).netloc == urlsplit(read_at).netloc:
            await articles.update_article(session, article_id, url=canonical)
        return None
    if existing.id == article_id:
        return None
    if existing.source_id == source_id:
        # The outlet listed one article under two addresses: keep the first.
        await articles.delete_article(session, article_id)
        return Assignment(existing.story_id or 0, created=False, dropped=True)
    # Another outlet of the same network carries this very article: one story, two outlets.
    return existing.story_id


@dataclass(frozen=True, slots=True)
class _Version:
    """The joining outlet's version of the story: its article, clean body and summary."""

    article_id: int
    text: str
    summary: str


async def _join(
    session: AsyncSession,
    story_id: int,
    version: _Version,
    topics: Sequence[str],
    published_at: datetime,
    now: datetime,
    values: Mapping[str, Any],
) -> Assignment:
    await stories.attach_article(session, story_id, version.article_id, now, values=values)
    if topics:
        await stories.set_topics(session, story_id, topics, published_at)
    if version.text:
        await _compare_versions(session, story_id, version, now)
    return Assignment(story_id, created=False)


async def _compare_versions(
    session: AsyncSession, story_id: int, version: _Version, now: datetime
) -> None:
    """Summarise the story from its fullest version; note what this later version adds."""
    known = await stories.story_versions(session, story_id, exclude=version.article_id)
    earlier = list(known.bodies.values())
    if not earlier:  # the versions before this one had no text at all
        if version.summary:
            await stories.update_summary(
                session, story_id, summary=(version.summary, version.article_id), now=now
            )
        return
    current = known.bodies.get(known.summary_article_id or 0)
    best = current if current is not None else earlier[fullest(earlier)]
    fuller = bool(version.summary) and fullness(version.text) > fullness(best)
    await stories.update_summary(
        session,
        story_id,
        summary=(version.summary, version.article_id) if fuller else None,
        whats_new=whats_new(earlier, version.text),
        now=now,
    )
