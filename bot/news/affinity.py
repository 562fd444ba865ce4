"""What a chat likes, learned from its feedback, and the personal Berita Pilihan it ranks.

Pure: no database and no Telegram here (storage.affinities keeps the weights).

A story is described by its *features*: its topics (``t:sepak-bola``), its province
(``p:jawa-timur``), the outlets carrying it (``o:Kompas``) and a few words of its headline
(``k:persebaya``). A chat's affinity is a weight per feature. Feedback on a story moves the
weights of that story's features: "Lebih banyak seperti ini" up, "Kurangi seperti ini" down, and
a read in the Mini App or an inline share up a little. Weights fade with a half-life, so a
habit that stops fades out and the weights stay small without pruning rules of their own.

The personal ranking multiplies the editorial score (coverage, recency, pins: the same for
everyone) by ``exp(BETA · a)``, where ``a`` is the story's summed affinity, clamped; a keen
chat's weights are read relative to its strongest (`scale_of`), so that its outlets and the
topics travelling with its tastes do not reach the clamp as its tastes do. Editor pins are
always shown, and at least one item in five is kept for stories outside the chat's habits
(none of their features liked; the least habitual when every story touches a habit), so a
reader still sees what the newsroom thinks matters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.news.search.analysis import STOP_WORDS, fold
from bot.news.topics.taxonomy import REGION_PREFIX

HALF_LIFE = timedelta(days=14)
FADED = 0.02  # a weight this close to zero says nothing any more: the store drops it
MAX_FEATURE = 120  # characters of a feature key (outlet names are the long ones)
TITLE_WORDS = 3  # headline words a story is described by
MIN_WORD = 4  # shorter stems ("gol", "rp") are too ambiguous to learn from
BETA = 0.9  # how strongly affinity reorders the editorial ranking
# |summed affinity| (in the chat's units, `scale_of`) beyond this changes nothing more (at most
# ×e^5.4): a story with two of the chat's tastes still ranks above one with one of them.
# bench.personal: +0.05 precision@5 from 3 to 6 (tuned on --seed 1).
CLAMP = 6.0
# A feature weighted this much or more is one of the chat's habits: one vote on a topic, or two
# reads; not yet one vote on a broad topic (1/3) nor two on a headline word, which made a
# fifth of all stories habits at the first taps, so the room outside them was taken from a
# liked pick rather than by a pin (bench.personal, --seed 1: +0.03 precision@5 over 0.25).
HABIT = 0.35
# A taste at full strength (three votes): a chat whose strongest weight is beyond it has its
# weights read relative to that strongest one (bench.personal, --seed 1: +0.07 precision@5 on
# days 7-14, and more taps no longer rank worse than fewer).
FULL = 3.0
OUT_OF_HABIT_EVERY = 5  # at least one item in this many lies outside the habits

_LETTERS = re.compile(r"[^\W\d_]+")
TOPIC, PROVINCE, OUTLET, KEYWORD = "t", "p", "o", "k"
# How much of a signal each kind of feature takes: the topic and the province say most about
# why a reader liked a story; the outlet and the headline's words a little.
SHARE = {TOPIC: 1.0, PROVINCE: 1.0, OUTLET: 0.2, KEYWORD: 0.4}
# Topics nearly every story has: they say little about a taste, so they learn at a third.
BROAD = frozenset({"t:nasional", "t:regional"})
BROAD_SHARE = 1 / 3


class Signal(StrEnum):
    """What a chat did with a story."""

    MORE = "more"  # "Lebih banyak seperti ini"
    LESS = "less"  # "Kurangi seperti ini"
    READ = "read"  # opened it in the Mini App (its "Ringkasan" and sources)
    SHARE = "share"  # shared it through inline mode


STRENGTH: Mapping[Signal, float] = {
    Signal.MORE: 1.0,
    Signal.LESS: -1.0,
    Signal.READ: 0.2,  # one read is not yet a habit (HABIT); two are
    Signal.SHARE: 0.5,
}
# A vote can be changed (more, then less); reads and shares count once per story.
VOTES = frozenset({Signal.MORE, Signal.LESS})


def kind_of(feature: str) -> str:
    """The kind of a feature key (TOPIC, PROVINCE, OUTLET or KEYWORD)."""
    return feature.split(":", 1)[0]


def value_of(feature: str) -> str:
    """The value of a feature key: a topic slug, a province slug, an outlet, a word."""
    return feature.split(":", 1)[1]


def story_features(topics: Iterable[str], outlets: Iterable[str], title: str) -> tuple[str, ...]:
    """The features describing a story, each once, in a stable order."""
    found: dict[str, None] = {}
    for topic in topics:
        if topic.startswith(REGION_PREFIX):
            found[f"{PROVINCE}:{topic.removeprefix(REGION_PREFIX)}"] = None
        else:
            found[f"{TOPIC}:{topic}"] = None
    for outlet in outlets:
        found[f"{OUTLET}:{outlet}"[:MAX_FEATURE]] = None
    # Words as written (folded), not stemmed: they name things ("Persebaya", which a stemmer
    # reads as per- + "baya"), and a reader may see one in the line saying why.
    letters = dict.fromkeys(_LETTERS.findall(fold(title)))
    words = [w for w in letters if len(w) >= MIN_WORD and w not in STOP_WORDS]
    for word in words[:TITLE_WORDS]:
        found[f"{KEYWORD}:{word}"[:MAX_FEATURE]] = None
    return tuple(found)


def follow_features(topics: Iterable[str]) -> tuple[str, ...]:
    """The features of what a chat follows (topics and provinces): a prior before any tap."""
    return story_features(topics, (), "")


def decayed(weight: float, since: datetime, now: datetime) -> float:
    """A weight learned at `since`, as it stands at `now`."""
    age = max((now - since).total_seconds(), 0.0)
    return weight * math.pow(0.5, age / HALF_LIFE.total_seconds())


def deltas(features: Sequence[str], strength: float) -> dict[str, float]:
    """How a signal of `strength` on a story with these features moves each weight."""
    words = sum(1 for f in features if kind_of(f) == KEYWORD) or 1
    moved: dict[str, float] = {}
    for feature in features:
        share = SHARE.get(kind_of(feature), 0.0)
        if kind_of(feature) == KEYWORD:
            share /= words
        if feature in BROAD:
            share *= BROAD_SHARE
        moved[feature] = strength * share
    return moved


@dataclass(frozen=True, slots=True)
class Candidate:
    """A story the digest could show: its editorial score and its features."""

    id: int
    editorial: float
    features: tuple[str, ...]
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class Picks:
    """A chat's Berita Pilihan: the stories, best first, and why."""

    ids: list[int]
    outside: list[int]  # those of `ids` outside the chat's habits (or standing in for them)
    reasons: list[str]  # the liked features behind the picks, strongest first


def affinity(features: Sequence[str], weights: Mapping[str, float], scale: float = 1.0) -> float:
    """A story's summed affinity for a chat, in units of `scale`, clamped."""
    total = sum(weights.get(f, 0.0) for f in features) / scale
    return max(-CLAMP, min(CLAMP, total))


def scale_of(weights: Mapping[str, float]) -> float:
    """What one unit of affinity is for this chat: 1, or its strongest taste over FULL.

    Weights grow with every tap; read absolutely, a keen reader's outlets and the topics that
    travel with its tastes would all reach the clamp too, and rank as high as the tastes.
    """
    strongest = max((abs(w) for w in weights.values()), default=0.0)
    return max(1.0, strongest / FULL)


def in_habit(features: Sequence[str], weights: Mapping[str, float]) -> bool:
    """Whether one of a story's features is among the chat's habits."""
    return any(weights.get(f, 0.0) >= HABIT for f in features)


def pull(features: Sequence[str], weights: Mapping[str, float]) -> float:
    """How strongly a story's most liked feature draws the chat."""
    return max((weights.get(f, 0.0) for f in features), default=0.0)


def rank(candidates: Sequence[Candidate], weights: Mapping[str, float], size: int) -> Picks:
    """The personal picks: pins, then editorial × affinity, keeping room outside the habits.

    `candidates` come in the editorial order; ties keep it (the sort is stable). With no
    weights this is the editorial ranking itself (every story is outside the habits).
    """
    if not weights:
        chosen = sorted(candidates, key=lambda c: c.pinned, reverse=True)[:size]
        return Picks([c.id for c in chosen], [c.id for c in chosen], [])
    unit = scale_of(weights)
    scored = sorted(
        (
            (c.editorial * math.exp(BETA * affinity(c.features, weights, unit)), c)
            for c in candidates
        ),
        key=lambda sc: (sc[1].pinned, sc[0]),
        reverse=True,
    )
    chosen = [c for _, c in scored[:size]]
    habits = {c.id for c in chosen if in_habit(c.features, weights)}
    wanted = -(-len(chosen) // OUT_OF_HABIT_EVERY)  # ceil: one in five, rounded up
    outside = [c for c in chosen if c.id not in habits]
    if len(outside) < wanted:
        rest = [c for _, c in scored[size:]]
        spare = [c for c in rest if not in_habit(c.features, weights)]
        if len(spare) < wanted - len(outside):
            # Every story touches a habit (a chat that liked a little of everything): the
            # least habitual stand in, so the room outside is never taken from the reader.
            touching = [c for c in rest if in_habit(c.features, weights)]
            spare += sorted(touching, key=lambda c: pull(c.features, weights))
        # The lowest-ranked habitual picks make room (pins never do).
        for newcomer in spare[: wanted - len(outside)]:
            for i in range(len(chosen) - 1, -1, -1):
                if chosen[i].id in habits and not chosen[i].pinned:
                    habits.discard(chosen[i].id)
                    chosen[i] = newcomer
                    break
    return Picks(
        [c.id for c in chosen],
        [c.id for c in chosen if c.id not in habits],
        reasons(chosen, weights, habits),
    )


def reasons(
    chosen: Sequence[Candidate], weights: Mapping[str, float], habits: set[int]
) -> list[str]:
    """The liked features that brought the habitual picks in, strongest first.

    Headline words are named only when no topic, province or outlet explains a pick.
    """
    pull: dict[str, float] = {}
    for candidate in chosen:
        if candidate.id not in habits:
            continue
        for feature in candidate.features:
            weight = weights.get(feature, 0.0)
            if weight >= HABIT:
                pull[feature] = pull.get(feature, 0.0) + weight
    named = [f for f in pull if kind_of(f) != KEYWORD] or list(pull)
    return sorted(named, key=lambda f: (-pull[f], f))
