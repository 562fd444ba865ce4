"""Rows for operations tests: old and recent stories, ledger rows, digests and events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import (
    Admin,
    Article,
    Broadcast,
    Chat,
    Delivery,
    DigestItem,
    EventLog,
    Source,
    Story,
    StoryBand,
    StoryTopic,
    Subscription,
)

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=200)
RECENT = NOW - timedelta(days=2)
CHATS = 40
OLD_STORIES = 30


@dataclass
class Kept:
    """Ids that must survive the prune."""

    stories: set[int] = field(default_factory=set)
    deliveries: set[int] = field(default_factory=set)
    broadcasts: set[int] = field(default_factory=set)


async def add_story(s: AsyncSession, when: datetime, serial: int, **extra: Any) -> int:
    """A story as the pipeline leaves it: 64 band keys, a topic, two articles."""
    values = {
        "title": f"Berita {serial}",
        "summary": "",
        "topics": ["nasional"],
        "published_at": when,
        "first_seen_at": when,
        "updated_at": when,
        "outlet_count": 2,
    } | extra
    story_id = int((await s.execute(insert(Story).values(values).returning(Story.id))).scalar())
    bands = [{"band_key": serial * 1000 + b, "story_id": story_id} for b in range(64)]
    await s.execute(insert(StoryBand), bands)
    topic = {"story_id": story_id, "topic": "nasional", "published_at": when}
    await s.execute(insert(StoryTopic).values(topic))
    for n in range(2):
        url = f"https://outlet.example/{serial}-{n}"
        await s.execute(
            insert(Article).values(
                url=url, link=url, source_id=1, story_id=story_id, title="t",
                feed_summary="", categories=[], first_seen_at=when,
            )
        )  # fmt: skip
    return story_id


def ledger_row(chat_pk: int, status: str, when: datetime, **keys: Any) -> dict[str, Any]:
    return {
        "chat_pk": chat_pk,
        "kind": keys.pop("kind", "push"),
        "status": status,
        "attempts": 1,
        "not_before": when,
        "created_at": when,
        "story_id": keys.get("story_id"),
        "broadcast_id": keys.get("broadcast_id"),
        "digest_key": keys.get("digest_key"),
        "story_ids": keys.get("story_ids"),
    }


async def insert_row(s: AsyncSession, row: dict[str, Any]) -> int:
    return int((await s.execute(insert(Delivery).values(row).returning(Delivery.id))).scalar())


def digest_item(chat_pk: int, day: str, story_id: int) -> dict[str, Any]:
    return {"chat_pk": chat_pk, "day": day, "story_id": story_id}


async def fill(sessions: async_sessionmaker[AsyncSession]) -> Kept:
    """Old and recent stories, ledger rows, digest items and events; what must stay."""
    kept = Kept()
    async with sessions.begin() as s:
        await s.execute(
            insert(Source).values(
                id=1, name="Outlet", url="https://outlet.example/rss", enabled=True,
                consecutive_failures=0, next_due_at=NOW, created_at=OLD,
            )
        )  # fmt: skip
        await s.execute(
            insert(Chat),
            [
                {"chat_id": 100 + n, "thread_id": 0, "type": "private", "language": "id",
                 "active": True, "push_enabled": True, "created_at": OLD, "updated_at": OLD}
                for n in range(CHATS)
            ],
        )  # fmt: skip
        chat_pks = list((await s.scalars(select(Chat.id).order_by(Chat.id))).all())
        old = [await add_story(s, OLD, n) for n in range(OLD_STORIES)]
        serial = OLD_STORIES
        for extra in (
            {},  # recent
            {"published_at": OLD, "first_seen_at": OLD},  # an outlet joined it lately
            {"published_at": OLD, "first_seen_at": OLD, "updated_at": OLD},  # pinned lately
        ):
            serial += 1
            when = RECENT if "updated_at" not in extra else OLD
            pinned = {"pinned_at": RECENT} if "updated_at" in extra else {}
            kept.stories.add(await add_story(s, when, serial, **(extra | pinned)))
        owed = await add_story(s, OLD, serial + 1)  # a push still owed
        in_digest = await add_story(s, OLD, serial + 2)  # in a digest being sent
        kept.stories |= {owed, in_digest}

        # Pushes of the old stories, sent long ago: they go.
        rows = [ledger_row(c, "sent", OLD, story_id=st) for st in old for c in chat_pks]
        rows += [ledger_row(chat_pks[0], "failed", OLD, story_id=owed)]
        await s.execute(insert(Delivery), rows)
        # Still owed, however old: they stay, with their stories.
        still = [
            ledger_row(chat_pks[1], "pending", OLD, story_id=owed),
            ledger_row(chat_pks[2], "sending", OLD, kind="digest", digest_key="2026-05-01T07:00",
                       story_ids=[in_digest]),
        ]  # fmt: skip
        for row in still:
            kept.deliveries.add(await insert_row(s, row))

        done = Broadcast(admin_id=1, text="x", status="done", created_at=OLD, finished_at=OLD)
        running = Broadcast(admin_id=1, text="y", status="running", created_at=OLD)
        s.add_all([done, running])
        await s.flush()
        kept.broadcasts.add(running.id)
        await s.execute(
            insert(Delivery),
            [ledger_row(c, "sent", OLD, kind="broadcast", broadcast_id=done.id) for c in chat_pks],
        )
        for c in chat_pks:  # a running broadcast keeps its rows: they make its report
            row = ledger_row(c, "sent", OLD, kind="broadcast", broadcast_id=running.id)
            kept.deliveries.add(await insert_row(s, row))
        recent = ledger_row(chat_pks[3], "sent", RECENT, story_id=min(kept.stories))
        kept.deliveries.add(await insert_row(s, recent))

        fresh = min(kept.stories)
        items = [digest_item(c, "2026-05-01", st) for st in old[:3] for c in chat_pks]
        items += [digest_item(c, "2026-11-23", fresh) for c in chat_pks]
        await s.execute(insert(DigestItem), items)
        events = [{"kind": "source", "message": "m", "created_at": OLD} for _ in range(450)]
        events += [{"kind": "source", "message": "m", "created_at": RECENT} for _ in range(5)]
        await s.execute(insert(EventLog), events)
        follow = {"kind": "topic", "value": "olahraga", "created_at": OLD}
        follows = [follow | {"chat_pk": c} for c in chat_pks[:5]]
        await s.execute(insert(Subscription), follows)
        await s.execute(insert(Admin).values(user_id=7, added_by=1, created_at=OLD))
    return kept
