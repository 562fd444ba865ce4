"""Tests for Indonesian news boilerplate removal."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.news.text.boilerplate import clean_article

KOMPAS_WHATSAPP = (
    "Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu "
    "akses berita Kompas.com WhatsApp Channel : https://www.whatsapp.com/channel/0029VaFPbedBPz"
    "jZrk13HO3D. Pastikan kamu sudah install aplikasi WhatsApp ya."
)


SEED_BOILERPLATE = [
    "Baca juga",
    "Sanggupkah India",
    "NATO Siap Perang Panjang",
    "Berita Rekomendasi",
    "TRIBUNNEWS.COM",
    "(Tribunnews.com/Whiesa)",
    "Penulis:",
    "Editor:",
    "Sumber:",
    "Dapatkan Berita Pilihan",
    "WhatsApp",
    "Ikuti kami di",
    "©",
    "All Right Reserved",
    "Nikmati berita interaktif",
    "zoom-in",
    "SPUTNIK / AFP",
    "gb.china-embassy.gov.cn",
    "Diplomat senior China Wang Yi mengunjungi Moskow, Rabu",
    "Atas",
]


def test_seed_article(shared_data: Path) -> None:
    (seed,) = (shared_data / "seed").glob("*.txt")
    cleaned = clean_article(seed.read_text(encoding="utf-8"))
    for phrase in SEED_BOILERPLATE:
        assert phrase not in cleaned.body, phrase
    assert cleaned.paragraphs[0].startswith("China bakal lakukan kunjungan ke Rusia")
    assert cleaned.author == "Whiesa Daniswara"
    assert cleaned.editor == "Pravitri Retno W"
    assert cleaned.source_credit == "TribunSolo.com"
    assert cleaned.dateline == "TRIBUNNEWS.COM"
    assert cleaned.paragraphs[-1].startswith("Pembicaraan akhir pekan ini")
    assert cleaned.body == "\n\n".join(cleaned.paragraphs)
    assert "perbatasan dapat digambar ulang dengan paksa" in cleaned.body


def test_suryamalang_page(shared_data: Path) -> None:
    page = shared_data / "tribun_text" / "suryamalang_2020-07-22_tribun-network-mata-lokal.txt"
    cleaned = clean_article(page.read_text(encoding="utf-8"))
    assert cleaned.paragraphs[0].startswith("INDONESIA dibangun di atas lebih 17 ribu pulau")
    assert cleaned.dateline == "SURYAMALANG.COM, MALANG"
    assert cleaned.editor == "Zainuddin"
    assert cleaned.source_credit == "Surya Malang"
    for phrase in ("Halaman", "KOMENTAR", "BERITA TERKINI", "©", "Ikuti kami", "Breaking News"):
        assert phrase not in cleaned.body, phrase
    assert cleaned.paragraphs[-1].startswith("Lalu muncul era internet")


def test_tribunsolo_page(shared_data: Path) -> None:
    page = shared_data / "tribun_text" / "tribunsolo_2021-12-22_5-berita-populer-februari.txt"
    cleaned = clean_article(page.read_text(encoding="utf-8"))
    assert cleaned.paragraphs[0].startswith("Selama bulan Februari 2021")
    assert cleaned.dateline == "TRIBUNSOLO.COM"
    assert "Baca juga" not in cleaned.body
    assert "Cerita Kakek Arya Saloka Kesal" not in cleaned.body
    assert "1. Kakek Arya Saloka Warga Sukoharjo" in cleaned.paragraphs
    assert "kepada TribunSolo.com, Kamis (11/2/2021)" in cleaned.body


SURYA_BOILERPLATE = (
    "Baca juga",
    "Artikel ini telah tayang",
    "(*)",
    ">>",
    "SURYA.co.id |",
    "Google News",  # "Update berita terbaru di Google News SURYA.co.id"
    "News Google",  # "…(HR Muslim)Ikuti Berita Lainnya di News Google SURYA.co.id"
    "BACA BERITA",  # "…tandasnya.BACA BERITA SURABAYA LAINNYA"
)


def test_surya_bodies(shared_data: Path) -> None:
    path = shared_data / "tribun_text" / "surya_feb2022_content_dev.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        bodies = [row["content"] for row in csv.DictReader(handle) if row["content"].strip()]
    assert len(bodies) == 619
    for body in bodies:
        cleaned = clean_article(body)
        assert cleaned.paragraphs, body[:80]
        for phrase in SURYA_BOILERPLATE:
            assert phrase not in cleaned.body, (phrase, body[:80])
        assert not cleaned.body.startswith(("SURYA", "Berita ")), body[:80]
        # Scraper glue "22.00 WIB.Sunoto" is split into paragraphs.
        assert "WIB.Sunoto" not in cleaned.body
    first = clean_article(bodies[0])
    assert first.dateline == "SURYA.co.id | SURABAYA"
    assert first.paragraphs[1].startswith("Sunoto akan menghadapi")


@pytest.mark.parametrize(
    ("dateline_text", "dateline"),
    [
        ("TRIBUNNEWS.COM - ", "TRIBUNNEWS.COM"),
        ("SURYA.co.id | SURABAYA - ", "SURYA.co.id | SURABAYA"),
        ("SURYA.co.id | SURABAYA – ", "SURYA.co.id | SURABAYA"),
        ("SURYA.CO.ID, KOTA KEDIRI - ", "SURYA.CO.ID, KOTA KEDIRI"),
        ("JAKARTA, KOMPAS.com - ", "JAKARTA, KOMPAS.com"),
        ("Liputan6.com, Jakarta - ", "Liputan6.com, Jakarta"),
        ("Jakarta, CNN Indonesia -- ", "Jakarta, CNN Indonesia"),
        ("Jakarta (ANTARA) - ", "Jakarta (ANTARA)"),
        ("TEMPO.CO, Jakarta - ", "TEMPO.CO, Jakarta"),
        ("Bisnis.com, JAKARTA - ", "Bisnis.com, JAKARTA"),
        ("Suara.com - ", "Suara.com"),
        ("SURYA.co.id I ", "SURYA.co.id"),
    ],
)
def test_datelines(dateline_text: str, dateline: str) -> None:
    text = f"Judul Berita\n{dateline_text}Harga beras naik di pasar.\nPedagang mengeluh."
    cleaned = clean_article(text)
    assert cleaned.dateline == dateline
    assert cleaned.paragraphs == ["Harga beras naik di pasar.", "Pedagang mengeluh."]


@pytest.mark.parametrize(
    "junk",
    [
        "Baca juga: Harga Cabai Naik Lagi di Pasar Turi",
        "Baca Juga : Harga Cabai Naik Lagi",
        "BACA JUGA: HARGA CABAI NAIK",
        "Berita Rekomendasi",
        "Artikel ini telah tayang di Kompas.com dengan judul Harga Cabai Naik",
        "Simak berita lainnya di Google News",
        "Simak berita menarik lainnya hanya di sini",
        "Dapatkan Berita Pilihan di WhatsApp Anda",
        "Baca WhatsApp Tribunnews",
        "Ikuti saluran Tribunnews di WhatsApp",
        "Follow juga Google News SURYA.co.id",
        "Gabung ke channel Telegram kami",
        "Klik di sini untuk berita lainnya",
        "Anton Novoderezhkin / SPUTNIK / AFP",
        "Tribunnews.com/Jeprima",
        "zoom-in Harga Cabai Naik",
        "(Foto: Dok. Pemkot Surabaya)",
        "Petani memanen cabai di Kediri. (Foto: Surya/Didik)",
        "Halaman 1 2",
        "Halaman 12",
        "Halaman selanjutnya",
        "Nikmati berita interaktif dan LIVE report 24 jam hanya di TribunX",
        "Tribun Network",
        "Mata Lokal Menjangkau Indonesia",
        "(Tribunnews.com/Whiesa)",
        "(*)",
        "Update berita terbaru di Google News SURYA.co.id",
        "Update berita terkini di Google News SURYA.co.id",
        "BACA BERITA SURABAYA LAINNYA",
        "BACA BERITA SURYA.CO.ID DI GOOGLE NEWS LAINNYA",
        "Ikuti Berita Lainnya di News Google SURYA.co.id",
        KOMPAS_WHATSAPP,
        "(ant/ded)",
    ],
)
def test_junk_lines_removed(junk: str) -> None:
    text = f"Harga cabai naik tajam.\n{junk}\nPedagang mengeluh soal harga."
    cleaned = clean_article(text)
    assert cleaned.paragraphs == ["Harga cabai naik tajam.", "Pedagang mengeluh soal harga."]


@pytest.mark.parametrize(
    ("glued", "kept"),
    [
        (
            "Shalat Dhuha.\" (HR Muslim)Ikuti Berita Lainnya di News Google SURYA.co.id",
            ["Shalat Dhuha.\" (HR Muslim)"],
        ),
        (
            'Warga diminta waspada," tandasnya.BACA BERITA GRESIK LAINNYA',
            ['Warga diminta waspada," tandasnya.'],
        ),
        (
            "Pelatih: Fabio MagraoUpdate berita terbaru di Google News SURYA.co.id",
            ["Pelatih: Fabio Magrao"],
        ),
        (
            f"Harga beras turun di Jakarta. {KOMPAS_WHATSAPP} Pedagang lega.",
            ["Harga beras turun di Jakarta.", "Pedagang lega."],
        ),
        ("Harga beras turun di Jakarta. (ant/ded)", ["Harga beras turun di Jakarta."]),
        ("Harga beras turun (Ant) di Jakarta.", ["Harga beras turun di Jakarta."]),
    ],
)  # fmt: skip
def test_prompts_glued_to_the_story_are_cut_out(glued: str, kept: list[str]) -> None:
    assert clean_article(glued).paragraphs == kept


STORY = [
    "Pemerintah Kota Surabaya menaikkan anggaran perbaikan jalan tahun ini menjadi Rp 1,5 "
    "triliun, naik hampir dua kali lipat dibanding anggaran tahun lalu.",
    "Kenaikan anggaran itu disetujui DPRD Surabaya dalam rapat paripurna pada Senin pagi "
    "setelah pembahasan panjang bersama dinas pekerjaan umum kota.",
    "Sebanyak 120 ruas jalan di Surabaya akan diperbaiki mulai Maret hingga Desember, "
    "terutama jalan yang rusak parah akibat banjir awal tahun.",
]


@pytest.mark.parametrize("marker", ["Ikuti kami di Google News", "Dapatkan Berita Pilihan"])
def test_footer_marker_mid_article_keeps_the_rest(marker: str) -> None:
    text = "\n".join([STORY[0], marker, *STORY[1:]])
    assert clean_article(text).paragraphs == STORY


def test_footer_marker_before_headline_lists_ends_the_article() -> None:
    headlines = [f"Judul berita lain nomor {n} yang ramai dibaca hari ini" for n in range(12)]
    text = "\n".join([*STORY, "Ikuti kami di", *headlines, STORY[0]])
    assert clean_article(text).paragraphs == STORY


@pytest.mark.parametrize(
    "marker",
    [
        "Ikuti kami di",
        "Copyright © 2023 Tribunnews.com",
        "© 2021 TRIBUNnews.com Network,a subsidiary of KG Media.",
        "KOMENTAR",
        "BERITA TERKINI",
    ],
)
def test_footer_marker_ends_the_article(marker: str) -> None:
    text = f"Harga cabai naik tajam.\n{marker}\nJudul berita lain yang terkait."
    assert clean_article(text).paragraphs == ["Harga cabai naik tajam."]


def test_metadata_lines() -> None:
    text = "Penulis: Budi | Editor: Sari\nHarga naik.\nSumber: Surya.co.id"
    cleaned = clean_article(text)
    assert (cleaned.author, cleaned.editor, cleaned.source_credit) == (
        "Budi",
        "Sari",
        "Surya.co.id",
    )
    assert cleaned.paragraphs == ["Harga naik."]


def test_reporter_tags_keep_the_sentence() -> None:
    text = "Harga naik lagi. (tribunnews.com/ Whiesa Daniswara)\nDia pergi. (Surya/Ahmad)"
    assert clean_article(text).paragraphs == ["Harga naik lagi.", "Dia pergi."]


def test_glued_text_is_split() -> None:
    text = (
        "Berita SurabayaSURYA.co.id | SURABAYA – Laga mulai pukul 22.00 WIB.Sunoto akan bertarung."
    )
    cleaned = clean_article(text)
    assert cleaned.dateline == "SURYA.co.id | SURABAYA"
    assert cleaned.paragraphs == ["Laga mulai pukul 22.00 WIB.", "Sunoto akan bertarung."]


def test_glued_read_also_link() -> None:
    text = "Dia datang. Baca juga: Polisi Buru Pelaku Pencurian di TubanDjumin tidak tahu."
    assert clean_article(text).paragraphs == ["Dia datang.", "Djumin tidak tahu."]


def test_camel_brand_inside_link_title() -> None:
    text = "Baca juga: Cara Rekam Telepon WhatsApp di HP\nWarga memakai aplikasi itu."
    assert clean_article(text).paragraphs == ["Warga memakai aplikasi itu."]


@pytest.mark.parametrize(
    "sentence",
    [
        "Harga beras juga naik di Pasar Turi, kata pedagang.",
        "Editor majalah itu, Budi, mengatakan harga naik.",
        "Ia menjadi editor di sebuah penerbit sejak 2010.",
        "Sumber dana proyek itu berasal dari APBD Jawa Timur.",
        "Warga membaca juga berita dari Tribunnews.com setiap pagi.",
        "Polisi meminta warga mengikuti kami, kata Kapolres, saat razia.",
        "Pertandingan berlangsung di halaman sekolah pada Senin (1/2/2021).",
        "Kecamatan/Kabupaten Sukoharjo menggelar vaksinasi massal.",
    ],
)
def test_ordinary_sentences_are_kept(sentence: str) -> None:
    assert clean_article(sentence).paragraphs == [sentence]


def test_empty_text() -> None:
    cleaned = clean_article("")
    assert cleaned.body == ""
    assert cleaned.paragraphs == []
    assert cleaned.author is None
