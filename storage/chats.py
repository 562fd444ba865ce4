"""Chats and what they follow: upsert by (chat_id, thread_id), settings, subscriptions, paging.

Repositories never commit: the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import insert_for
from storage.models import Chat, ChatAffinity, ChatFeedback, Delivery, DigestItem, Subscription

PILIHAN = "pilihan"
TOPIC = "topic"
KEYWORD = "keyword"

# Columns a chat's settings may change; anything else is a programming error.
_SETTINGS = frozenset(
    {
        "language",
        "timezone",
        "push_enabled",
        "quiet_start",
        "quiet_end",
        "pilihan_times",
        "managed_by",
        "title",
        "username",
        "type",
    }
)


async def get_chat(session: AsyncSession, chat_id: int, thread_id: int = 0) -> Chat | None:
    """The chat row of a Telegram chat (and forum topic), if known."""
    query = select(Chat).where(Chat.chat_id == chat_id, Chat.thread_id == thread_id)
    return (await session.scalars(query)).first()


async def ensure_chat(
    session: AsyncSession,
    *,
    chat_id: int,
    thread_id: int = 0,
    type: str,
    now: datetime,
    title: str | None = None,
    username: str | None = None,
    language: str = "id",
) -> Chat:
    """Insert the chat if absent (settings of an existing chat are left alone); return it."""
    found = await get_chat(session, chat_id, thread_id)
    if found is not None:
        return found  # the common case reads only, so it takes no write lock on SQLite
    row = {
        "chat_id": chat_id,
        "thread_id": thread_id,
        "type": type,
        "title": title,
        "username": username,
        "language": language,
        "active": True,
        "push_enabled": True,
        "created_at": now,
        "updated_at": now,
    }
    await session.execute(insert_for(session, Chat).values(row).on_conflict_do_nothing())
    chat = await get_chat(session, chat_id, thread_id)
    assert chat is not None  # just inserted or already there
    return chat


async def update_chat(session: AsyncSession, chat_pk: int, now: datetime, **values: Any) -> None:
    """Change a chat's settings (language, timezone, push_enabled, quiet hours, Pilihan times)."""
    unknown = set(values) - _SETTINGS
    if unknown:
        raise ValueError(f"not a chat setting: {sorted(unknown)}")
    await session.execute(update(Chat).where(Chat.id == chat_pk).values(**values, updated_at=now))


async def mark_inactive(session: AsyncSession, chat_id: int, reason: str, now: datetime) -> int:
    """Stop sending to a Telegram chat (every forum topic of it); its history stays."""
    result = await session.execute(
        update(Chat)
        .where(Chat.chat_id == chat_id)
        .values(active=False, inactive_reason=reason, updated_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def mark_active(session: AsyncSession, chat_id: int, now: datetime) -> int:
    """Send to a Telegram chat again (unblocked, re-added)."""
    result = await session.execute(
        update(Chat)
        .where(Chat.chat_id == chat_id)
        .values(active=True, inactive_reason=None, updated_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def migrate_chat(
    session: AsyncSession, old_chat_id: int, new_chat_id: int, now: datetime
) -> int:
    """Move a group that became a supergroup to the new id, losing nothing it had or was owed.

    When the new id has no row yet, the old row just takes the new id. When it has one (the
    supergroup's first update came before the migration notice, with default settings), the
    old row's settings, subscriptions, owed deliveries and digest history move into it and the
    old row is dropped. Returns how many rows moved.
    """
    old_rows = list((await session.scalars(select(Chat).where(Chat.chat_id == old_chat_id))).all())
    moved = 0
    for old in old_rows:
        existing = await get_chat(session, new_chat_id, old.thread_id)
        if existing is None:
            await session.execute(
                update(Chat)
                .where(Chat.id == old.id)
                .values(chat_id=new_chat_id, type="supergroup", updated_at=now)
            )
        else:
            await _merge_into(session, old, existing.id, now)
        moved += 1
    session.expire_all()
    return moved


# What a migrated group keeps: the choices its admins made.
_KEPT_ON_MIGRATION = (
    "language",
    "timezone",
    "push_enabled",
    "quiet_start",
    "quiet_end",
    "pilihan_times",
    "managed_by",
)


async def _merge_into(session: AsyncSession, old: Chat, new_pk: int, now: datetime) -> None:
    """Give the old chat's settings, subscriptions, deliveries and digest items to `new_pk`."""
    settings = {name: getattr(old, name) for name in _KEPT_ON_MIGRATION}
    await session.execute(update(Chat).where(Chat.id == new_pk).values(**settings, updated_at=now))
    for kind, value in await subscriptions_of(session, old.id):
        await subscribe(session, new_pk, kind, value, now)
    # Re-point what the old chat is owed. A row whose unique key the new chat already has
    # (same story, broadcast or digest slot) is the same message: that one stays behind and
    # goes with the old chat. NULL keys never compare equal, so they never count as a clash.
    mine = Delivery.__table__.alias("mine")
    clash = (
        select(mine.c.id)
        .where(
            mine.c.chat_pk == new_pk,
            or_(
                mine.c.story_id == Delivery.story_id,
                mine.c.broadcast_id == Delivery.broadcast_id,
                mine.c.digest_key == Delivery.digest_key,
            ),
        )
        .exists()
    )
    await session.execute(
        update(Delivery)
        .where(Delivery.chat_pk == old.id, ~clash)
        .values(chat_pk=new_pk)
        .execution_options(synchronize_session=False)
    )
    # Digest items and what the old chat's feedback taught go along, except where the new
    # chat already has the same row (its own is kept; the old one goes with the old chat).
    await _move_rows(session, DigestItem, old.id, new_pk, ("day", "story_id"))
    await _move_rows(session, ChatAffinity, old.id, new_pk, ("feature",))
    await _move_rows(session, ChatFeedback, old.id, new_pk, ("story_id", "signal"))
    await session.execute(delete(Chat).where(Chat.id == old.id))


async def _move_rows(
    session: AsyncSession, model: Any, old_pk: int, new_pk: int, key: tuple[str, ...]
) -> None:
    """Give `model`'s rows of chat `old_pk` to `new_pk`, but for those whose other primary-key
    columns (`key`) the new chat already has."""
    table = model.__table__
    theirs = table.alias("theirs")
    same = (
        select(theirs.c.chat_pk)
        .where(theirs.c.chat_pk == new_pk, *(theirs.c[k] == table.c[k] for k in key))
        .exists()
    )
    await session.execute(
        update(table)
        .where(table.c.chat_pk == old_pk, ~same)
        .values(chat_pk=new_pk)
        .execution_options(synchronize_session=False)
    )


async def subscribe(
    session: AsyncSession, chat_pk: int, kind: str, value: str, now: datetime
) -> bool:
    """Follow Berita Pilihan, a topic or a keyword; True when it was not followed yet."""
    row = {"chat_pk": chat_pk, "kind": kind, "value": value, "created_at": now}
    stmt = (
        insert_for(session, Subscription)
        .values(row)
        .on_conflict_do_nothing()
        .returning(Subscription.chat_pk)
    )
    return (await session.execute(stmt)).first() is not None


async def unsubscribe(
    session: AsyncSession, chat_pk: int, kind: str | None = None, value: str | None = None
) -> int:
    """Stop following one thing, a kind of thing, or (no kind) everything; return how many."""
    stmt = delete(Subscription).where(Subscription.chat_pk == chat_pk)
    if kind is not None:
        stmt = stmt.where(Subscription.kind == kind)
    if value is not None:
        stmt = stmt.where(Subscription.value == value)
    result = await session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


async def subscriptions_of(session: AsyncSession, chat_pk: int) -> list[tuple[str, str]]:
    """What a chat follows as (kind, value), Pilihan first, then topics, then keywords."""
    query = select(Subscription.kind, Subscription.value).where(Subscription.chat_pk == chat_pk)
    order = {PILIHAN: 0, TOPIC: 1, KEYWORD: 2}
    rows = [(str(r.kind), str(r.value)) for r in await session.execute(query)]
    return sorted(rows, key=lambda kv: (order.get(kv[0], 3), kv[1]))


async def followers_per_topic(session: AsyncSession) -> dict[str, int]:
    """How many active chats follow each topic (and "pilihan" for Berita Pilihan)."""
    query = (
        select(Subscription.kind, Subscription.value, func.count())
        .join(Chat, Chat.id == Subscription.chat_pk)
        .where(Chat.active.is_(True), Subscription.kind.in_([TOPIC, PILIHAN]))
        .group_by(Subscription.kind, Subscription.value)
    )
    return {
        (PILIHAN if kind == PILIHAN else value): int(n)
        for kind, value, n in await session.execute(query)
    }


async def chats_page(
    session: AsyncSession,
    after_pk: int,
    limit: int,
    *,
    active_only: bool = True,
    following: str | None = None,
) -> list[Chat]:
    """Chats with pk > after_pk in pk order (optionally only those following a kind)."""
    query = select(Chat).where(Chat.id > after_pk)
    if active_only:
        query = query.where(Chat.active.is_(True))
    if following is not None:
        followed = select(Subscription.chat_pk).where(Subscription.kind == following)
        query = query.where(Chat.id.in_(followed))
    return list((await session.scalars(query.order_by(Chat.id).limit(limit))).all())


async def channels_managed_by(session: AsyncSession, user_id: int) -> Sequence[Chat]:
    """Channels a user connected from a private chat."""
    query = select(Chat).where(Chat.type == "channel", Chat.managed_by == user_id)
    return (await session.scalars(query.order_by(Chat.id))).all()


async def count_chats(session: AsyncSession) -> dict[str, int]:
    """Active chats per type, plus "inactive" for every chat no longer reachable."""
    query = select(Chat.type, Chat.active, func.count()).group_by(Chat.type, Chat.active)
    counts: dict[str, int] = {}
    for kind, active, n in await session.execute(query):
        key = str(kind) if active else "inactive"
        counts[key] = counts.get(key, 0) + int(n)
    return counts
