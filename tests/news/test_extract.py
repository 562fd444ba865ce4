"""Tests for article extraction: text, metadata, pagination and charsets."""

from __future__ import annotations

import collections
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.news.extract.article import (
    ExtractedArticle,
    ExtractError,
    decode_html,
    extract_article,
    merge_pages,
)

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))

_PARAGRAPHS = [
    "TRIBUNNEWS.COM - Menteri Luar Negeri China Wang Yi tiba di Moskwa pada Senin untuk "
    "kunjungan kerja selama empat hari dan bertemu pejabat tinggi Rusia.",
    "Kunjungan ini berlangsung beberapa hari setelah pemimpin Korea Utara Kim Jong Un "
    "menyelesaikan lawatannya ke wilayah timur jauh Rusia.",
    "Wang Yi dijadwalkan membahas kerja sama strategis kedua negara serta situasi keamanan "
    "internasional dengan Menteri Luar Negeri Rusia Sergei Lavrov.",
]

TRIBUN_PAGE = f"""<!DOCTYPE html>
<html lang="id"><head>
<meta charset="utf-8">
<title>Wang Yi Kunjungi Rusia - Tribunnews.com</title>
<link rel="canonical" href="/internasional/2023/09/18/wang-yi-kunjungi-rusia">
<meta property="og:title" content="Wang Yi Kunjungi Rusia - Tribunnews.com">
<meta property="og:image" content="https://cdn.tribunnews.com/foto/wang-yi.jpg">
<meta property="article:published_time" content="2023-09-18T09:00:00+00:00">
<meta name="content_author" content="Whiesa Daniswara">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@graph": [
  {{"@type": "WebSite", "name": "Tribunnews.com"}},
  {{"@type": ["NewsArticle"], "headline": "Wang Yi Kunjungi Rusia, Bertemu Lavrov",
    "datePublished": "2023-09-18T10:15:00+07:00",
    "author": [{{"@type": "Person", "name": "Whiesa Daniswara"}}],
    "editor": {{"@type": "Person", "name": "Pravitri Retno"}},
    "articleSection": "Internasional",
    "image": {{"@type": "ImageObject", "url": "/foto/wang-yi-besar.jpg"}}}}
]}}
</script>
</head><body>
<header><div class="headline-card"><h5>Headline</h5>
<p>Presiden meresmikan bendungan baru di Jawa Tengah pada Senin pagi ini.</p></div></header>
<div class="side-article">
  <div class="ketfoto">Menlu China Wang Yi saat tiba di Moskwa. (AFP/Alexander Nemenov)</div>
  <div class="side-article txt-article">
    <p>{_PARAGRAPHS[0]}</p>
    <p>{_PARAGRAPHS[1]}</p>
    <p>{_PARAGRAPHS[2]}</p>
  </div>
  <div class="paging">Halaman
    <a href="https://www.tribunnews.com/internasional/2023/09/18/wang-yi-kunjungi-rusia">1</a>
    <a href="https://www.tribunnews.com/internasional/2023/09/18/wang-yi-kunjungi-rusia?page=2">2</a>
    <a href="https://www.tribunnews.com/internasional/2023/09/18/wang-yi-kunjungi-rusia?page=3">3</a>
    <a href="https://www.tribunnews.com/internasional/2023/09/18/wang-yi-kunjungi-rusia?page=all">Tampilkan Semua</a>
  </div>
</div>
<aside class="sidebar"><h3>Terpopuler</h3>
<p>Harga emas hari ini naik tajam setelah pengumuman suku bunga bank sentral.</p></aside>
</body></html>"""  # noqa: E501

TRIBUN_URL = "https://www.tribunnews.com/internasional/2023/09/18/wang-yi-kunjungi-rusia"

DETIK_PAGE = """<html><head>
<meta name="dtk:publishdate" content="2023-09-18 14:30:00">
<meta name="author" content="Ari Saputra">
<meta property="og:url" content="https://news.detik.com/berita/d-6937001/banjir-rob-di-makassar">
<meta property="og:title" content="Banjir Rob di Makassar">
<meta name="dtk:section" content="Berita">
</head><body>
<div class="detail__body-text itp_bodycontent">
Banjir rob kembali merendam permukiman warga di pesisir Makassar, Sulawesi Selatan, sejak Senin pagi.<br><br>
Ketinggian air mencapai lutut orang dewasa dan warga mulai mengungsi ke tempat yang lebih tinggi.<br><br>
Petugas BPBD mendirikan posko darurat dan membagikan makanan kepada warga terdampak banjir rob.
</div>
<div class="detail__body-tag">
<a href="https://news.detik.com/berita/d-6937001/banjir-rob-di-makassar/2">2</a>
<a href="https://news.detik.com/berita/d-6937001/banjir-rob-di-makassar/3">3</a>
<a href="https://news.detik.com/berita/d-6937001/banjir-rob-di-makassar?single=1">Tampilkan per halaman</a>
<a href="https://news.detik.com/berita/d-6937002/berita-lain">Berita lain</a>
</div>
<p class="date">Senin, 18 Sep 2023 14:30 WITA</p>
</body></html>"""  # noqa: E501
DETIK_URL = "https://news.detik.com/berita/d-6937001/banjir-rob-di-makassar"

BROKEN_JSONLD_PAGE = """<html><head>
<script type="application/ld+json">
{"@type": "NewsArticle", "headline": "Gempa Guncang Maluku",
 "datePublished": "2024-02-01T08:00:00+09:00",
 "author": {"@type": "Person", "name": "Rina Ambon"},
 "description": "Gempa "berkekuatan" 5,2 guncang Maluku",}
</script></head><body><article>
<p>Gempa berkekuatan magnitudo 5,2 mengguncang wilayah Maluku Tengah pada Kamis pagi.</p>
<p>BMKG menyatakan gempa tidak berpotensi tsunami, namun warga diminta tetap waspada.</p>
<p>Getaran dirasakan cukup kuat di Ambon selama beberapa detik menurut warga setempat.</p>
</article></body></html>"""


def _find_tokens(text: str) -> collections.Counter[str]:
    return collections.Counter(re.findall(r"\w+", text.lower()))


def _f1(found: str, gold: str) -> float:
    a, b = _find_tokens(found), _find_tokens(gold)
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def test_tribun_page_metadata() -> None:
    art = extract_article(TRIBUN_PAGE.encode(), url=TRIBUN_URL)
    assert art.title == "Wang Yi Kunjungi Rusia, Bertemu Lavrov"  # JSON-LD inside @graph
    assert art.author == "Whiesa Daniswara"
    assert art.editor == "Pravitri Retno"
    assert art.section == "Internasional"
    assert art.published_at == datetime(2023, 9, 18, 10, 15, tzinfo=WIB)
    assert art.published_at is not None and art.published_at.utcoffset() == timedelta(hours=7)
    assert art.image_url == "https://www.tribunnews.com/foto/wang-yi-besar.jpg"
    assert art.canonical_url == TRIBUN_URL
    assert art.image_caption == "Menlu China Wang Yi saat tiba di Moskwa. (AFP/Alexander Nemenov)"


def test_tribun_page_body_excludes_header_and_sidebar() -> None:
    art = extract_article(TRIBUN_PAGE, url=TRIBUN_URL)
    assert art.text.split("\n\n") == _PARAGRAPHS
    assert "Headline" not in art.text
    assert "emas" not in art.text


def test_tribun_pagination() -> None:
    art = extract_article(TRIBUN_PAGE, url=TRIBUN_URL)
    assert art.next_pages == (TRIBUN_URL + "?page=2", TRIBUN_URL + "?page=3")
    assert art.all_pages_url == TRIBUN_URL + "?page=all"


def test_tribun_second_page_lists_only_later_pages() -> None:
    art = extract_article(TRIBUN_PAGE, url=TRIBUN_URL + "?page=2")
    assert art.next_pages == (TRIBUN_URL + "?page=3",)


def test_page_all_view_has_no_next_pages() -> None:
    art = extract_article(TRIBUN_PAGE, url=TRIBUN_URL + "?page=all")
    assert art.next_pages == ()
    assert art.all_pages_url == TRIBUN_URL + "?page=all"


def test_tribun_network_offers_page_all_without_link() -> None:
    page = TRIBUN_PAGE.replace("?page=all", "?page=9")
    url = "https://surabaya.tribunnews.com/2022/02/01/banjir"
    assert extract_article(page, url=url).all_pages_url == url + "?page=all"
    assert extract_article(page, url="https://surya.co.id/2022/02/01/x").all_pages_url == (
        "https://surya.co.id/2022/02/01/x?page=all"
    )


def test_detik_page() -> None:
    art = extract_article(DETIK_PAGE, url=DETIK_URL)
    assert art.text.split("\n\n")[0].startswith("Banjir rob kembali merendam")
    assert len(art.text.split("\n\n")) == 3
    assert art.title == "Banjir Rob di Makassar"
    assert art.author == "Ari Saputra"
    # A naive time on an Indonesian page is WIB.
    assert art.published_at == datetime(2023, 9, 18, 14, 30, tzinfo=WIB)
    assert art.canonical_url == DETIK_URL
    assert art.next_pages == (DETIK_URL + "/2", DETIK_URL + "/3")
    assert art.all_pages_url == DETIK_URL + "?single=1"


def test_date_from_page_text_when_no_metadata() -> None:
    page = re.sub(r"<meta name=\"dtk:publishdate\"[^>]*>", "", DETIK_PAGE)
    art = extract_article(page, url=DETIK_URL)
    assert art.published_at == datetime(2023, 9, 18, 14, 30, tzinfo=WITA)


def test_broken_json_ld_is_tolerated() -> None:
    art = extract_article(BROKEN_JSONLD_PAGE, url="https://example.id/berita/gempa")
    assert art.title == "Gempa Guncang Maluku"
    assert art.author == "Rina Ambon"
    assert art.published_at == datetime(2024, 2, 1, 8, 0, tzinfo=timezone(timedelta(hours=9)))
    assert art.text.startswith("Gempa berkekuatan magnitudo 5,2")
    assert art.next_pages == ()
    assert art.all_pages_url is None


def test_page_without_text_raises() -> None:
    page = (
        "<html><head><title>Video</title></head>"
        "<body><nav><a href='/'>Home</a></nav></body></html>"
    )
    with pytest.raises(ExtractError, match="no readable article text"):
        extract_article(page, url="https://example.id/video/1")


def test_non_html_raises() -> None:
    with pytest.raises(ExtractError, match="not an HTML page"):
        extract_article(b'{"status": "ok", "items": []}', url="https://example.id/api")
    with pytest.raises(ExtractError, match="not an HTML page"):
        extract_article(b"%PDF-1.7 binary", url="https://example.id/file.pdf")


def test_latin1_page_with_meta_charset() -> None:
    page = (
        "<html><head><meta charset=iso-8859-1><title>Café</title></head><body><article>"
        "<p>Le café du marché a ouvert ses portes à Jakarta, où les habitués se pressent déjà "
        "dès sept heures pour goûter le kopi tubruk préparé à l'ancienne.</p>"
        "</article></body></html>"
    ).encode("latin-1")
    assert "<title>Café</title>" in decode_html(page, None)
    art = extract_article(page, url="https://example.id/cafe")
    assert "café du marché" in art.text
    assert art.title == "Café"


def test_decode_html_order() -> None:
    text = "Rp 10.000 – murah ‘sekali’"
    # The HTTP header wins over a contradicting meta tag.
    body = b'<meta charset="windows-1252">' + text.encode("utf-8")
    assert decode_html(body, "utf-8").endswith(text)
    # A wrong UTF-8 declaration falls back to cp1252 instead of failing.
    assert decode_html(text.encode("cp1252"), "utf-8") == text
    # A BOM overrides everything.
    assert decode_html(b"\xef\xbb\xbf" + text.encode(), "iso-8859-1") == text
    assert decode_html("<p>é</p>".encode("cp1252"), None) == "<p>é</p>"


def test_merge_pages_keeps_first_metadata() -> None:
    first = extract_article(TRIBUN_PAGE, url=TRIBUN_URL)
    second = extract_article(DETIK_PAGE, url=DETIK_URL)
    merged = merge_pages(first, [second])
    assert merged.title == first.title
    assert merged.published_at == first.published_at
    assert merged.text == first.text + "\n\n" + second.text
    assert merged.next_pages == ()
    assert isinstance(merged, ExtractedArticle)


def test_utc_offset_kept() -> None:
    page = BROKEN_JSONLD_PAGE.replace("2024-02-01T08:00:00+09:00", "2024-02-01T08:00:00Z")
    art = extract_article(page, url="https://example.id/x")
    assert art.published_at == datetime(2024, 2, 1, 8, 0, tzinfo=UTC)


def _gold_cases(shared_data: Path) -> list[tuple[str, str, dict[str, object]]]:
    folder = shared_data / "html" / "id" / "fundus_mediaindonesia"
    cases = []
    for meta in sorted(folder.glob("*_meta.info")):
        prefix = meta.name.removesuffix("meta.info")
        ((name, info),) = json.loads(meta.read_text()).items()
        html = (folder / (prefix + name.removesuffix(".gz"))).read_text(encoding="utf-8")
        gold = json.loads((folder / f"{prefix}MediaIndonesia.json").read_text())["V1"]
        cases.append((html, info["url"], gold))
    return cases


def _gold_text(gold: dict[str, object]) -> str:
    body = gold["body"]
    assert isinstance(body, dict)
    parts = list(body["summary"])
    for section in body["sections"]:
        parts += section["headline"] + section["paragraphs"]
    return "\n".join(parts)


def test_media_indonesia_pages_match_gold(shared_data: Path) -> None:
    cases = _gold_cases(shared_data)
    assert len(cases) == 3
    for html, url, gold in cases:
        art = extract_article(html.encode(), url=url)
        assert art.title == gold["title"]
        assert art.published_at == datetime.fromisoformat(str(gold["publishing_date"]))
        assert not art.text.startswith("Headline")
        assert "Sebanyak 66,1% responden" not in art.text
        assert art.canonical_url == url
        # Measured 0.92-1.00 (raw, before boilerplate removal); trafilatura alone gets 0.75.
        assert _f1(art.text, _gold_text(gold)) >= 0.9, url


def test_listing_page_of_headlines_raises() -> None:
    items = "".join(
        f"<li><a href='/berita/d-{n}/judul-{n}'>Judul berita nomor {n} tentang banjir di kota</a>"
        f"<span>{n} menit yang lalu</span></li>"
        for n in range(30)
    )
    page = f"<html><head><title>Indeks Berita</title></head><body><ul>{items}</ul></body></html>"
    with pytest.raises(ExtractError, match="no readable article text"):
        extract_article(page, url="https://news.detik.com/indeks")


def test_body_with_each_paragraph_in_its_own_wrapper() -> None:
    blocks = "".join(f"<div class='blk'><p>{text}</p></div>" for text in _PARAGRAPHS)
    page = (
        "<html><body><div class='top'><p>Sebanyak 66,1% responden menolak pilkada melalui DPRD "
        "menurut survei terbaru lembaga itu.</p></div>"
        f"<div class='main'><h1>Judul</h1>{blocks}</div></body></html>"
    )
    art = extract_article(page, url="https://example.id/berita/1")
    assert art.text.split("\n\n") == _PARAGRAPHS


def test_editor_from_credit_line() -> None:
    page = BROKEN_JSONLD_PAGE.replace(
        "</article>",
        "</article><div class='credit'>Penulis: Rina Ambon | Editor: Hasanudin Aco</div>",
    )
    art = extract_article(page, url="https://example.id/berita/gempa")
    assert art.editor == "Hasanudin Aco"
    assert "Hasanudin" not in art.text


@pytest.mark.parametrize(
    ("og_title", "title"),
    [
        ("Wang Yi Kunjungi Rusia - Tribunnews.com", "Wang Yi Kunjungi Rusia"),
        ("Wang Yi Kunjungi Rusia | Kompas.com", "Wang Yi Kunjungi Rusia"),
        ("Wang Yi Kunjungi Rusia - Halaman all - Tribunnews.com", "Wang Yi Kunjungi Rusia"),
        ("Wang Yi Kunjungi Rusia | SURYA.co.id", "Wang Yi Kunjungi Rusia"),
        ("Wang Yi Kunjungi Rusia - Kabar Kita", "Wang Yi Kunjungi Rusia"),  # og:site_name
        # A dash or colon inside a headline is not a site name.
        ("Wang Yi: Rusia dan China - Mitra Lama", "Wang Yi: Rusia dan China - Mitra Lama"),
        ("Harga BBM Naik - Ini Daftarnya", "Harga BBM Naik - Ini Daftarnya"),
    ],
)
def test_site_name_is_not_part_of_the_title(og_title: str, title: str) -> None:
    page = (
        TRIBUN_PAGE.replace('"headline": "Wang Yi Kunjungi Rusia, Bertemu Lavrov",', "")
        .replace("Wang Yi Kunjungi Rusia - Tribunnews.com", og_title)
        .replace("<head>", '<head><meta property="og:site_name" content="Kabar Kita">', 1)
    )
    assert extract_article(page, url=TRIBUN_URL).title == title


def test_zone_stated_only_when_the_page_names_it() -> None:
    assert extract_article(TRIBUN_PAGE, url=TRIBUN_URL).zone_stated  # +07:00
    assert not extract_article(DETIK_PAGE, url=DETIK_URL).zone_stated  # "2023-09-18 14:30:00"
    page = re.sub(r"<meta name=\"dtk:publishdate\"[^>]*>", "", DETIK_PAGE)
    assert extract_article(page, url=DETIK_URL).zone_stated  # "Senin, … 14:30 WITA"


def test_a_time_element_in_wita_is_read_in_wita() -> None:
    # RFC 822 parsing accepts this string but drops "WITA"; the page's own zone must win.
    stamp = '<time datetime="Senin, 18 September 2023 14:30 WITA"></time>'
    page = re.sub(r"<meta name=\"dtk:publishdate\"[^>]*>", "", DETIK_PAGE)
    page = page.replace("<body>", f"<body>{stamp}", 1)
    art = extract_article(page, url=DETIK_URL)
    assert art.published_at == datetime(2023, 9, 18, 14, 30, tzinfo=WITA)
    assert art.zone_stated
