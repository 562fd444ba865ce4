"""Who a broadcast reaches: an audience, stored with the broadcast, and its targets as a Select.

By default a broadcast goes to the places that follow something (Berita Pilihan, a topic, a
province or a keyword) and are still active (not blocked, removed or stopped: `/stop` drops
every follow). A forum topic is a place of its own, so a forum gets one copy per subscribed
topic and none in General unless General itself follows something. "Every chat the bot is
in" is the explicit `everyone` choice. A topic, a keyword, a language or a chat type narrows
either base.

`targets()` is one SELECT of chat pks: the enqueuing INSERT reads from it and `reach()`
counts it, so the preview, the broadcast's total and the rows owed all come from one query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.chats import KEYWORD, TOPIC
from storage.models import Chat, Subscription

# The chat types an audience can name, and the stored `chats.type` values each covers.
CHAT_TYPES: Mapping[str, tuple[str, ...]] = {
    "private": ("private",),
    "group": ("group", "supergroup"),
    "channel": ("channel",),
}
LANGUAGES = ("id", "en")


@dataclass(frozen=True, slots=True)
class Audience:
    """A broadcast's audience; the default is every active place that follows something."""

    everyone: bool = False  # every chat the bot is in, followers or not
    topic: str | None = None  # a stored topic string: "olahraga", "region:jawa-timur"
    keyword: str | None = None  # as subscriptions store it (casefolded)
    language: str | None = None  # "id" or "en"
    chat_type: str | None = None  # a key of CHAT_TYPES

    def __post_init__(self) -> None:
        if self.language is not None and self.language not in LANGUAGES:
            raise ValueError(f"unknown language {self.language!r}")
        if self.chat_type is not None and self.chat_type not in CHAT_TYPES:
            raise ValueError(f"unknown chat type {self.chat_type!r}")
        if self.topic is not None and self.keyword is not None:
            raise ValueError("an audience follows a topic or a keyword, not both")

    def to_json(self) -> dict[str, Any]:
        """The audience as stored in `broadcasts.audience` (only what is set)."""
        return {k: v for k, v in asdict(self).items() if v not in (None, False)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Audience:
        """Read a stored audience; a broadcast from before audiences (None) went to everyone."""
        if data is None:
            return cls(everyone=True)
        known = {"everyone", "topic", "keyword", "language", "chat_type"}
        return cls(**{k: v for k, v in data.items() if k in known})


def _follows(kind: str | None = None, value: str | None = None) -> Any:
    """EXISTS: the current chat row follows something (of a kind, with a value)."""
    where = [Subscription.chat_pk == Chat.id]
    if kind is not None:
        where.append(Subscription.kind == kind)
    if value is not None:
        where.append(Subscription.value == value)
    return exists().where(*where)


def _first_place_of_unfollowing_chat() -> Any:
    """The chat row stands for a Telegram chat none of whose places follows anything.

    Such a chat gets one copy, in its lowest thread (General, when the bot knows it), rather
    than one in every topic someone once typed a command in.
    """
    other = aliased(Chat)
    following_place = (
        select(other.id)
        .join(Subscription, Subscription.chat_pk == other.id)
        .where(other.chat_id == Chat.chat_id, other.active.is_(True))
        .exists()
    )
    earlier_place = (
        select(other.id)
        .where(
            other.chat_id == Chat.chat_id,
            other.active.is_(True),
            other.thread_id < Chat.thread_id,
        )
        .exists()
    )
    return and_(~following_place, ~earlier_place)


def targets(audience: Audience) -> Select[Any]:
    """SELECT the pks of the chat rows the audience reaches now (unordered, unpaged)."""
    query = select(Chat.id).where(Chat.active.is_(True))
    if audience.topic is not None:
        query = query.where(_follows(TOPIC, audience.topic))
    elif audience.keyword is not None:
        query = query.where(_follows(KEYWORD, audience.keyword))
    elif audience.everyone:
        query = query.where(or_(_follows(), _first_place_of_unfollowing_chat()))
    else:
        query = query.where(_follows())
    if audience.language is not None:
        query = query.where(Chat.language == audience.language)
    if audience.chat_type is not None:
        query = query.where(Chat.type.in_(CHAT_TYPES[audience.chat_type]))
    return query


async def reach(session: AsyncSession, audience: Audience) -> int:
    """How many chat rows the audience reaches now: one message is owed to each."""
    query = select(func.count()).select_from(targets(audience).subquery())
    return int((await session.execute(query)).scalar_one())


# Every chat the bot is in: the explicit choice (`audiens:semua`, the preview's button).
EVERYONE = Audience(everyone=True)
