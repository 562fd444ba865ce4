"""Same-story detection: copies from other outlets join, different stories stay apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.news.dedup.minhash import (
    PARAMS,
    Signature,
    band_keys,
    containment,
    exact_fingerprint,
    is_same_story,
    signature,
    signature_from_bytes,
    signature_to_bytes,
    signatures,
    similarity,
)
from bot.news.dedup.shingles import shingles, strip_dateline, words
from bot.news.dedup.story_index import StoryIndex

# Written for these tests: one story, an outlet's republication of it, and a different story
# on the same topic, place and day.
STORY = (
    "SURYA.co.id | SURABAYA - Banjir setinggi 50 sentimeter merendam sedikitnya 1.250 rumah "
    "di Kecamatan Rungkut, Surabaya, Selasa (8/2/2022) pagi. Hujan deras sejak Senin malam "
    "membuat saluran air di kawasan itu meluap. Camat Rungkut, Hendra Wijaya, mengatakan "
    "petugas telah mengerahkan enam pompa portabel untuk menyedot genangan. Warga yang rumahnya "
    "terendam diungsikan sementara ke balai RW dan masjid terdekat. Menurut Hendra, genangan "
    "diperkirakan surut dalam dua hari jika hujan tidak kembali turun. Dinas Sumber Daya Air "
    "juga akan mengeruk sedimen di saluran primer yang menyempit sejak tahun lalu. Pemerintah "
    "kota menyiapkan dapur umum bagi warga terdampak hingga air benar-benar surut."
)
COPY = (
    "TRIBUNJATIM.COM, SURABAYA - Banjir setinggi 50 sentimeter merendam sedikitnya 1,250 rumah "
    "di Kecamatan Rungkut, Surabaya, Selasa (8/2/2022) pagi. Hujan deras sejak Senin malam "
    "membuat saluran air di kawasan itu meluap. Baca juga: Jadwal Pemadaman Listrik Hari Ini. "
    "Camat Rungkut, Hendra Wijaya, menuturkan petugas sudah mengerahkan enam pompa portabel "
    "untuk menyedot genangan. Warga yang rumahnya terendam diungsikan sementara ke balai RW dan "
    "masjid terdekat. Menurut Hendra, genangan diperkirakan surut dalam dua hari jika hujan "
    "tidak kembali turun. (Tribunjatim.com/Luhur Pambudi)"
)
OTHER = (
    "SURYA.co.id | SURABAYA - Pohon tumbang menutup Jalan Raya Rungkut, Surabaya, Selasa "
    "(8/2/2022) pagi, setelah hujan deras disertai angin kencang sejak Senin malam. Camat "
    "Rungkut, Hendra Wijaya, mengatakan petugas pemadam kebakaran dan linmas memotong batang "
    "pohon agar lalu lintas kembali lancar. Tidak ada korban jiwa dalam peristiwa itu, namun "
    "dua mobil yang terparkir di tepi jalan rusak tertimpa dahan. Dinas Lingkungan Hidup akan "
    "memangkas pohon tua di sepanjang jalan protokol untuk mencegah kejadian serupa. Warga "
    "diminta melapor ke call center 112 jika melihat pohon yang miring atau lapuk."
)


def sig(text: str) -> Signature:
    """Return the signature of a text long enough to have one."""
    result = signature(text)
    assert result is not None
    return result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SURYA.co.id | SURABAYA - Banjir merendam", "Banjir merendam"),
        ("Berita SurabayaSURYA.co.id | SURABAYA – Banjir", "Banjir"),
        ("TRIBUNJATIM.COM, SURABAYA - Banjir", "Banjir"),
        ("Jakarta, CNN Indonesia -- Banjir", "Banjir"),
        ("Jakarta, CNN Indonesia - - Banjir", "Banjir"),
        ("Wamena (ANTARA News) - Banjir", "Banjir"),
        ("Suara.com - Banjir", "Banjir"),
        ("JAKARTA, KOMPAS.com - Banjir", "Banjir"),
        ("Banjir merendam rumah - warga mengungsi", "Banjir merendam rumah - warga mengungsi"),
        ("Jokowi-Ma'ruf hadir di Surabaya", "Jokowi-Ma'ruf hadir di Surabaya"),
    ],
)
def test_strip_dateline(text: str, expected: str) -> None:
    assert strip_dateline(text) == expected


def test_words_unify_form_not_content() -> None:
    assert words("Rp 1.500.000 pukul 22.00 WIB.Warga") == [
        "rp",
        "1500000",
        "pukul",
        "22",
        "00",
        "wib",
        "warga",
    ]
    assert words("Hujan. Baca juga: Judul Lain\nBanjir (ant/ded)") == ["hujan", "banjir"]
    assert shingles(["a", "b", "c", "d"], 3) == {b"a b c", b"b c d"}
    assert shingles(["a", "b"], 3) == {b"a b"}


def test_syndicated_copy_joins_and_other_story_stays_apart() -> None:
    story, copy, other = sig(STORY), sig(COPY), sig(OTHER)
    assert is_same_story(story, copy)
    assert set(band_keys(story)) & set(band_keys(copy))
    assert not is_same_story(story, other)
    assert not is_same_story(copy, other)
    assert similarity(story, copy) > similarity(story, other)
    # The copy is the story cut short: nearly all of it is inside the original.
    assert containment(story, copy) > 0.8


def test_index_finds_the_copy_only() -> None:
    index: StoryIndex[str] = StoryIndex()
    index.add("story", sig(STORY))
    index.add("other", sig(OTHER))
    assert len(index) == 2
    matches = index.query(sig(COPY))
    assert [story_id for story_id, _ in matches] == ["story"]
    assert matches[0][1] == pytest.approx(similarity(sig(STORY), sig(COPY)))
    with pytest.raises(ValueError):
        index.add("story", sig(STORY))


def test_signature_bytes_round_trip() -> None:
    original = sig(STORY)
    data = signature_to_bytes(original)
    restored = signature_from_bytes(data)
    assert restored.size == original.size
    assert np.array_equal(restored.values, original.values)
    assert band_keys(restored) == band_keys(original)
    assert is_same_story(restored, sig(COPY))
    with pytest.raises(ValueError):
        signature_from_bytes(data[:-4])
    with pytest.raises(ValueError):
        signature_from_bytes(b"\x63" + data[1:])


def test_signatures_are_stable_across_calls() -> None:
    # Stored signatures must still match after a restart: no per-process hash salt.
    first = sig(STORY)
    batch = signatures([OTHER, STORY])
    assert batch[1] is not None
    assert np.array_equal(first.values, batch[1].values)


def test_band_keys_fit_a_signed_bigint_and_include_the_band() -> None:
    keys = band_keys(sig(STORY))
    assert len(keys) == PARAMS.bands
    assert all(0 <= key < 2**63 for key in keys)
    # Equal values in every band still give a different key per band.
    flat = Signature(np.full(PARAMS.num_perm, 7, dtype=np.uint32), 40)
    assert len(set(band_keys(flat))) == PARAMS.bands


def test_short_text_has_no_signature_only_a_fingerprint() -> None:
    assert signature("Banjir merendam Rungkut") is None
    assert signatures(["Banjir merendam Rungkut", STORY])[0] is None
    assert exact_fingerprint("SURYA.co.id - Banjir merendam Rungkut!") == exact_fingerprint(
        "Suara.com - banjir  merendam   Rungkut"
    )
    assert exact_fingerprint("Banjir merendam Rungkut") != exact_fingerprint("Banjir di Rungkut")


def test_evaluation_set_precision_and_recall(shared_data: Path) -> None:
    from bench.dedup import score_minhash
    from bench.dedup_eval import build_pairs

    pairs = build_pairs(shared_data)
    assert sum(p.same for p in pairs) >= 500
    assert sum(not p.same for p in pairs) >= 400
    scores, _ = score_minhash(pairs, PARAMS)
    assert scores.precision >= 0.95
    assert scores.recall >= 0.90
