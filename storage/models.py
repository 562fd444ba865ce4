"""Tables: sources and their fetch state, articles, and stories (articles of one event)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so autoincrement works) on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use timezone-aware values")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""


# Where a source came from. Only the operator's sources file is trusted to point at private
# addresses; anything else (added from chat, or of unknown origin) is fetched through the guard.
CONFIG = "config"
CHAT = "chat"


class Source(Base):
    """A feed, sitemap or index page, with what we learned while polling it."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str | None] = mapped_column(String(16))
    topic: Mapped[str | None] = mapped_column(String(64))
    link_selector: Mapped[str | None] = mapped_column(Text)
    interval: Mapped[int | None] = mapped_column(Integer)  # configured, seconds
    learned_interval: Mapped[int | None] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_reason: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    conditional: Mapped[bool | None] = mapped_column(Boolean)  # answered a 304 at least once
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    next_due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_item_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    origin: Mapped[str] = mapped_column(String(16), default=CHAT, server_default=CHAT)


class Story(Base):
    """One event, carried by one or more outlets' articles."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    image_url: Mapped[str | None] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outlet_count: Mapped[int] = mapped_column(Integer, default=1)
    fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    pinned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set in the transaction that creates the story; cleared by the job that owes its pushes,
    # so a crash between the two loses nothing. Rows from before 0003_d default to false.
    pushes_owed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=false())
    # The article whose version the summary comes from (the fullest so far). No foreign key:
    # articles already point at stories, and a cycle would leave the tables without an order
    # to create, copy or drop them in; an id whose article is gone reads as none.
    summary_article_id: Mapped[int | None] = mapped_column(BigInteger)
    # What the latest outlet to join added, in one line (bot.news.text.story_versions), and when.
    whats_new: Mapped[str | None] = mapped_column(Text)
    whats_new_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set with `whats_new` in the same transaction; cleared when the update is owed to the
    # chats that got the story (bot.delivery.updates), at most once an hour per story.
    update_owed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    update_pushed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index(
            "ix_stories_pushes_owed",
            "pushes_owed",
            postgresql_where=text("pushes_owed"),
            sqlite_where=text("pushes_owed = 1"),
        ),
        Index(
            "ix_stories_update_owed",
            "update_owed",
            postgresql_where=text("update_owed"),
            sqlite_where=text("update_owed = 1"),
        ),
    )


class StoryBand(Base):
    """LSH band keys of a story's MinHash signature: near-duplicate lookup without a scan."""

    __tablename__ = "story_bands"

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class StoryTopic(Base):
    """Topic membership, indexed, for `/topic` and subscriptions."""

    __tablename__ = "story_topics"

    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_story_topics_topic_published", "topic", "published_at"),)


class Article(Base):
    """One outlet's article; its canonical URL is stored once, ever."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)  # canonical: the dedup key
    link: Mapped[str] = mapped_column(Text)  # as the outlet gave it: what readers open
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), index=True
    )
    guid: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    editor: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feed_summary: Mapped[str] = mapped_column(Text, default="")
    image_url: Mapped[str | None] = mapped_column(Text)
    image_caption: Mapped[str | None] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    section: Mapped[str | None] = mapped_column(String(120))  # the outlet's own section
    body: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    extract_error: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # While pending: until when one worker has taken it to read its page (None: nobody).
    enrich_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("source_id", "guid", name="uq_articles_source_guid"),)


class Chat(Base):
    """A place the bot posts to: a private chat, group, supergroup, channel or forum topic."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)  # Telegram's id; changes on migration
    thread_id: Mapped[int] = mapped_column(BigInteger, default=0)  # forum topic, 0 = none
    type: Mapped[str] = mapped_column(String(16))  # private, group, supergroup, channel
    title: Mapped[str | None] = mapped_column(Text)
    username: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="id")
    timezone: Mapped[str | None] = mapped_column(String(64))  # None: the bot's TIMEZONE
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    inactive_reason: Mapped[str | None] = mapped_column(Text)
    push_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    quiet_start: Mapped[int | None] = mapped_column(Integer)  # minutes after local midnight
    quiet_end: Mapped[int | None] = mapped_column(Integer)
    pilihan_times: Mapped[list[str] | None] = mapped_column(JSON)  # ["07:00", …]; None: default
    managed_by: Mapped[int | None] = mapped_column(BigInteger)  # user who set up a channel
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the chat last had its data deleted (/hapusdata): older confirm buttons are stale.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the reader last reset what the bot learned: buttons on older messages teach nothing.
    learning_reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("chat_id", "thread_id", name="uq_chats_chat_thread"),)


class Subscription(Base):
    """What a chat follows: Berita Pilihan, a topic, or a keyword."""

    __tablename__ = "subscriptions"

    chat_pk: Mapped[int] = mapped_column(
        ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # pilihan, topic, keyword
    value: Mapped[str] = mapped_column(String(200), primary_key=True)  # "" for pilihan
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_subscriptions_kind_value", "kind", "value"),)


class Broadcast(Base):
    """An admin's message to an audience of chats; survives restarts until done or cancelled."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    admin_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str | None] = mapped_column(Text)  # HTML
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger)  # copyMessage source
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))  # draft, running, done, cancelled
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)  # last chat pk enqueued
    # Who it goes to (storage.audiences.Audience.to_json); NULL: before audiences, everyone.
    audience: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BroadcastTally(Base):
    """A broadcast's rows per outcome (sent, blocked, failed, cancelled), added to in the
    transaction that records them (storage.ledger): progress never counts a million rows.

    Rows of their own, not columns of `broadcasts`: a recorder adding to them never waits for
    the broadcast's row, which the feeder and a cancel lock.
    """

    __tablename__ = "broadcast_tallies"

    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), primary_key=True
    )
    outcome: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class Delivery(Base):
    """The ledger: one row per message owed to a chat, marked sent only after Telegram said so.

    Unique (chat, story) and (chat, broadcast) make a second send impossible by construction.
    A digest owes one message per (chat, digest key) and lists its stories in `story_ids`.
    """

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    chat_pk: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # push, digest, broadcast
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE")
    )
    digest_key: Mapped[str | None] = mapped_column(String(32))  # e.g. "2026-11-25T07:00"
    story_ids: Mapped[list[int] | None] = mapped_column(JSON)  # a digest's stories
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # pending → sending → sent | failed | skipped (chat gone) | cancelled;
    # held (a push in quiet hours) → rolled (into one "while you were away" message)
    priority: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    # 0: pushes and digests, 1: broadcasts (claimed after every due 0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the sender holding the row
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # renewed while held
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("chat_pk", "story_id", name="uq_deliveries_chat_story"),
        UniqueConstraint("chat_pk", "broadcast_id", name="uq_deliveries_chat_broadcast"),
        UniqueConstraint("chat_pk", "digest_key", name="uq_deliveries_chat_digest"),
        Index("ix_deliveries_status_not_before", "status", "not_before"),
        Index("ix_deliveries_status_priority_not_before", "status", "priority", "not_before"),
    )


class DeliveryOutcome(Base):
    """How many send outcomes of each kind a local day had (survives restarts, for /stats)."""

    __tablename__ = "delivery_outcomes"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD in TIMEZONE
    outcome: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class HourlyOutcome(Base):
    """Send outcomes per hour (UTC hour start), beside the daily counters: the admins' chart."""

    __tablename__ = "delivery_outcomes_hourly"

    hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    outcome: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class ShareCount(Base):
    """Stories shared through inline mode on a local day: only the count, never who shared."""

    __tablename__ = "share_counts"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD in TIMEZONE
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class FollowerCount(Base):
    """Active chats following a topic ("pilihan": Berita Pilihan) on a local day: a snapshot.

    Only the count: who follows what stays in `subscriptions`.
    """

    __tablename__ = "follower_counts"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD in TIMEZONE
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class DigestItem(Base):
    """A story already given to a chat in a Berita Pilihan digest on a local day."""

    __tablename__ = "digest_items"

    chat_pk: Mapped[int] = mapped_column(
        ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # local date, YYYY-MM-DD
    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )


class ChatAffinity(Base):
    """How much a chat likes one feature of stories (bot.news.affinity), as learned at a time.

    The weight fades with a half-life from `learned_at`: readers see it decayed to now.
    """

    __tablename__ = "chat_affinities"

    chat_pk: Mapped[int] = mapped_column(
        ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True
    )
    feature: Mapped[str] = mapped_column(String(128), primary_key=True)  # "t:sepak-bola", …
    weight: Mapped[float] = mapped_column(Float)
    learned_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_chat_affinities_learned_at", "learned_at"),)  # retention


class ChatFeedback(Base):
    """A chat's signal on one story, so a second tap or read does not count twice.

    `signal` is "vote" (value +1 more, -1 less; a vote can be changed), "read" or "share".
    Rows go with their story (retention) and with the chat's learning (reset, erasure).
    """

    __tablename__ = "chat_feedback"
    __table_args__ = (Index("ix_chat_feedback_story", "story_id"),)

    chat_pk: Mapped[int] = mapped_column(
        ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True
    )
    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    signal: Mapped[str] = mapped_column(String(8), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Admin(Base):
    """An admin added with `/admin add` (besides ADMIN_IDS)."""

    __tablename__ = "admins"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    added_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EventLog(Base):
    """Errors and refusals an admin can read in /stats (bad sources, refused admin commands)."""

    __tablename__ = "event_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class SendBudget(Base):
    """The next free send slot of one pace (free, paid) and any bot-wide flood-control hold.

    Shared by every process on PostgreSQL (storage.send_budget), so replies and the sender
    draw on one budget; the migration makes it UNLOGGED there, since it only spaces sends out.
    """

    __tablename__ = "send_budget"

    pace: Mapped[str] = mapped_column(String(16), primary_key=True)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paused_until: Mapped[datetime] = mapped_column(UTCDateTime)


class SendBudgetChat(Base):
    """When one chat may next be sent to (its gap, or its flood-control deferral)."""

    __tablename__ = "send_budget_chats"

    chat_key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    ready_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class SenderHeartbeat(Base):
    """When a sender last had a message accepted: health tells "owed, but nobody sends"."""

    __tablename__ = "sender_heartbeats"

    worker: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
