"""Indonesian query analysis: folding, stemming, phrases, exclusions, and hostile input."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.news.search.analysis import analyse, fold, stem
from bot.news.search.document import BODY_TOKENS, story_document
from bot.news.search.query import MAX_CHARS, QueryError, parse_query


def test_fold_lowercases_and_strips_accents() -> None:
    assert fold("PELÉ Çağlar Ñandú") == "pele caglar nandu"


@pytest.mark.parametrize(
    ("words", "root"),
    [
        (["pemilihan", "memilih", "pilihan", "dipilih"], "pilih"),
        (["pembangunan", "membangun", "dibangun"], "bangun"),
        (["kebakaran", "terbakar"], "bakar"),
        (["anak-anak", "anak"], "anak"),
    ],
)
def test_affixes_are_stemmed(words: list[str], root: str) -> None:
    assert {t for w in words for t in analyse(w)} == {root}


def test_names_numbers_and_places_are_kept_as_typed() -> None:
    assert analyse("Wang Yi, Prabowo, 2024, Rp50, Bali, Medan") == [
        "wang",
        "yi",
        "prabowo",
        "2024",
        "rp50",
        "bali",
        "medan",
    ]
    assert stem("covid19") == "covid19"


def test_common_words_are_dropped() -> None:
    assert analyse("banjir yang terjadi di Jakarta dan Bekasi") == [
        "banjir",
        "jadi",
        "jakarta",
        "bekasi",
    ]


def test_query_terms_phrases_and_exclusions() -> None:
    query = parse_query('Pemilihan "Wang Yi" -jakarta -"banjir bandang"')
    assert query.required == (("pilih",), ("wang", "yi"))
    assert query.excluded == (("jakarta",), ("banjir", "bandang"))


def test_a_typed_word_that_splits_is_a_phrase() -> None:
    assert parse_query("covid-19 1.000").required == (("covid", "19"), ("1", "000"))


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "search.empty"),
        ("?!*()", "search.empty"),
        ("yang di dan", "search.empty"),
        ("-banjir", "search.only_excluded"),
        ("a" * (MAX_CHARS + 1), "search.too_long"),
        (" ".join(f"kata{n}" for n in range(20)), "search.too_many"),
    ],
)
def test_unusable_queries_say_why(typed: str, key: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse_query(typed)
    assert raised.value.key == key


def test_syntax_of_other_engines_is_plain_words() -> None:
    assert parse_query('banjir OR NEAR(jakarta) "unclosed').required == (
        ("banjir",),
        ("or",),
        ("near", "jakarta"),  # one typed word: its tokens in a row
        ("unclosed",),
    )


def test_in_memory_match_follows_fields_phrases_and_exclusions() -> None:
    doc = story_document(["Menlu Bertemu Wang Yi"], "Banjir di Jakarta", "Yi lalu Wang hadir.")
    assert parse_query('"wang yi"').matches(doc.fields)
    assert not parse_query('"yi wang"').matches(doc.fields)
    assert parse_query("banjir wang").matches(doc.fields)
    assert not parse_query("banjir -jakarta").matches(doc.fields)
    # A phrase never spans two fields: title ends "yi", summary starts "banjir".
    assert not parse_query('"yi banjir"').matches(doc.fields)


def test_body_is_cut() -> None:
    doc = story_document(["t"], "", "kata " * (BODY_TOKENS * 3))
    assert len(doc.body) == BODY_TOKENS


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_says_why(typed: str) -> None:
    try:
        query = parse_query(typed)
    except QueryError as error:
        assert error.key.startswith("search.")
        return
    assert query.required
    for term in (*query.required, *query.excluded):
        assert term and all(token and token.isalnum() for token in term)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab "-*()'), max_size=40))
def test_quotes_and_minus_in_any_order(typed: str) -> None:
    with contextlib.suppress(QueryError):
        parse_query(typed)
