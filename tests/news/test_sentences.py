"""Tests for the Indonesian sentence splitter."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from bench.sentences import boundary_scores, load_documents
from bot.news.text.boilerplate import clean_article
from bot.news.text.sentences import sentence_spans, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kantornya di Jl. Ahmad Yani No. 5, Kec. Wonokromo, Kab. Sidoarjo. Dia datang.",
            ["Kantornya di Jl. Ahmad Yani No. 5, Kec. Wonokromo, Kab. Sidoarjo.", "Dia datang."],
        ),
        (
            "Kapolres AKBP Budi dan Brigjen. Ahmad hadir. Prof. Dr. H. Salim juga.",
            ["Kapolres AKBP Budi dan Brigjen. Ahmad hadir.", "Prof. Dr. H. Salim juga."],
        ),
        (
            "Laba PT Bank Mandiri Tbk. naik menjadi Rp 1,5 triliun atau 1.260.420.864 lembar."
            " Itu besar.",
            [
                "Laba PT Bank Mandiri Tbk. naik menjadi Rp 1,5 triliun atau 1.260.420.864 lembar.",
                "Itu besar.",
            ],
        ),
        (
            "Direktur Utama Agus D.W. Martowardojo mengatakan itu. Harga naik.",
            ["Direktur Utama Agus D.W. Martowardojo mengatakan itu.", "Harga naik."],
        ),
        (
            "Laga dimulai pukul 22.00 WIB. Sunoto siap.",
            ["Laga dimulai pukul 22.00 WIB.", "Sunoto siap."],
        ),
        (
            "Laga dimulai pukul 22.00 WIB.Sunoto akan menghadapi juara.",
            ["Laga dimulai pukul 22.00 WIB.", "Sunoto akan menghadapi juara."],
        ),
        (
            "Dia berkata kepada Tribunnews.com. Kabar dari SURYA.co.id menyebar.",
            ["Dia berkata kepada Tribunnews.com.", "Kabar dari SURYA.co.id menyebar."],
        ),
        (
            "Sumber: Tribunnews.com dan www.Kompas.com menulis 1.5 persen.",
            ["Sumber: Tribunnews.com dan www.Kompas.com menulis 1.5 persen."],
        ),
        (
            '"Saya tidak takut. Saya rasa kita sama saja," ujar Sunoto. Dia tegas.',
            ['"Saya tidak takut. Saya rasa kita sama saja," ujar Sunoto.', "Dia tegas."],
        ),
        (
            'Dia berkata, "Itu sesuatu antara kedua negara." Kemudian pergi.',
            ['Dia berkata, "Itu sesuatu antara kedua negara."', "Kemudian pergi."],
        ),
        (
            "Kemenangan itu diraih.“Saya senang,” ujarnya.Namun dia lelah.",
            ["Kemenangan itu diraih.", "“Saya senang,” ujarnya.", "Namun dia lelah."],
        ),
        (
            "Harga naik dll. Banyak barang, mis. beras dll. juga naik s.d. akhir Des. 2022.",
            ["Harga naik dll.", "Banyak barang, mis. beras dll. juga naik s.d. akhir Des. 2022."],
        ),
        (
            "Merah, kuning, hitam ... warna-warni Indonesia. Tunggu... Dia datang!",
            ["Merah, kuning, hitam ... warna-warni Indonesia.", "Tunggu...", "Dia datang!"],
        ),
        (
            "Apa kabar? Baik-baik saja! Budi, S.H., M.Si. hadir.",
            ["Apa kabar?", "Baik-baik saja!", "Budi, S.H., M.Si. hadir."],
        ),
        (
            "1. Kakek Arya Saloka Warga Sukoharjo\nKakek Sumarjo menonton.",
            ["1. Kakek Arya Saloka Warga Sukoharjo", "Kakek Sumarjo menonton."],
        ),
        # Paragraphs glued by a scraper inside or around quotations.
        (
            '"Lemak diserap tubuh," papar Prof Ahmad.Selanjutnya, untuk mencegah "obesitas".',
            [
                '"Lemak diserap tubuh," papar Prof Ahmad.',
                'Selanjutnya, untuk mencegah "obesitas".',
            ],
        ),
        (
            '"Obesitas dialami anak-anak hingga orang dewasa.Pada prinsipnya, ada banyak faktor."',
            [
                '"Obesitas dialami anak-anak hingga orang dewasa.',
                'Pada prinsipnya, ada banyak faktor."',
            ],
        ),
        (
            'Warga diimbau tidak panik," imbaunya."Kedua, kasihan petugas," katanya.',
            ['Warga diimbau tidak panik," imbaunya.', '"Kedua, kasihan petugas," katanya.'],
        ),
        (
            'Tidak ada kelangkaan."saya perintahkan semua siaga," ujarnya.',
            ["Tidak ada kelangkaan.", '"saya perintahkan semua siaga," ujarnya.'],
        ),
        (
            "Dia berkata, “Kami terkejut.”Artinya: “Dengan nama Allah.”",
            ["Dia berkata, “Kami terkejut.”", "Artinya: “Dengan nama Allah.”"],
        ),
        (
            # A quotation whose opening mark the scraper lost: `," kata` still closes one.
            'Mungkin lebih tua sedikit," kata Sean."Dia umurnya 24," tambahnya.',
            ['Mungkin lebih tua sedikit," kata Sean.', '"Dia umurnya 24," tambahnya.'],
        ),
        (
            "Pemain bintang hengkang.Info terbaru, warga desa.Potensi desa itu besar.",
            ["Pemain bintang hengkang.", "Info terbaru, warga desa.", "Potensi desa itu besar."],
        ),
        # Glued abbreviations and site names are not paragraph breaks.
        (
            "Dia tinggal di Jl.Diponegoro bersama Nyai Hj.Lily, pembaca SURYA.co.id.",
            ["Dia tinggal di Jl.Diponegoro bersama Nyai Hj.Lily, pembaca SURYA.co.id."],
        ),
        ("", []),
        ("   \n\n  ", []),
        ("Tanpa tanda akhir", ["Tanpa tanda akhir"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_spans_point_into_the_text() -> None:
    text = "  Satu dua.  Tiga empat!\n\nLima."
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Satu dua.", "Tiga empat!", "Lima."]


def test_lowercase_after_period_does_not_split() -> None:
    assert split_sentences("Nilainya 1.000. sedangkan lainnya naik.") == [
        "Nilainya 1.000. sedangkan lainnya naik."
    ]


# A sentence end glued to the next paragraph's first word, with or without a quotation mark.
GLUE = re.compile(r"[a-z0-9)\"”'][.!?][\"”']?[A-Z\"“][a-z]")


def test_glued_paragraphs_in_every_surya_body(shared_data: Path) -> None:
    path = shared_data / "tribun_text" / "surya_feb2022_content_dev.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        bodies = [row["content"] for row in csv.DictReader(handle) if row["content"].strip()]
    assert len(bodies) == 619
    left = [
        match.group()
        for body in bodies
        for sentence in split_sentences(clean_article(body).body)
        for match in GLUE.finditer(sentence)
    ]
    # Measured: 94 before quotations were paired per glued paragraph, 2 now, and both are
    # abbreviations written without a space ("Jl.Diponegoro", "Hj.Lily"), rightly kept.
    assert len(left) <= 2, left
    assert sorted(left) == ["j.Li", "l.Di"]


def test_ud_gold_boundaries(shared_data: Path) -> None:
    documents = load_documents(shared_data / "nlp" / "ud_id_sentences.tsv")
    scores = boundary_scores([(text, starts) for _, text, starts in documents])
    news = boundary_scores([(t, s) for name, t, s in documents if name.startswith("csui")])
    print(f"UD all {scores}\nUD csui {news}")
    # Measured 0.957 / 0.971 overall (0.957 / 0.969 before glued paragraphs were cut inside
    # quotations); GSD's gold merges some sentences, CSUI is cleaner.
    assert scores["precision"] >= 0.957
    assert scores["recall"] >= 0.97
    assert news["precision"] >= 0.99
    assert news["recall"] >= 0.96
