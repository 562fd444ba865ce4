"""Datelines in every form the outlets write them, and the prompts and credits around a story."""

from __future__ import annotations

import pytest

from bench.boilerplate import remnants
from bot.news.text.boilerplate import clean_article
from bot.news.text.summarize import summarize

STORY = ["Harga beras naik di pasar induk.", "Pedagang mengeluh soal pasokan."]

# (dateline as written, before the dash) → what clean_article reports.
FORMS = [
    ("SURYA.co.id, SURABAYA", "SURYA.co.id, SURABAYA"),
    ("SURYA.co.id | OGAN KOMERING Ilir", "SURYA.co.id | OGAN KOMERING Ilir"),
    ("SURYA.co.id,", "SURYA.co.id"),  # the empty city: "SURYA.co.id, -"
    ("SURYA.co.id", "SURYA.co.id"),
    ("Surya.co.id, Kota Kediri", "Surya.co.id, Kota Kediri"),
    ("surya.co.id, surabaya", "surya.co.id, surabaya"),
    ("SURABAYA, KOMPAS.com", "SURABAYA, KOMPAS.com"),
    ("JAKARTA, KOMPAS.TV", "JAKARTA, KOMPAS.TV"),
    ("Liputan6.com, Jakarta", "Liputan6.com, Jakarta"),
    ("TRIBUNNEWS.COM, JAKARTA", "TRIBUNNEWS.COM, JAKARTA"),
    ("TribunJatim.com, Malang", "TribunJatim.com, Malang"),
    ("TRIBUN-BALI.COM, DENPASAR", "TRIBUN-BALI.COM, DENPASAR"),
    ("SURYAMALANG.COM, BATU", "SURYAMALANG.COM, BATU"),
    ("JUARA.NET, TOKYO", "JUARA.NET, TOKYO"),
    ("NEW YORK, JUARA.NET", "NEW YORK, JUARA.NET"),
    ("REPUBLIKA.CO.ID, JAKARTA", "REPUBLIKA.CO.ID, JAKARTA"),
    ("Merdeka.com", "Merdeka.com"),
    ("Jakarta, CNN Indonesia", "Jakarta, CNN Indonesia"),
    ("Jakarta, CNBC Indonesia", "Jakarta, CNBC Indonesia"),
    ("Jakarta (ANTARA)", "Jakarta (ANTARA)"),
    ("Wamena (ANTARA News)", "Wamena (ANTARA News)"),
    ("JAKARTA", "JAKARTA"),  # Okezone, Sindonews
    ("Jakarta", "Jakarta"),  # Detik
    ("Kuala Lumpur", "Kuala Lumpur"),
]
DASHES = ["-", "–", "—", "--"]
SPACING = [(" ", " "), ("", ""), (" ", ""), ("", " ")]


@pytest.mark.parametrize(("written", "tag"), FORMS)
@pytest.mark.parametrize("dash", DASHES)
@pytest.mark.parametrize(("before", "after"), SPACING)
def test_every_dateline_form_goes(
    written: str, tag: str, dash: str, before: str, after: str
) -> None:
    line = f"{written}{before}{dash}{after}{STORY[0]}"
    cleaned = clean_article(f"Judul Berita Hari Ini\n{line}\n{STORY[1]}")
    assert cleaned.paragraphs == STORY, line
    assert cleaned.dateline == tag
    assert remnants(cleaned.body, dateline_removed=True) == []
    assert not summarize(cleaned.body).startswith(written[:5])


@pytest.mark.parametrize(("written", "tag"), FORMS[:4])
def test_a_dateline_on_a_line_of_its_own_goes(written: str, tag: str) -> None:
    cleaned = clean_article(f"Judul Berita\n{written} –\n{STORY[0]}\n{STORY[1]}")
    assert cleaned.paragraphs == STORY
    assert cleaned.dateline == tag


@pytest.mark.parametrize("site", ["SURYA.co.id", "Surya.co.id", "SURYA.CO.ID"])
@pytest.mark.parametrize("separator", [" | ", "|", " I "])
def test_a_site_and_a_bar_without_a_dash_goes(site: str, separator: str) -> None:
    cleaned = clean_article(f"{site}{separator}{STORY[0]}\n{STORY[1]}")
    assert cleaned.paragraphs == STORY


def test_a_dateline_left_at_the_end_goes_and_the_story_stays() -> None:
    filler = "Kalimat ini cukup panjang untuk menjadi bagian paragraf berita yang utuh."
    story = [f"{s} {filler} {filler}" for s in ("Satu.", "Dua.", "Tiga.")]
    assert clean_article("\n\n".join([*story, "Suara.com -"])).paragraphs == story


@pytest.mark.parametrize(
    "sentence",
    [
        "Kevin - Prince Boateng sudah menjalani tes medis di Frankfurt.",
        "Paris Saint - Germain kembali ke jalur kemenangan.",
        "Salesforce.com, induk perusahaan itu, membeli startup baru.",
        "JAK - mikro mengincar usaha kecil menengah di pasar tradisional.",
        "Jurnal.id sebagai startup lokal menawarkan layanan akuntansi.",
    ],
)
def test_sentences_that_look_like_datelines_stay(sentence: str) -> None:
    assert clean_article(f"{sentence}\n{STORY[0]}").paragraphs == [sentence, STORY[0]]


@pytest.mark.parametrize(
    "junk",
    [
        "SIMAK JUGA - Persib Pastikan Incar Cole",
        "Baca Juga - Harga Cabai Naik Lagi",
        "Naskah ini bisa dibaca juga di Tabloid BOLA edisi 2.796.",
        "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com. Mari "
        'bergabung di Grup Telegram "Kompas.com News Update", caranya klik link '
        "https://t.me/kompascomupdate, kemudian join.",
        "Pewarta: Budi Santoso",
        "Laporan Reporter TribunJatim.com, Luhur Pambudi",
        "DailySocial.id adalah portal berita startup dan inovasi teknologi. Kamu bisa menjadi "
        "member komunitas startup dan inovasi DailySocial.id.",
        "Warga antre membeli minyak goreng di Pasar Senen. ANTARA FOTO/Galih Pradipta/aww.",
    ],
)
def test_more_prompts_and_credits_go(junk: str) -> None:
    cleaned = clean_article(f"{STORY[0]}\n{junk}\n{STORY[1]}")
    assert cleaned.paragraphs == STORY


@pytest.mark.parametrize("site", ["Suara.com -", "KOMPAS.com", "Surya.co.id, Surabaya —"])
def test_a_site_name_alone_after_the_story_goes(site: str) -> None:
    assert clean_article("\n".join([*STORY, site])).paragraphs == STORY


def test_detik_initials_close_the_story() -> None:
    assert clean_article(f"{STORY[0]}\n{STORY[1]} (idn/idn)").paragraphs == STORY
    kept = "Kecepatan angin mencapai 40 (km/jam)"
    assert clean_article(kept).paragraphs == [kept]
