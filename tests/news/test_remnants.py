"""No boilerplate left in the dev data's stored bodies and summaries, and no story lost.

Reads ../shared/data (never eval/) and skips when it is absent; nothing of it is copied here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.boilerplate import (
    REMNANT_DATELINE,
    REMNANT_PROMPT,
    lost,
    page_texts,
    remnants,
    stored_texts,
)
from bot.news.text.boilerplate import clean_article
from bot.news.text.summarize import summarize

STORY = [
    "Pemerintah Kota Surabaya menaikkan anggaran perbaikan jalan tahun ini menjadi Rp 1,5 "
    "triliun, naik hampir dua kali lipat dibanding anggaran tahun lalu.",
    "Kenaikan anggaran itu disetujui DPRD Surabaya dalam rapat paripurna pada Senin pagi "
    "setelah pembahasan panjang bersama dinas pekerjaan umum kota.",
    "Sebanyak 120 ruas jalan di Surabaya akan diperbaiki mulai Maret hingga Desember, "
    "terutama jalan yang rusak parah akibat banjir awal tahun.",
]
# What follows a bare "Baca juga:" label on the next line is its link title.
LINK_TITLE = "Judul Berita Terkait Lainnya"


def test_no_body_or_summary_of_the_dev_pages_keeps_boilerplate(shared_data: Path) -> None:
    left: list[str] = []
    articles = 0
    texts = [*stored_texts(shared_data), *(text for text, _ in page_texts(shared_data))]
    for item in texts:
        articles += 1
        cleaned = clean_article(item.text)
        removed = cleaned.dateline is not None
        summary = summarize(cleaned.body, title=item.title)
        left += [f"{item.origin}: {r}" for r in remnants(cleaned.body, dateline_removed=removed)]
        left += [
            f"{item.origin} summary: {r}" for r in remnants(summary, dateline_removed=removed)
        ]
    assert articles > 2700  # SURYA 619, IndoSum 2,092, 3 page texts, the html/ gold pages
    assert left == []


def _boilerplate_lines(shared_data: Path) -> tuple[list[str], list[str]]:
    """Return the real datelines (first lines) and prompt lines found in the raw dev texts."""
    datelines: set[str] = set()
    prompts: set[str] = set()
    for item in stored_texts(shared_data):
        # The page texts open with the corpus's own "# NOTE" on what they are: not page text.
        lines = [line.strip() for line in item.text.split("\n") if line.strip()]
        lines = [line for line in lines if not line.startswith("# NOTE")]
        if lines and REMNANT_DATELINE.match(lines[0]):
            datelines.add(lines[0][:300])
        # Prompt lines, not whole one-line bodies that also open with a dateline (those are
        # checked whole by the test above).
        prompts.update(
            line
            for line in lines
            if len(line) <= 400
            and REMNANT_PROMPT.search(line)
            and not REMNANT_DATELINE.match(line)
        )
    return sorted(datelines), sorted(prompts)


def test_real_boilerplate_lines_go_in_any_story(shared_data: Path) -> None:
    datelines, prompts = _boilerplate_lines(shared_data)
    assert len(datelines) > 1000 and len(prompts) > 250  # the corpus is really there
    for line in datelines:
        cleaned = clean_article("\n".join([line, *STORY]))
        assert remnants(cleaned.body, dateline_removed=cleaned.dateline is not None) == [], line
        assert cleaned.paragraphs[-3:] == STORY, line
    for line in prompts:
        cleaned = clean_article("\n".join([STORY[0], line, LINK_TITLE, *STORY[1:]]))
        assert remnants(cleaned.body) == [], line
        assert cleaned.paragraphs[0] == STORY[0], line
        assert cleaned.paragraphs[-2:] == STORY[1:], line


def test_cleaning_loses_no_gold_paragraph_and_no_reference_sentence(shared_data: Path) -> None:
    lost_gold = [
        f"{text.origin}: {unit}"
        for text, gold in page_texts(shared_data)
        for unit in lost(gold.split("\n"), text.text, clean_article(text.text).body)
    ]
    assert lost_gold == []
    lost_reference = [
        f"{item.origin}: {unit}"
        for item in stored_texts(shared_data)
        if item.reference
        for unit in lost(list(item.reference), item.text, clean_article(item.text).body)
    ]
    assert lost_reference == []


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("SURYA.co.id | SURABAYA - Harga naik.", 1),
        ("Harga naik.\nBaca juga: Harga Turun", 1),
        ("Harga naik.\nSimak berita lainnya di Google News", 1),
        ("Harga naik.\nDapatkan Berita Pilihan di WhatsApp Anda", 1),
        ("Harga naik.\nPenulis: Budi", 1),
        ("Harga naik. (Foto: Dok. Pemkot)", 1),
        (
            "Admin grup WhatsApp itu ditangkap.\nSalesforce.com, induk perusahaan itu, naik.",
            0,
        ),
        ("- Akademi Militer (1997)", 0),
    ],
)
def test_the_detector_itself(body: str, found: int) -> None:
    assert len(remnants(body)) == found
