"""Merge an OPML list into the sources, in the caller's transaction: all of it or nothing.

Sources are matched by feed URL. SOURCES_FILE is applied at every start and wins for the
sources it lists, so those are left as the file says; any other source already stored gets
the OPML's topic; a new URL becomes a new source, named after its outline (made unique with
the host name when another source already has that name). Nothing is deleted or renamed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ingest.opml import NAME_CHARS, OpmlFeed
from storage import sources


@dataclass(slots=True)
class ImportReport:
    """What an import did, by source name."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    from_file: list[str] = field(default_factory=list)  # SOURCES_FILE decides for these
    repeated: int = 0  # outlines whose URL came earlier in the same file


class ImportConflict(Exception):
    """The database changed under the import (another process added the same source)."""


async def import_feeds(
    session: AsyncSession, feeds: Sequence[OpmlFeed], file_names: Collection[str], now: datetime
) -> ImportReport:
    """Add new feeds and update the topic of known ones; return what happened to each."""
    report = ImportReport()
    stored = await sources.all_sources(session)
    by_url = {s.url: s for s in stored}
    taken = {s.name for s in stored}
    seen: set[str] = set()
    for feed in feeds:
        if feed.url in seen:
            report.repeated += 1
            continue
        seen.add(feed.url)
        known = by_url.get(feed.url)
        if known is not None and known.name in file_names:
            report.from_file.append(known.name)
        elif known is not None and feed.topic is not None and known.topic != feed.topic:
            await sources.update_source(session, known.id, topic=feed.topic)
            report.updated.append(known.name)
        elif known is not None:
            report.unchanged.append(known.name)
        else:
            name = unique_name(feed.name, feed.url, taken)
            spec = {"name": name, "url": feed.url, "topic": feed.topic}
            if await sources.add_source(session, spec, now) is None:
                raise ImportConflict(f"{name!r} ({feed.url}) was added by someone else meanwhile")
            taken.add(name)
            report.added.append(name)
    return report


def unique_name(name: str, url: str, taken: Collection[str]) -> str:
    """`name`, else `name (host)`, else `name (host) 2`, 3…, within the column's width."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    candidates = [name, f"{name} ({host})"]
    candidates += [f"{name} ({host}) {n}" for n in range(2, len(taken) + 3)]
    for candidate in candidates:
        suffix = candidate[len(name) :]
        fitted = name[: NAME_CHARS - len(suffix)] + suffix
        if fitted not in taken:
            return fitted
    raise AssertionError("unreachable: more candidates than taken names")
