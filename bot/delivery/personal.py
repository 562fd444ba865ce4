"""The personal Berita Pilihan: learning from a chat's signals and ranking with what it learned.

`learn` turns one signal (a tap on "Lebih banyak / Kurangi seperti ini", a read in the Mini App,
an inline share) into moved weights (`bot.news.affinity`), once per story and signal: a second
tap of the same vote changes nothing, the other vote replaces the first. `pick_for_chat` ranks
the digest's candidates (the editorial ranking's own, `bot.delivery.pilihan`) by editorial score
times the chat's affinity. Who may teach a group or a channel (its admins) is the handler's
business; this module trusts its caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.pilihan import PickPolicy, candidate_rows, editorial_order, local_day
from bot.i18n import default_catalogue
from bot.news import affinity
from bot.news.affinity import Candidate, Picks, Signal
from bot.news.topics.taxonomy import region_topic, topic_label
from bot.telegram.formatting import esc
from storage import affinities, chats
from storage.chats import TOPIC
from storage.models import Article, DigestItem, Source, Story, Subscription
from storage.stories import StoryView, views_by_ids

# What following a topic or province counts for before any tap: as much as one "more".
FOLLOW_PRIOR = 1.0
WHY_NAMES = 3  # liked topics, provinces or outlets named under a digest's heading
# Weights one chat keeps, strongest first: a heavy tapper's headline words would otherwise
# pile up faster than they fade, and every tap rewrites the chat's weights.
MAX_LEARNED = 200


class Learned(StrEnum):
    """What became of a signal."""

    LEARNED = "learned"
    ALREADY = "already"  # the same signal on the same story before: nothing changed
    STORY_GONE = "story_gone"  # the story was deleted (retention): nothing to learn from
    NO_CHAT = "no_chat"
    RESET = "reset"  # the button predates a reset of the learning
    ERASED = "erased"  # the button predates the chat's data being deleted


async def learn(
    session: AsyncSession,
    chat_pk: int,
    story_id: int,
    signal: Signal,
    now: datetime,
    *,
    sent_at: datetime | None = None,
) -> Learned:
    """Learn from one signal of a chat on a story.

    `sent_at` is when the message carrying the button was sent: a button older than the
    chat's last reset or erasure teaches nothing (the reader asked to start again).
    """
    chat = await affinities.lock_chat(session, chat_pk)
    if chat is None:
        return Learned.NO_CHAT
    if sent_at is not None:
        if chat.erased_at is not None and sent_at < chat.erased_at.replace(microsecond=0):
            return Learned.ERASED
        reset_at = chat.learning_reset_at
        if reset_at is not None and sent_at < reset_at.replace(microsecond=0):
            return Learned.RESET
    features = (await features_of(session, [story_id])).get(story_id)
    if features is None:
        return Learned.STORY_GONE
    kind = "vote" if signal in affinity.VOTES else str(signal)
    value = 1 if signal is not Signal.LESS else -1
    before = await affinities.signal_value(session, chat_pk, story_id, kind)
    if before == value:
        return Learned.ALREADY
    strength = affinity.STRENGTH[signal]
    if before is not None:  # the other vote: undo the first, then apply this one
        strength -= affinity.STRENGTH[Signal.MORE if before > 0 else Signal.LESS]
    current = await learned_weights(session, [chat_pk], now)
    weights = current.get(chat_pk, {})
    for feature, moved in affinity.deltas(features, strength).items():
        weights[feature] = weights.get(feature, 0.0) + moved
    strongest = sorted(weights, key=lambda f: abs(weights[f]), reverse=True)
    kept = {f: weights[f] for f in strongest[:MAX_LEARNED] if abs(weights[f]) >= affinity.FADED}
    faded = [f for f in weights if f not in kept]
    await affinities.save(session, chat_pk, kept, now, drop=faded)
    await affinities.set_signal(session, chat_pk, story_id, kind, value, now)
    return Learned.LEARNED


async def learn_from_reader(
    session: AsyncSession, user_id: int, story_id: int, signal: Signal, now: datetime
) -> Learned:
    """Learn from what a reader did outside a chat (a Mini App read, an inline share).

    It teaches the reader's private chat with the bot, if they have one; never a group's.
    """
    chat = await chats.get_chat(session, user_id)
    if chat is None or chat.type != "private":
        return Learned.NO_CHAT
    return await learn(session, chat.id, story_id, signal, now)


async def learned_weights(
    session: AsyncSession, chat_pks: Sequence[int], now: datetime
) -> dict[int, dict[str, float]]:
    """Each chat's learned weights, faded to now."""
    rows = await affinities.learned(session, chat_pks)
    return {
        pk: {r.feature: affinity.decayed(r.weight, r.learned_at, now) for r in found}
        for pk, found in rows.items()
    }


@dataclass(frozen=True, slots=True)
class Profile:
    """What a chat likes now: learned weights faded to now, plus what it follows."""

    weights: dict[str, float]
    learned: bool  # it gave feedback that still counts (a reset has something to forget)


async def profiles(
    session: AsyncSession, chat_pks: Sequence[int], now: datetime
) -> dict[int, Profile]:
    """Each chat's profile: its learned weights plus the topics and provinces it follows."""
    learned = await learned_weights(session, chat_pks, now)
    follows: dict[int, list[str]] = {}
    query = select(Subscription.chat_pk, Subscription.value).where(
        Subscription.chat_pk.in_(chat_pks), Subscription.kind == TOPIC
    )
    for chat_pk, value in await session.execute(query):
        follows.setdefault(int(chat_pk), []).append(str(value))
    found: dict[int, Profile] = {}
    for pk in chat_pks:
        weights = dict(learned.get(pk, {}))
        for feature in affinity.follow_features(follows.get(pk, [])):
            weights[feature] = weights.get(feature, 0.0) + FOLLOW_PRIOR
        found[pk] = Profile(weights, learned=bool(learned.get(pk)))
    return found


async def profile(session: AsyncSession, chat_pk: int, now: datetime) -> Profile:
    """One chat's profile."""
    return (await profiles(session, [chat_pk], now))[chat_pk]


def why(views: Sequence[StoryView], weights: dict[str, float]) -> list[str]:
    """The liked features behind these picks, strongest first (none: editorial picks)."""
    chosen = [Candidate(v.id, 0.0, view_features(v)) for v in views]
    habits = {c.id for c in chosen if affinity.in_habit(c.features, weights)}
    return affinity.reasons(chosen, weights, habits)


def reason_label(feature: str, lang: str) -> str:
    """A liked feature as a reader reads it: "Sepak Bola", "Jawa Timur", "Kompas", "banjir"."""
    kind, value = affinity.kind_of(feature), affinity.value_of(feature)
    if kind == affinity.TOPIC:
        return topic_label(value, lang)
    if kind == affinity.PROVINCE:
        return topic_label(region_topic(value), lang)
    return value


async def features_of(
    session: AsyncSession, story_ids: Sequence[int]
) -> dict[int, tuple[str, ...]]:
    """The features of these stories (topics, province, outlets, headline words)."""
    if not story_ids:
        return {}
    outlets: dict[int, list[str]] = {}
    query = (
        select(Article.story_id, Source.name)
        .join(Source, Source.id == Article.source_id)
        .where(Article.story_id.in_(story_ids))
        .order_by(Article.id)
    )
    for story_id, name in await session.execute(query):
        outlets.setdefault(int(story_id or 0), []).append(str(name))
    rows = await session.execute(
        select(Story.id, Story.title, Story.topics).where(Story.id.in_(story_ids))
    )
    return {
        int(r.id): affinity.story_features(r.topics or [], outlets.get(int(r.id), []), r.title)
        for r in rows
    }


def view_features(view: StoryView) -> tuple[str, ...]:
    """A listed story's features, from what its view already holds."""
    return affinity.story_features(view.topics, (a.source for a in view.articles), view.title)


class FeatureCache:
    """Story features computed once for every chat ranked in one run (the digests' loop)."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[str, ...]] = {}

    async def get(
        self, session: AsyncSession, story_ids: Sequence[int]
    ) -> dict[int, tuple[str, ...]]:
        """The features of these stories, loading those not seen yet."""
        missing = [i for i in story_ids if i not in self._known]
        if missing:
            self._known.update(await features_of(session, missing))
        return {i: self._known[i] for i in story_ids if i in self._known}


@dataclass(frozen=True, slots=True)
class Personal:
    """A chat's picks with the story views, and the profile they were ranked with."""

    views: list[StoryView]
    picks: Picks
    profile: Profile


async def pick_for_chat(
    session: AsyncSession,
    *,
    chat_pk: int,
    now: datetime,
    tz: tzinfo,
    policy: PickPolicy | None = None,
    cache: FeatureCache | None = None,
    exclude_given: bool = True,
) -> Personal:
    """The chat's Berita Pilihan: the digest's candidates ranked by editorial × affinity.

    `exclude_given` leaves out what the chat already got in a digest today (the scheduled
    digest does; `/pilihan` on demand shows the day's picks whatever was sent).
    """
    policy = policy or PickPolicy()
    rows = await candidate_rows(
        session, now=now, tz=tz, chat_pk=chat_pk if exclude_given else None, policy=policy
    )
    pool = await candidates_of(session, rows, now, policy, cache or FeatureCache())
    found = await profile(session, chat_pk, now)
    picks = affinity.rank(pool, found.weights, policy.size)
    return Personal(await views_by_ids(session, picks.ids), picks, found)


async def picks_for_chats(
    session: AsyncSession,
    chats_due: Sequence[tuple[int, tzinfo]],
    *,
    now: datetime,
    policy: PickPolicy | None = None,
    cache: FeatureCache | None = None,
) -> dict[int, Picks]:
    """Each chat's digest picks (chat pk, its zone), leaving out what it got today.

    A few queries for the whole page, not per chat: one for the candidates, one for what the
    chats were given today, two for their profiles; then each chat is ranked in memory. The
    candidates are the window's newest `policy.candidates` for every chat, before what a chat
    was given is left out (`pick_for_chat` asks the database for the newest not given).
    """
    policy = policy or PickPolicy()
    if not chats_due:
        return {}
    rows = await candidate_rows(session, now=now, tz=chats_due[0][1], policy=policy)
    pool = await candidates_of(session, rows, now, policy, cache or FeatureCache())
    pks = [pk for pk, _ in chats_due]
    days = {pk: local_day(now, tz) for pk, tz in chats_due}
    given: dict[int, set[int]] = {}
    query = select(DigestItem.chat_pk, DigestItem.day, DigestItem.story_id).where(
        DigestItem.chat_pk.in_(pks), DigestItem.day.in_(set(days.values()))
    )
    for chat_pk, day, story_id in await session.execute(query):
        if days.get(int(chat_pk)) == day:
            given.setdefault(int(chat_pk), set()).add(int(story_id))
    found = await profiles(session, pks, now)
    picks: dict[int, Picks] = {}
    for pk in pks:
        skip = given.get(pk)
        mine = [c for c in pool if c.id not in skip] if skip else pool
        picks[pk] = affinity.rank(mine, found[pk].weights, policy.size)
    return picks


async def candidates_of(
    session: AsyncSession,
    rows: Sequence[Any],
    now: datetime,
    policy: PickPolicy,
    cache: FeatureCache,
) -> list[Candidate]:
    """Candidate rows (bot.delivery.pilihan.candidate_rows) in the editorial order, with their
    scores and features."""
    ordered = editorial_order(rows, now, policy)
    features = await cache.get(session, [int(r.id) for r, _ in ordered])
    return [
        Candidate(
            id=int(r.id),
            editorial=editorial,
            features=features.get(int(r.id), ()),
            pinned=r.pinned_at is not None and now - r.pinned_at <= policy.window,
        )
        for r, editorial in ordered
    ]


def digest_note(views: Sequence[StoryView], found: Profile | None, lang: str) -> str:
    """Under a digest's heading: why these stories (learned or followed), and the 👍/👎 hint."""
    catalogue = default_catalogue()
    lines = []
    liked = why(views, found.weights) if found is not None else []
    if liked:
        names = ", ".join(esc(reason_label(f, lang)) for f in liked[:WHY_NAMES])
        lines.append(f"<i>{catalogue.text(lang, 'feedback.why', names=names)}</i>")
    lines.append(catalogue.text(lang, "feedback.hint"))
    return "\n".join(lines)
