"""What the bot keeps about one Telegram chat: all of it as a document, and erasing it.

UU 27/2022 (Indonesia's Personal Data Protection law) gives a reader the right to see and to
delete their data. A chat here is a Telegram chat with every forum topic of it: a group's
data is the group's, whichever topic asks. Every table that holds a chat's id is read:

* `chats` (one row per place: settings, title, username, state), `subscriptions` (follows),
  `chat_affinities` and `chat_feedback` (what the personal Berita Pilihan learned, and from
  which signals),
  `deliveries` (the ledger: counted, never listed), `digest_items` (stories given in Berita
  Pilihan: counted), `send_budget_chats` (when the chat may next be sent to: seconds of
  pacing);
* for a private chat, its user: channels they connected (`chats.managed_by`), the refusal
  log (`event_log`), an admin role (`admins`) and broadcasts they wrote (`broadcasts`).

The Mini App's own tables (`follower_counts`, `delivery_outcomes*`) hold counts only.

Erasing keeps only what the ledger needs never to send an accepted message twice: the chat's
row with its Telegram id and default settings (so the bot can still answer, and its place in
a running broadcast stays behind the broadcast's cursor), ledger rows being sent right now,
and, reduced to their keys, sent rows of broadcasts still running and of Berita Pilihan
slots of the last day (a slot or broadcast can be owed again only while it runs).

Repositories never commit: the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import affinities
from storage.chats import KEYWORD, PILIHAN, TOPIC
from storage.models import (
    Admin,
    Broadcast,
    Chat,
    Delivery,
    DigestItem,
    EventLog,
    SendBudgetChat,
    Subscription,
)

# How long a sent Berita Pilihan slot's key is kept after an erasure: a slot is owed at its
# time (or caught up later the same day), never a day after.
SLOT_KEY_KEPT = timedelta(days=1)
# Columns an erasure sets back to what a new chat gets.
_DEFAULTS: dict[str, Any] = {
    "title": None,
    "username": None,
    "timezone": None,
    "push_enabled": True,
    "quiet_start": None,
    "quiet_end": None,
    "pilihan_times": None,
    "managed_by": None,
    "inactive_reason": None,
}


def _refused_by(user_id: int) -> Any:
    """Event-log rows of a user's refused admin commands (bot.handlers.admin_guard's words)."""
    return and_(EventLog.kind == "admin_refused", EventLog.message.like(f"user {user_id} tried %"))


def _minutes(value: int | None) -> str | None:
    return None if value is None else f"{value // 60:02d}:{value % 60:02d}"


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


async def export_chat(session: AsyncSession, chat_id: int, now: datetime) -> dict[str, Any]:
    """Everything the bot keeps about a Telegram chat (every forum topic of it), as JSON data."""
    places = list(
        (
            await session.scalars(
                select(Chat).where(Chat.chat_id == chat_id).order_by(Chat.thread_id)
            )
        ).all()
    )
    pks = [p.id for p in places]
    document: dict[str, Any] = {
        "exported_at": now.isoformat(),
        "telegram_chat_id": chat_id,
        "places": [await _place(session, place) for place in places],
        "delivery_history": await _deliveries(session, pks),
        "berita_pilihan_stories_given": int(
            await session.scalar(
                select(func.count()).select_from(DigestItem).where(DigestItem.chat_pk.in_(pks))
            )
            or 0
        ),
        "send_pacing_until": _when(
            await session.scalar(
                select(SendBudgetChat.ready_at).where(SendBudgetChat.chat_key == chat_id)
            )
        ),
    }
    if places and places[0].type == "private":
        document["as_a_user"] = await _user(session, chat_id)
    return document


async def _place(session: AsyncSession, chat: Chat) -> dict[str, Any]:
    follows = list(
        await session.execute(
            select(Subscription.kind, Subscription.value, Subscription.created_at)
            .where(Subscription.chat_pk == chat.id)
            .order_by(Subscription.kind, Subscription.value)
        )
    )
    return {
        "forum_topic": chat.thread_id or None,
        "type": chat.type,
        "title": chat.title,
        "username": chat.username,
        "active": chat.active,
        "inactive_reason": chat.inactive_reason,
        "settings": {
            "language": chat.language,
            "timezone": chat.timezone,
            "instant_pushes": chat.push_enabled,
            "quiet_hours": (
                None
                if chat.quiet_start is None
                else {"from": _minutes(chat.quiet_start), "to": _minutes(chat.quiet_end)}
            ),
            "berita_pilihan_times": chat.pilihan_times,
            "channel_set_up_by_user": chat.managed_by,
        },
        "follows": {
            "berita_pilihan": any(kind == PILIHAN for kind, _, _ in follows),
            "topics": [value for kind, value, _ in follows if kind == TOPIC],
            "keywords": [value for kind, value, _ in follows if kind == KEYWORD],
            "since": {f"{kind}:{value}".rstrip(":"): _when(at) for kind, value, at in follows},
        },
        "first_seen": _when(chat.created_at),
        "last_changed": _when(chat.updated_at),
        "data_deleted_at": _when(chat.erased_at),
        "personal_berita_pilihan": await _learning(session, chat),
    }


async def _learning(session: AsyncSession, chat: Chat) -> dict[str, Any]:
    learned = (await affinities.learned(session, [chat.id])).get(chat.id, [])
    return {
        "affinities": {
            item.feature: {"weight": round(item.weight, 4), "learned_at": _when(item.learned_at)}
            for item in sorted(learned, key=lambda item: item.feature)
        },
        "affinities_fade": "each weight halves every 14 days after learned_at",
        "signals_given": await affinities.signal_counts(session, [chat.id]),
        "learning_reset_at": _when(chat.learning_reset_at),
    }


async def _deliveries(session: AsyncSession, pks: Sequence[int]) -> dict[str, Any]:
    rows = await session.execute(
        select(Delivery.kind, Delivery.status, func.count(), func.min(Delivery.sent_at),
               func.max(Delivery.sent_at))
        .where(Delivery.chat_pk.in_(pks))
        .group_by(Delivery.kind, Delivery.status)
    )  # fmt: skip
    counts: dict[str, dict[str, int]] = {}
    first: datetime | None = None
    last: datetime | None = None
    for kind, status, n, low, high in rows:
        counts.setdefault(str(kind), {})[str(status)] = int(n)
        first = low if first is None or (low is not None and low < first) else first
        last = high if last is None or (high is not None and high > last) else last
    return {"messages": counts, "first_sent": _when(first), "last_sent": _when(last)}


async def _user(session: AsyncSession, user_id: int) -> dict[str, Any]:
    channels = (
        await session.scalars(
            select(Chat.chat_id).where(Chat.type == "channel", Chat.managed_by == user_id)
        )
    ).all()
    admin = await session.get(Admin, user_id)
    written = await session.scalar(
        select(func.count()).select_from(Broadcast).where(Broadcast.admin_id == user_id)
    )
    refused = await session.scalar(
        select(func.count()).select_from(EventLog).where(_refused_by(user_id))
    )
    return {
        "channels_connected": sorted({int(c) for c in channels}),
        "bot_admin": None
        if admin is None
        else {"added_by": admin.added_by, "since": _when(admin.created_at)},
        "broadcasts_written": int(written or 0),
        "refused_admin_commands_logged": int(refused or 0),
    }


@dataclass(frozen=True, slots=True)
class Erased:
    """What one erasure deleted, and the ledger rows it kept as keys."""

    learned: int  # affinity weights and feedback signals of the personal Berita Pilihan
    follows: int
    deliveries: int
    digest_items: int
    log_entries: int
    kept_keys: int


async def erase_chat(
    session: AsyncSession,
    chat_id: int,
    now: datetime,
    *,
    asked_at: datetime,
    language: str = "id",
) -> Erased | None:
    """Delete a Telegram chat's follows, settings and history; None if already done since
    `asked_at` (a second confirmation, or one racing the first: the first UPDATE waits for the
    other transaction's row locks and then matches nothing)."""
    erased_since = (
        select(Chat.id).where(Chat.chat_id == chat_id, Chat.erased_at >= asked_at).exists()
    )
    marked = await session.execute(
        update(Chat)
        .where(
            Chat.chat_id == chat_id,
            or_(Chat.erased_at.is_(None), Chat.erased_at < asked_at),
            ~erased_since,
        )
        .values(**_DEFAULTS, language=language, erased_at=now, created_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if not getattr(marked, "rowcount", 0):
        return None
    pks = select(Chat.id).where(Chat.chat_id == chat_id).scalar_subquery()
    follows = await _count_deleted(
        session, delete(Subscription).where(Subscription.chat_pk.in_(pks))
    )
    digest_items = await _count_deleted(
        session, delete(DigestItem).where(DigestItem.chat_pk.in_(pks))
    )
    forgotten = await affinities.forget(session, pks)
    running = select(Broadcast.id).where(Broadcast.status.in_(("draft", "running")))
    # Owed to a running broadcast but not sent: cancelled, so its progress still adds up.
    await session.execute(
        update(Delivery)
        .where(Delivery.chat_pk.in_(pks), Delivery.status.in_(("pending", "held")),
               Delivery.broadcast_id.in_(running))
        .values(status="cancelled", story_ids=None, error=None)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    kept = or_(
        Delivery.status == "sending",  # Telegram may have it: the sender records it
        and_(Delivery.status == "cancelled", Delivery.broadcast_id.in_(running)),
        and_(Delivery.status == "sent", Delivery.broadcast_id.in_(running)),
        and_(
            Delivery.status == "sent",
            Delivery.kind == "digest",
            Delivery.sent_at >= now - SLOT_KEY_KEPT,
        ),
    )
    # By id: `NOT kept` would be NULL, not true, for a row whose broadcast_id is NULL.
    kept_ids = select(Delivery.id).where(Delivery.chat_pk.in_(pks), kept)
    deliveries = await _count_deleted(
        session, delete(Delivery).where(Delivery.chat_pk.in_(pks), Delivery.id.not_in(kept_ids))
    )
    kept_keys = await session.execute(
        update(Delivery)
        .where(Delivery.chat_pk.in_(pks), Delivery.status != "sending")
        .values(story_ids=None, telegram_message_id=None, error=None)
        .execution_options(synchronize_session=False)
    )
    log_entries = 0
    if chat_id > 0:  # a private chat's id is its user's
        log_entries = await _count_deleted(session, delete(EventLog).where(_refused_by(chat_id)))
        await session.execute(
            update(Chat)
            .where(Chat.type == "channel", Chat.managed_by == chat_id)
            .values(managed_by=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    return Erased(
        learned=forgotten.weights + forgotten.signals,
        follows=follows,
        deliveries=deliveries,
        digest_items=digest_items,
        log_entries=log_entries,
        kept_keys=int(getattr(kept_keys, "rowcount", 0) or 0),
    )


async def _count_deleted(session: AsyncSession, statement: Any) -> int:
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)
