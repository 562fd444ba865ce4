"""The personal ranking's arithmetic (bot.news.affinity): features, signals, fading, ranking."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.news import affinity
from bot.news.affinity import Candidate, story_features

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def test_a_story_is_described_by_topics_province_outlets_and_headline_words() -> None:
    features = story_features(
        ["sepak-bola", "olahraga", "regional", "region:jawa-timur"],
        ["Tribun Jatim (Surabaya)", "Kompas", "Kompas"],
        "Persebaya Menang Telak atas Arema di Stadion Gelora",
    )
    assert features[:4] == ("t:sepak-bola", "t:olahraga", "t:regional", "p:jawa-timur")
    assert "o:Tribun Jatim (Surabaya)" in features and features.count("o:Kompas") == 1
    words = [f for f in features if f.startswith("k:")]
    assert words and len(words) <= affinity.TITLE_WORDS
    assert "k:persebaya" in words and "k:atas" not in words  # a stop word says nothing


def test_a_vote_moves_topics_most_and_spreads_over_the_headline_words() -> None:
    features = ("t:politik", "t:nasional", "o:Kompas", "k:pemilu", "k:debat")
    moved = affinity.deltas(features, affinity.STRENGTH[affinity.Signal.MORE])
    assert moved["t:politik"] == pytest.approx(1.0)
    assert moved["t:nasional"] == pytest.approx(affinity.BROAD_SHARE)  # nearly every story's
    assert moved["o:Kompas"] == pytest.approx(0.2)  # one tap does not make an outlet a habit
    assert moved["k:pemilu"] == moved["k:debat"] == pytest.approx(0.2)
    less = affinity.deltas(features, affinity.STRENGTH[affinity.Signal.LESS])
    assert all(less[f] == pytest.approx(-moved[f]) for f in features)


def test_weights_halve_every_half_life() -> None:
    then = NOW - affinity.HALF_LIFE
    assert affinity.decayed(2.0, then, NOW) == pytest.approx(1.0)
    assert affinity.decayed(2.0, NOW, NOW) == pytest.approx(2.0)
    assert affinity.decayed(2.0, NOW, then) == pytest.approx(2.0)  # a clock behind: no growth


def stories(n: int, features: tuple[str, ...] = ("t:nasional",)) -> list[Candidate]:
    """`n` candidates, editorial score falling with the id."""
    return [Candidate(i, 10.0 - i * 0.1, features) for i in range(n)]


def test_without_weights_the_ranking_is_the_editorial_one() -> None:
    pool = stories(8)
    picks = affinity.rank(pool, {}, 5)
    assert picks.ids == [0, 1, 2, 3, 4] and picks.outside == picks.ids and picks.reasons == []


def test_liked_stories_rise_and_disliked_ones_sink() -> None:
    pool = [
        *stories(6),
        Candidate(20, 5.0, ("t:sepak-bola", "t:olahraga")),
        Candidate(21, 9.9, ("t:politik",)),
    ]
    weights = {"t:sepak-bola": 1.5, "t:politik": -1.5}
    picks = affinity.rank(pool, weights, 5)
    assert picks.ids[0] == 20
    assert 21 not in picks.ids  # editorially second, but the chat asked for less politics
    assert picks.reasons == ["t:sepak-bola"]


def test_one_item_in_five_stays_outside_the_habits() -> None:
    liked = [Candidate(100 + i, 5.0, ("t:sepak-bola",)) for i in range(8)]
    pool = [*liked, *stories(8)]
    picks = affinity.rank(pool, {"t:sepak-bola": 2.0}, 5)
    assert len(picks.ids) == 5
    assert len(picks.outside) == 1 and picks.outside[0] == 0  # the editors' best of the rest
    assert sum(1 for i in picks.ids if i >= 100) == 4
    ten = affinity.rank(pool, {"t:sepak-bola": 2.0}, 10)
    assert len(ten.outside) == 2


def test_a_keen_readers_taste_still_beats_what_travels_with_it() -> None:
    # Thirty votes for football, seven of them on Kompas stories: read absolutely, both weights
    # are past the clamp, and Kompas's editorially bigger politics story would come first.
    weights = {"t:sepak-bola": 30.0, "o:Kompas": 7.0}
    politics = Candidate(1, 9.0, ("t:politik", "o:Kompas"))
    football = Candidate(2, 3.0, ("t:sepak-bola", "o:Bola"))
    picks = affinity.rank([politics, football, *stories(6)], weights, 5)
    assert picks.ids[:2] == [2, 1]
    assert affinity.scale_of(weights) == pytest.approx(30.0 / affinity.FULL)
    assert affinity.scale_of({"t:sepak-bola": 2.0}) == 1.0  # a few taps are read as they are


def test_room_outside_the_habits_stays_when_every_story_touches_one() -> None:
    # Every story is from an outlet the chat votes for: none lies wholly outside its habits.
    football = [Candidate(i, 10.0 - i * 0.1, ("t:sepak-bola", "o:Kompas")) for i in range(8)]
    politics = [Candidate(50 + i, 9.0 - i * 0.1, ("t:politik", "o:Kompas")) for i in range(3)]
    weights = {"t:sepak-bola": 3.0, "o:Kompas": affinity.HABIT + 0.1}
    picks = affinity.rank([*football, *politics], weights, 5)
    assert picks.ids == [0, 1, 2, 3, 50]  # the least habitual, editors' best first, stands in
    assert picks.outside == [50]
    assert picks.reasons == ["t:sepak-bola", "o:Kompas"]


def test_editor_pins_are_always_shown() -> None:
    pinned = Candidate(50, 101.0, ("t:politik",), pinned=True)
    pool = [*[Candidate(100 + i, 5.0, ("t:sepak-bola",)) for i in range(8)], pinned]
    picks = affinity.rank(pool, {"t:sepak-bola": 3.0, "t:politik": -3.0}, 5)
    assert picks.ids[0] == 50


def test_reasons_name_topics_before_headline_words() -> None:
    chosen = [Candidate(1, 1.0, ("t:ekonomi", "k:saham")), Candidate(2, 1.0, ("k:saham",))]
    weights = {"t:ekonomi": 0.5, "k:saham": 2.0}
    assert affinity.reasons(chosen, weights, {1, 2}) == ["t:ekonomi"]
    assert affinity.reasons(chosen[1:], weights, {2}) == ["k:saham"]


def test_follow_features_are_topics_and_provinces() -> None:
    assert affinity.follow_features(["olahraga", "region:bali"]) == ("t:olahraga", "p:bali")
