"""What each chat's feedback taught: weights per story feature, and the signal per story.

The arithmetic (features, fading, how a signal moves weights) is `bot.news.affinity`'s; this
module only keeps rows. A chat's rows are few (the features it gave feedback on, minus those
faded to nothing), so they are read and written whole per chat.

Repositories never commit: the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import dialect_name, insert_for
from storage.models import Chat, ChatAffinity, ChatFeedback


@dataclass(frozen=True, slots=True)
class Learned:
    """One stored weight, as learned at `learned_at` (not yet faded to now)."""

    feature: str
    weight: float
    learned_at: datetime


async def lock_chat(session: AsyncSession, chat_pk: int) -> Chat | None:
    """The chat's row, locked on PostgreSQL so two taps of one chat learn one after the other."""
    query: Any = select(Chat).where(Chat.id == chat_pk)
    if dialect_name(session) == "postgresql":
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def learned(session: AsyncSession, chat_pks: Sequence[int]) -> dict[int, list[Learned]]:
    """Every stored weight of these chats."""
    if not chat_pks:
        return {}
    rows = await session.execute(
        select(ChatAffinity.chat_pk, ChatAffinity.feature, ChatAffinity.weight,
               ChatAffinity.learned_at)
        .where(ChatAffinity.chat_pk.in_(chat_pks))
    )  # fmt: skip
    found: dict[int, list[Learned]] = {}
    for chat_pk, feature, weight, at in rows:
        found.setdefault(int(chat_pk), []).append(Learned(feature, float(weight), at))
    return found


async def save(
    session: AsyncSession,
    chat_pk: int,
    weights: Mapping[str, float],
    now: datetime,
    *,
    drop: Iterable[str] = (),
) -> None:
    """Store these weights as learned now, and delete the `drop` features (faded)."""
    gone = list(drop)
    if gone:
        await session.execute(
            delete(ChatAffinity).where(
                ChatAffinity.chat_pk == chat_pk, ChatAffinity.feature.in_(gone)
            )
        )
    if not weights:
        return
    rows = [
        {"chat_pk": chat_pk, "feature": f, "weight": w, "learned_at": now}
        for f, w in weights.items()
    ]
    statement = insert_for(session, ChatAffinity)
    await session.execute(
        statement.values(rows).on_conflict_do_update(
            index_elements=["chat_pk", "feature"],
            set_={
                "weight": statement.excluded.weight,
                "learned_at": statement.excluded.learned_at,
            },
        )
    )


async def signal_value(
    session: AsyncSession, chat_pk: int, story_id: int, signal: str
) -> int | None:
    """The value of the chat's earlier signal on a story, if it gave one."""
    value = await session.scalar(
        select(ChatFeedback.value).where(
            ChatFeedback.chat_pk == chat_pk,
            ChatFeedback.story_id == story_id,
            ChatFeedback.signal == signal,
        )
    )
    return None if value is None else int(value)


async def set_signal(
    session: AsyncSession, chat_pk: int, story_id: int, signal: str, value: int, now: datetime
) -> None:
    """Remember the chat's signal on a story (replacing an earlier vote)."""
    statement = insert_for(session, ChatFeedback)
    await session.execute(
        statement.values(
            chat_pk=chat_pk, story_id=story_id, signal=signal, value=value, at=now
        ).on_conflict_do_update(
            index_elements=["chat_pk", "story_id", "signal"],
            set_={"value": statement.excluded.value, "at": statement.excluded.at},
        )
    )


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What forgetting a chat's learning deleted."""

    weights: int
    signals: int


async def forget(session: AsyncSession, chat_pks: Any) -> Forgotten:
    """Delete the learning of these chats (a list of pks or a subquery of them)."""
    weights = await session.execute(
        delete(ChatAffinity)
        .where(ChatAffinity.chat_pk.in_(chat_pks))
        .execution_options(synchronize_session=False)
    )
    signals = await session.execute(
        delete(ChatFeedback)
        .where(ChatFeedback.chat_pk.in_(chat_pks))
        .execution_options(synchronize_session=False)
    )
    return Forgotten(
        int(getattr(weights, "rowcount", 0) or 0), int(getattr(signals, "rowcount", 0) or 0)
    )


async def reset(session: AsyncSession, chat_pk: int, now: datetime) -> Forgotten:
    """Forget one chat's learning and note when: buttons sent before teach nothing."""
    forgotten = await forget(session, [chat_pk])
    await session.execute(
        update(Chat)
        .where(Chat.id == chat_pk)
        .values(learning_reset_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return forgotten


async def signal_counts(session: AsyncSession, chat_pks: Sequence[int]) -> dict[str, int]:
    """How many signals of each kind these chats gave (what the reader's export shows)."""
    rows = await session.execute(
        select(ChatFeedback.signal, ChatFeedback.value, func.count())
        .where(ChatFeedback.chat_pk.in_(chat_pks))
        .group_by(ChatFeedback.signal, ChatFeedback.value)
    )
    counts: dict[str, int] = {}
    for signal, value, n in rows:
        name = str(signal) if signal != "vote" else ("more" if value > 0 else "less")
        counts[name] = counts.get(name, 0) + int(n)
    return counts
