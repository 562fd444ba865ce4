"""Tests for choosing a story's fullest version and telling what a later outlet adds."""

from __future__ import annotations

import pytest

from bot.news.text.story_versions import facts, fullest, fullness, new_facts, whats_new

FIRST = (
    "Sebuah rumah ambruk di Tambaksari, Surabaya, Rabu malam (9/2/2022). Penghuninya selamat.\n\n"
    "Petugas kelurahan bersama warga setempat mengecek lokasi rumah itu pada Kamis pagi."
)
LATER = (
    "Sebuah rumah ambruk di Tambaksari, Surabaya, Rabu malam (9/2/2022). Penghuninya selamat.\n\n"
    "Ketua RT 6 RW 6, Juliantono, mengatakan rumah itu dihuni Oeij Tik Kie (65) sendirian.\n\n"
    '"Hujan deras disertai angin kencang membuat atap rumah itu roboh," kata Juliantono.'
)


def test_the_later_outlets_new_facts_make_the_line() -> None:
    line = whats_new([FIRST], LATER)
    assert (
        line
        == "Ketua RT 6 RW 6, Juliantono, mengatakan rumah itu dihuni Oeij Tik Kie (65) sendirian."
    )


def test_a_version_that_adds_nothing_has_no_line() -> None:
    assert whats_new([LATER], FIRST) is None
    assert whats_new([FIRST], FIRST) is None
    # The same facts reworded, a different date and clock time: still nothing new.
    reworded = (
        "Rumah di Tambaksari, Surabaya ambruk pada Rabu (9/2) pukul 21.00 WIB, penghuni selamat."
    )
    assert whats_new([FIRST], reworded) is None


def test_a_new_quotation_counts() -> None:
    quote = '"Kami akan membangun kembali rumah itu bersama warga," kata Lurah Tambaksari.'
    assert whats_new([FIRST], f"{FIRST}\n\n{quote}") == quote


def test_a_title_added_to_a_known_name_is_not_news() -> None:
    before = facts("Kapolda Nico Afinta meminta warga waspada.")
    after = facts("Irjen Nico Afinta meminta warga waspada.")
    assert new_facts(before, after).names == frozenset()
    assert "oeij tik kie" in facts(LATER).names
    assert "hujan" not in facts(LATER).names  # the first word of a quotation is no name


def test_numbers_ignore_dates_years_and_thousand_separators() -> None:
    found = facts("Sebanyak 1.500 warga mengungsi sejak 2021, Senin (10/2/2022) pukul 22.00 WIB.")
    assert found.numbers == frozenset({"1500"})
    assert new_facts(found, facts("Sebanyak 1500 warga mengungsi.")).numbers == frozenset()


def test_the_line_is_one_short_line() -> None:
    long_sentence = (
        "Gubernur Khofifah Indar Parawansa mengumumkan " + "bantuan " * 60 + "Rp 5 miliar."
    )
    line = whats_new([FIRST], f"{FIRST}\n\n{long_sentence}", max_chars=120)
    assert line is not None and len(line) <= 120 and line.endswith("…") and "\n" not in line


def test_fullest_prefers_the_full_page_to_a_teaser() -> None:
    teaser = "Sebuah rumah ambruk di Tambaksari, Surabaya, Rabu malam. Selengkapnya..."
    full = LATER
    assert fullest([teaser, full]) == 1
    assert fullest([full, teaser]) == 0
    # A teaser cut short counts for half its length.
    assert fullness(teaser) < len(teaser)
    # Equals: the earliest wins.
    assert fullest([FIRST, FIRST]) == 0
    with pytest.raises(ValueError, match="no version"):
        fullest([])
