"""Tests for the extractive summariser."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.news.boilerplate import clean_article
from bot.news.sentences import split_sentences
from bot.news.summarize import summarize

ARTICLE = (
    "Pemerintah Kota Surabaya menaikkan anggaran perbaikan jalan tahun ini jadi Rp 1,5 triliun.\n"
    "Kenaikan anggaran jalan itu disetujui DPRD Surabaya di rapat paripurna, Senin (10/2/2022).\n"
    "Wali Kota Surabaya mengatakan perbaikan jalan menjadi prioritas karena banyak jalan rusak.\n"
    "Apa dampaknya bagi warga?\n"
    "Sebanyak 120 ruas jalan di Surabaya akan diperbaiki mulai Maret hingga Desember.\n"
    "Cuaca hari itu cerah.\n"
    "Warga berharap perbaikan jalan selesai sebelum musim hujan tiba tahun depan."
)


def _sentences_of(summary: str) -> list[str]:
    return split_sentences(summary.replace("…", ""))


def test_length_bound_and_whole_sentences() -> None:
    for limit in (100, 200, 300, 400):
        summary = summarize(ARTICLE, max_chars=limit)
        assert len(summary) <= limit
        assert not summary.endswith("…")
        for sentence in split_sentences(summary):
            assert sentence in ARTICLE  # never cut mid-sentence


def test_two_or_three_sentences_in_article_order() -> None:
    summary = summarize(ARTICLE)
    picked = split_sentences(summary)
    assert 2 <= len(picked) <= 3
    positions = [ARTICLE.index(s) for s in picked]
    assert positions == sorted(positions)
    assert picked[0].startswith("Pemerintah Kota Surabaya")
    assert "Apa dampaknya bagi warga?" not in summary


def test_max_sentences() -> None:
    assert len(split_sentences(summarize(ARTICLE, max_sentences=1))) == 1
    assert summarize(ARTICLE, max_sentences=0) == ""


def test_only_cut_when_first_sentence_is_too_long() -> None:
    long_sentence = "Pemerintah " + "menaikkan anggaran jalan " * 30 + "tahun ini."
    summary = summarize(long_sentence, max_chars=100)
    assert summary.endswith("…")
    assert len(summary) <= 100
    assert long_sentence.startswith(summary[:-1].rstrip())
    assert not summary[:-1].endswith(" ")


def test_empty_text() -> None:
    assert summarize("") == ""
    assert summarize("   \n\n ") == ""
    assert summarize("<p></p>") == ""


def test_html_is_stripped() -> None:
    text = (
        '<p>Harga <b>beras</b> naik di Pasar Turi.</p><img src="x.jpg">'
        "<p>Pedagang mengeluh &amp; pembeli berkurang.</p>"
    )
    summary = summarize(text)
    assert "<" not in summary and ">" not in summary
    assert "&amp;" not in summary
    assert "Harga beras naik di Pasar Turi." in summary


def test_short_description() -> None:
    description = "Harga cabai di Kediri naik dua kali lipat menjelang Ramadan."
    assert summarize(description) == description


def test_title_favours_matching_sentence() -> None:
    text = (
        "Rapat dimulai pagi hari di balai kota dengan banyak agenda.\n"
        "Agenda pertama membahas taman kota dan kebersihan sungai.\n"
        "Agenda kedua membahas kenaikan harga tiket bus kota bagi pelajar.\n"
        "Agenda ketiga membahas parkir liar di pasar."
    )
    with_title = summarize(text, max_sentences=2, title="Harga tiket bus kota untuk pelajar naik")
    assert "tiket bus kota" in with_title


def test_clean_input_stays_clean(shared_data: Path) -> None:
    (seed,) = (shared_data / "seed").glob("*.txt")
    cleaned = clean_article(seed.read_text(encoding="utf-8"))
    summary = summarize(cleaned.body, title="Diplomat Top China Wang Yi Bakal Kunjungi Rusia")
    assert summary.startswith("China bakal lakukan kunjungan ke Rusia")
    assert len(summary) <= 400
    for phrase in ("Baca juga", "TRIBUNNEWS.COM", "Tribunnews.com/", "Penulis", "WhatsApp"):
        assert phrase not in summary


@pytest.mark.parametrize("limit", [50, 400, 1000])
def test_summary_sentences_come_from_text(limit: int) -> None:
    summary = summarize(ARTICLE, max_chars=limit)
    for sentence in _sentences_of(summary):
        assert sentence.rstrip() in ARTICLE
