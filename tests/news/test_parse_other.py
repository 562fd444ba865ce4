"""JSON Feed, sitemaps, HTML index pages and the date reader."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.news.items import FeedError
from bot.news.parse import SITEMAP_INDEX_CATEGORY, parse_feed
from bot.news.parse.dates import parse_date


def test_json_feed_1_1() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Berita",
        "items": [
            {
                "id": "1",
                "url": "https://x.id/a/1",
                "title": "Satu",
                "content_html": "<p>Isi <img src='/i/1.jpg'> panjang</p>",
                "date_published": "2024-10-04T19:34:00+07:00",
                "authors": [{"name": "Dewi"}],
                "tags": ["Nasional", "Nasional", "Politik"],
            },
            {"id": "https://x.id/a/2", "title": "Dua", "summary": "Ringkas", "image": "/i/2.jpg"},
            {"id": "3", "title": "Tanpa tautan"},
            {"id": "4", "url": "https://x.id/a/1", "title": "Duplikat"},
        ],
    }
    feed = parse_feed(json.dumps(document).encode(), url="https://x.id/feed.json")
    assert (feed.kind, feed.title, feed.skipped) == ("jsonfeed", "JSON Berita", 1)
    first, second = feed.entries
    assert (first.url, first.guid, first.summary) == ("https://x.id/a/1", "1", "Isi panjang")
    assert first.image_url == "https://x.id/i/1.jpg"
    assert first.published_at == datetime(2024, 10, 4, 12, 34, tzinfo=UTC)
    assert (first.author, first.categories) == ("Dewi", ("Nasional", "Politik"))
    assert (second.url, second.summary, second.image_url) == (
        "https://x.id/a/2",
        "Ringkas",
        "https://x.id/i/2.jpg",
    )


def test_json_feed_errors() -> None:
    with pytest.raises(FeedError, match="not valid JSON"):
        parse_feed(b'{"items": [', url="https://x.id/")
    with pytest.raises(FeedError, match="not a JSON Feed"):
        parse_feed(b'{"items": 3}', url="https://x.id/")


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
 xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
 <url><loc>
   https://www.hukumonline.com/berita/a/lt1/judul-satu
  </loc>
  <news:news><news:publication><news:name>Hukumonline</news:name></news:publication>
   <news:publication_date> Fri, 18 Jan 2013 02:52:48 +0700 </news:publication_date>
   <news:title>Judul &amp; satu</news:title>
   <news:keywords> KPK, DPR ,, </news:keywords></news:news>
  <image:image><image:loc>https://img.x.id/1.jpg</image:loc></image:image></url>
 <url><loc>https://www.hukumonline.com/berita/a/lt2/dua</loc>
  <news:news><news:publication_date>2013-01-18T10:00:00Z</news:publication_date></news:news></url>
 <url><loc>https://www.hukumonline.com/berita/a/lt1/judul-satu</loc></url>
 <url><loc>  </loc></url>
</urlset>"""


def test_news_sitemap() -> None:
    feed = parse_feed(NEWS_SITEMAP, url="https://www.hukumonline.com/sitemap.xml")
    assert (feed.kind, feed.skipped) == ("sitemap", 1)
    first, second = feed.entries
    assert first.url == "https://www.hukumonline.com/berita/a/lt1/judul-satu"
    assert (first.title, first.author, first.categories) == (
        "Judul & satu",
        "Hukumonline",
        ("KPK", "DPR"),
    )
    assert first.published_at == datetime(2013, 1, 17, 19, 52, 48, tzinfo=UTC)
    assert first.image_url == "https://img.x.id/1.jpg"
    assert (second.title, second.published_at) == ("", datetime(2013, 1, 18, 10, tzinfo=UTC))


def test_plain_sitemap_and_index() -> None:
    plain = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://x.id/a</loc><lastmod>2024-10-04</lastmod></url></urlset>"""
    (entry,) = parse_feed(plain, url="https://x.id/sitemap.xml").entries
    assert (entry.url, entry.published_at) == (
        "https://x.id/a",
        datetime(2024, 10, 3, 17, tzinfo=UTC),
    )
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://x.id/sitemap-news.xml</loc><lastmod>2024-10-04T10:00:00Z</lastmod></sitemap>
<sitemap><loc>/sitemap-2.xml</loc></sitemap></sitemapindex>"""
    feed = parse_feed(index, url="https://x.id/sitemap_index.xml", kind="sitemap")
    assert [e.url for e in feed.entries] == [
        "https://x.id/sitemap-news.xml",
        "https://x.id/sitemap-2.xml",
    ]
    assert all(e.categories == (SITEMAP_INDEX_CATEGORY,) for e in feed.entries)


INDEX_PAGE = b"""<!DOCTYPE html><html><head><title>Indeks Berita</title></head><body>
<nav><a href="/">Home</a><a href="/indeks/2">2</a><a href="https://www.detik.com/privacy-policy">P</a>
<a href="https://other.com/2024/10/04/judul-di-situs-lain">luar</a></nav>
<article class="item"><a class="media__link" href="/berita/d-7572645/siswa-diduga-dibully-sekolah">
 <img src="https://akcdn.detik.net.id/a.jpeg?w=210" alt="Siswa Diduga Dibully"></a>
 <h3><a class="media__link" href="https://news.detik.com/berita/d-7572645/siswa-diduga-dibully-sekolah">
 Siswa  Diduga Dibully, Sekolah Minta Maaf</a></h3>
 <span d-time="1728045268" title="Jumat, 04 Okt 2024 19:34 WIB">7 menit</span></article>
<article class="item"><h3><a class="media__link" href="https://20.detik.com/x/20241004-241004100/video-pd-tak-masalah-kabinet">
 Video PD</a></h3><time datetime="2024-10-04T19:30:00+07:00">tadi</time></article>
<article class="item"><h3><a class="media__link" href="https://www.tribunnews.com/2023/09/18/wang-yi-kunjungi-rusia">Tribun</a></h3></article>
<div class="pager"><a class="media__link" href="#">Next</a></div>
</body></html>"""


def test_html_index_with_selector() -> None:
    feed = parse_feed(
        INDEX_PAGE, url="https://news.detik.com/indeks", kind="html", link_selector="a.media__link"
    )
    assert (feed.kind, feed.title) == ("html", "Indeks Berita")
    assert [e.url for e in feed.entries] == [
        "https://news.detik.com/berita/d-7572645/siswa-diduga-dibully-sekolah",
        "https://20.detik.com/x/20241004-241004100/video-pd-tak-masalah-kabinet",
        "https://www.tribunnews.com/2023/09/18/wang-yi-kunjungi-rusia",
    ]
    first, second, _ = feed.entries
    assert first.title == "Siswa Diduga Dibully, Sekolah Minta Maaf"  # headline over alt text
    assert first.image_url == "https://akcdn.detik.net.id/a.jpeg?w=210"
    assert first.published_at == datetime(2024, 10, 4, 12, 34, 28, tzinfo=UTC)
    assert second.published_at == datetime(2024, 10, 4, 12, 30, tzinfo=UTC)
    assert feed.skipped == 1  # the "#" pager link


def test_html_index_heuristic_keeps_same_site_articles() -> None:
    feed = parse_feed(INDEX_PAGE, url="https://news.detik.com/indeks", kind="html")
    assert [e.url for e in feed.entries] == [
        "https://news.detik.com/berita/d-7572645/siswa-diduga-dibully-sekolah",
        "https://20.detik.com/x/20241004-241004100/video-pd-tak-masalah-kabinet",
    ]


def test_html_index_errors() -> None:
    with pytest.raises(FeedError, match="not valid CSS"):
        parse_feed(INDEX_PAGE, url="https://x.id/", kind="html", link_selector="a[[")
    with pytest.raises(FeedError, match="HTML index page was expected"):
        parse_feed(b"<rss><channel/></rss>", url="https://x.id/", kind="html")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon, 17 Apr 2017 09:45:21 +0700", datetime(2017, 4, 17, 2, 45, 21, tzinfo=UTC)),
        ("Wed, 29 May 2019 10:16:00 GMT", datetime(2019, 5, 29, 10, 16, tzinfo=UTC)),
        ("Wed, 29 May 2019 10:16:00 +07:00", datetime(2019, 5, 29, 3, 16, tzinfo=UTC)),
        ("Tue, 29 Apr 2014 01:10:40 EST", datetime(2014, 4, 29, 6, 10, 40, tzinfo=UTC)),
        ("2016-02-01T17:54:50+01:00", datetime(2016, 2, 1, 16, 54, 50, tzinfo=UTC)),
        ("2024-10-04T19:34:00Z", datetime(2024, 10, 4, 19, 34, tzinfo=UTC)),
        ("2023-09-18 10:30:00", datetime(2023, 9, 18, 3, 30, tzinfo=UTC)),
        ("Jumat, 04 Okt 2024 19:34 WIB", datetime(2024, 10, 4, 12, 34, tzinfo=UTC)),
        ("31 Desember 2023", datetime(2023, 12, 30, 17, tzinfo=UTC)),
        ("18/09/2023 10:30 WIB", datetime(2023, 9, 18, 3, 30, tzinfo=UTC)),
        ("Sáb, 3 Fev 2018 08:00:00 -0200", datetime(2018, 2, 3, 10, tzinfo=UTC)),
        ("Mon, 31 Feb 2017 09:45:21 +0700", None),
        ("kemarin", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, expected: datetime | None) -> None:
    assert parse_date(text) == expected
