"""Poll one source: conditional fetch, parse, and the fetch state to write back."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

from bot.news.dedup.canonical import canonical_url
from bot.news.fetch.cadence import Bounds, failure_wait, learn_interval, next_wait
from bot.news.fetch.client import Fetcher, FetchError
from bot.news.fetch.errors import fetch_error_kind
from bot.news.items import FeedEntry, FeedError
from bot.news.parse import SITEMAP_INDEX_CATEGORY, parse_feed
from storage.models import CHAT, Source

log = logging.getLogger(__name__)

MAX_CHILD_SITEMAPS = 3
RATE_LIMIT_CAP = 24 * 3600.0  # a Retry-After further out than this is not taken literally
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PollPolicy:
    """Scheduling bounds and when to give up on a source."""

    bounds: Bounds
    pause_after: int


@dataclass(slots=True)
class PollOutcome:
    """What one poll found, and the source's new fetch state."""

    status: str  # "ok", "not_modified" or "failed"
    entries: list[FeedEntry] = field(default_factory=list)
    error: str | None = None
    state: dict[str, Any] = field(default_factory=dict)
    error_kind: str | None = None  # a metrics label: "timeout", "http_5xx", "parse"…


def fetcher_for(fetcher: Fetcher, origin: str) -> Fetcher:
    """The fetcher for a source's feed and article pages: guarded for sources added from chat."""
    # The guard checks every connection (redirects too); the operator's sources file is trusted.
    return fetcher.guarded() if origin == CHAT else fetcher


def source_bounds(source: Source, policy: PollPolicy) -> Bounds:
    """A source's own `interval` lowers the longest wait for that source."""
    high = policy.bounds.high if source.interval is None else source.interval
    return Bounds(low=min(policy.bounds.low, high), high=high)


async def poll(source: Source, fetcher: Fetcher, policy: PollPolicy, now: datetime) -> PollOutcome:
    """Fetch and parse one source; never raises for a bad source, it reports it."""
    bounds = source_bounds(source, policy)
    try:
        result = await fetcher.get(
            source.url, etag=source.etag, last_modified=source.last_modified
        )
        if result.not_modified:
            wait = next_wait(
                learned=source.learned_interval, bounds=bounds, max_age=result.max_age
            )
            return PollOutcome("not_modified", state=_success(now, wait) | {"conditional": True})
        feed = parse_feed(
            result.body,
            url=result.url,
            kind=source.kind,
            content_type=result.content_type,
            link_selector=source.link_selector,
        )
        if feed.entries and all(_is_child_sitemap(e) for e in feed.entries):
            feed.entries = await _read_child_sitemaps(fetcher, feed.entries)
    except FetchError as exc:
        if exc.status == HTTPStatus.TOO_MANY_REQUESTS:
            return _rate_limited(source, bounds, now, exc)
        return failure(
            source, policy, now, exc.message, exc.retry_after, kind=fetch_error_kind(exc)
        )
    except FeedError as exc:
        return failure(source, policy, now, str(exc), kind="parse")
    if not feed.entries and feed.skipped:
        message = f"none of the feed's {feed.skipped} items has a usable link"
        return failure(source, policy, now, message, kind="parse")
    entries = _canonical(feed.entries)
    learned = learn_interval(
        (e.published_at for e in entries if e.published_at), source.learned_interval, bounds
    )
    wait = next_wait(learned=learned, bounds=bounds, max_age=result.max_age)
    newest = max((e.published_at for e in entries if e.published_at), default=None)
    state = _success(now, wait) | {
        "etag": result.etag,
        "last_modified": result.last_modified,
        "learned_interval": learned,
        "kind": source.kind or feed.kind,
    }
    if newest is not None:
        state["last_item_at"] = newest
    if source.conditional is None and not (result.etag or result.last_modified):
        state["conditional"] = False
    return PollOutcome("ok", entries=entries, state=state)


def _is_child_sitemap(entry: FeedEntry) -> bool:
    return entry.categories == (SITEMAP_INDEX_CATEGORY,)


async def _read_child_sitemaps(fetcher: Fetcher, children: list[FeedEntry]) -> list[FeedEntry]:
    """A sitemap index lists sitemaps: read the newest few (news sitemaps are short-lived)."""
    newest = sorted(children, key=lambda e: e.published_at or _EPOCH, reverse=True)
    entries: list[FeedEntry] = []
    for child in newest[:MAX_CHILD_SITEMAPS]:
        result = await fetcher.get(child.url)
        parsed = parse_feed(result.body, url=result.url, kind="sitemap")
        entries.extend(e for e in parsed.entries if not _is_child_sitemap(e))
    return entries


def _canonical(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Entries with distinct canonical URLs (the first wins); unusable URLs are dropped."""
    seen: set[str] = set()
    out: list[FeedEntry] = []
    for entry in entries:
        try:
            key = canonical_url(entry.url)
        except ValueError:
            log.info("skipping an item with an unusable link: %r", entry.url[:200])
            continue
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


def _success(now: datetime, wait: float) -> dict[str, Any]:
    return {
        "last_polled_at": now,
        "last_success_at": now,
        "consecutive_failures": 0,
        "next_due_at": now + timedelta(seconds=wait),
    }


def failure(
    source: Source,
    policy: PollPolicy,
    now: datetime,
    message: str,
    retry_after: float | None = None,
    *,
    kind: str,
) -> PollOutcome:
    """Count one more failure: back off, record the message, pause after too many in a row."""
    bounds = source_bounds(source, policy)
    failures = source.consecutive_failures + 1
    wait = failure_wait(failures, bounds, retry_after=retry_after)
    log.warning("source %s failed (%d in a row): %s", source.name, failures, message)
    state: dict[str, Any] = {
        "last_polled_at": now,
        "last_error": message,
        "last_error_at": now,
        "consecutive_failures": failures,
        "next_due_at": now + timedelta(seconds=wait),
    }
    if failures >= policy.pause_after:
        state["enabled"] = False
        state["paused_reason"] = f"paused after {failures} failures in a row: {message}"
    return PollOutcome("failed", error=message, state=state, error_kind=kind)


def _rate_limited(source: Source, bounds: Bounds, now: datetime, exc: FetchError) -> PollOutcome:
    """A 429 is the publisher asking us to slow down, not a breakage: wait, but do not count it.

    Its Retry-After is honoured (within a day's cap); without one, the longest usual interval.
    """
    if exc.retry_after is not None:
        wait = min(max(exc.retry_after, float(bounds.low)), RATE_LIMIT_CAP)
    else:
        wait = float(bounds.high)
    message = f"rate limited: {exc.message}; polling again in {_minutes(wait)}"
    log.info("source %s is rate limited: next poll in %.0f s", source.name, wait)
    state: dict[str, Any] = {
        "last_polled_at": now,
        "last_error": message,
        "last_error_at": now,
        "next_due_at": now + timedelta(seconds=wait),
    }
    return PollOutcome("failed", error=message, state=state, error_kind="rate_limited")


def _minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
