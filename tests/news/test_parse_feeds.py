"""RSS, RDF and Atom parsing, one small inline feed per real-world fault."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.news.items import FeedError
from bot.news.parse import parse_feed

URL = "https://news.example.id/rss"


def rss(items: str, head: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    body = f'{head}<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
    return (body + f"<title>Contoh</title>{items}</channel></rss>").encode()


def item(extra: str, link: str = "https://news.example.id/a/1") -> str:
    return f"<item><title>Judul</title><link>{link}</link>{extra}</item>"


def test_rss2_full_item() -> None:
    body = rss(
        item(
            "<description>&lt;p&gt;Isi &lt;b&gt;berita&lt;/b&gt; &amp;amp; lain&lt;/p&gt;"
            "</description>"
            "<pubDate>Mon, 17 Apr 2017 09:45:21 +0700</pubDate><guid>g-1</guid>"
            "<author>redaksi@example.id (Budi Santoso)</author>"
            "<category>Politik</category><category> Hukum </category><category>Politik</category>"
            '<enclosure url="https://img.example.id/a.jpg" type="image/jpeg" length="1"/>'
        )
    )
    feed = parse_feed(body, url=URL)
    assert feed.kind == "rss"
    assert feed.title == "Contoh"
    (entry,) = feed.entries
    assert entry.url == "https://news.example.id/a/1"
    assert entry.title == "Judul"
    assert entry.guid == "g-1"
    assert entry.summary == "Isi berita & lain"
    assert entry.published_at == datetime(2017, 4, 17, 2, 45, 21, tzinfo=UTC)
    assert entry.author == "Budi Santoso"
    assert entry.image_url == "https://img.example.id/a.jpg"
    assert entry.categories == ("Politik", "Hukum")


@pytest.mark.parametrize(
    ("name", "body", "field", "expected"),
    [
        (
            "no XML declaration, CDATA padded with whitespace",
            rss(
                "<item><title>\n\t <![CDATA[\n  Judul  berita\t ]]>\n </title>"
                "<link>\n https://news.example.id/a/1 \n</link></item>",
                head="",
            ),
            "title",
            "Judul berita",
        ),
        (
            "double-encoded UTF-8 mojibake",
            rss(
                "<item><title>Lâ€™OrÃ©al dan â€œTapiâ€\x9d</title>"
                "<link>https://news.example.id/a/1</link></item>"
            ),
            "title",
            "L’Oréal dan “Tapi”",
        ),
        (
            "literal &#13; and entity-escaped HTML in description",
            rss(
                item(
                    "<description>Petenis&#13;\nperingkat &lt;br/&gt;233&amp;nbsp;dunia"
                    "</description>"
                )
            ),
            "summary",
            "Petenis peringkat 233\u00a0dunia".replace("\u00a0", " "),
        ),
        (
            "whitespace inside the URL",
            rss(item("", link="\n  https://news.example.id/berita/\n   123-judul  \n")),
            "url",
            "https://news.example.id/berita/123-judul",
        ),
        (
            "relative link resolved against the feed URL",
            rss(item("", link="/berita/9-judul")),
            "url",
            "https://news.example.id/berita/9-judul",
        ),
        (
            "article URL only in guid isPermaLink=false (Feedsportal redirect link)",
            rss(
                item(
                    '<guid isPermaLink="false">https://news.detik.com/read/2014/04/29/1/x</guid>',
                    link="http://detik.feedsportal.com/c/33613/f/656083/s/39db72c9/story01.htm",
                )
            ),
            "url",
            "https://news.detik.com/read/2014/04/29/1/x",
        ),
        (
            "no link, URL-shaped guid",
            rss('<item><title>T</title><guid isPermaLink="false">https://x.id/a/2</guid></item>'),
            "url",
            "https://x.id/a/2",
        ),
        (
            "feedburner origLink preferred over the ~r redirect",
            rss(
                '<item xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><title>T</title>'
                "<link>http://feeds.jn.pt/~r/JN/~3/abc/x.html</link>"
                "<feedburner:origLink>https://www.jn.pt/x.html</feedburner:origLink></item>"
            ),
            "url",
            "https://www.jn.pt/x.html",
        ),
        (
            "HTML entities and bare ampersands that are not XML",
            rss(
                "<item><title>Rock&nbsp;&amp; Roll &eacute; AT&T</title>"
                "<link>https://x.id/a?id=1&page=2</link></item>"
            ),
            "title",
            "Rock & Roll é AT&T",
        ),
        (
            "invalid date gives None, not an error",
            rss(item("<pubDate>Mon, 45 Foo 2017 99:99:99 +0700</pubDate>")),
            "published_at",
            None,
        ),
        (
            "Portuguese dates",
            rss(item("<pubDate>Seg, 24 Set 2018 19:42:40 -0300</pubDate>")),
            "published_at",
            datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC),
        ),
        (
            "Indonesian date without zone is WIB",
            rss(item("<pubDate>Senin, 18 September 2023 10:30</pubDate>")),
            "published_at",
            datetime(2023, 9, 18, 3, 30, tzinfo=UTC),
        ),
        (
            "widest media:content wins",
            rss(
                item(
                    '<media:content url="https://i.id/s.jpg" width="140" type="image/jpeg"/>'
                    '<media:content url="https://i.id/l.jpg" width="460" type="image/jpeg"/>'
                )
            ),
            "image_url",
            "https://i.id/l.jpg",
        ),
        (
            "media:thumbnail",
            rss(item('<media:thumbnail url="https://i.id/t.jpg"/>')),
            "image_url",
            "https://i.id/t.jpg",
        ),
        (
            "first real <img> in description (1x1 pixel skipped)",
            rss(
                item(
                    "<description><![CDATA[<img width='1' height='1' src='https://t.id/p.gif'>"
                    '<img src="https://i.id/a.jpg?w=1&amp;h=2"> Teks]]></description>'
                )
            ),
            "image_url",
            "https://i.id/a.jpg?w=1&h=2",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and " " in v else "",
)
def test_rss_faults(name: str, body: bytes, field: str, expected: object) -> None:
    (entry,) = parse_feed(body, url=URL).entries
    assert getattr(entry, field) == expected, name


def test_windows_1252_labelled_utf8() -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-8"?><rss><channel><item>'
        "<title>Ibope: simulações de 2º turno – “teste”</title><link>https://uol.com.br/a</link>"
        "</item></channel></rss>"
    )
    feed = parse_feed(text.encode("cp1252"), url=URL, content_type="text/xml; charset=utf-8")
    assert feed.entries[0].title == "Ibope: simulações de 2º turno – “teste”"


def test_declared_iso_8859_1() -> None:
    text = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>Notícias</title>'
        "<item><title>Mãe</title><link>https://jn.pt/a</link></item></channel></rss>"
    )
    feed = parse_feed(text.encode("latin-1"), url=URL)
    assert (feed.title, feed.entries[0].title) == ("Notícias", "Mãe")


def test_duplicates_and_linkless_items() -> None:
    body = rss(
        item("<description>pertama</description>")
        + "<item><title>Tanpa tautan</title></item>"
        + item("<description>kedua</description>", link=" https://news.example.id/a/1")
        + item("", link="https://news.example.id/a/2")
    )
    feed = parse_feed(body, url=URL)
    assert [e.url for e in feed.entries] == [
        "https://news.example.id/a/1",
        "https://news.example.id/a/2",
    ]
    assert feed.entries[0].summary == "pertama"
    assert feed.skipped == 1


def test_empty_channel_is_not_an_error() -> None:
    feed = parse_feed(rss(""), url=URL)
    assert (feed.kind, feed.entries, feed.skipped) == ("rss", [], 0)


def test_rss_1_0_rdf() -> None:
    body = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel rdf:about="https://x.id/"><title>RDF Feed</title><link>https://x.id/</link></channel>
 <item rdf:about="https://x.id/a/1"><title>Satu</title><link>https://x.id/a/1</link>
  <dc:date>2023-09-18T10:30:00+07:00</dc:date><dc:creator>Ani</dc:creator>
  <dc:subject>Ekonomi</dc:subject></item>
 <item rdf:about="https://x.id/a/2"><title>Dua</title><link>https://x.id/a/2</link></item>
</rdf:RDF>"""
    feed = parse_feed(body, url=URL)
    assert (feed.kind, feed.title) == ("rss", "RDF Feed")
    assert [e.title for e in feed.entries] == ["Satu", "Dua"]
    first = feed.entries[0]
    assert first.published_at == datetime(2023, 9, 18, 3, 30, tzinfo=UTC)
    assert (first.author, first.categories) == ("Ani", ("Ekonomi",))


def test_rss_0_91() -> None:
    body = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Lama</title><language>id</language>
<item><title>Berita &amp; lama</title><link>https://x.id/lama/1</link>
<description>Ringkas</description></item></channel></rss>"""
    (entry,) = parse_feed(body, url=URL).entries
    assert (entry.title, entry.url, entry.summary) == (
        "Berita & lama",
        "https://x.id/lama/1",
        "Ringkas",
    )


def test_atom() -> None:
    body = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
 <title type="text">Atom Feed</title>
 <entry><title type="html">A &lt;b&gt;bold&lt;/b&gt; title</title>
  <id>tag:x.id,2024:1</id>
  <link rel="self" href="https://x.id/self/1"/>
  <link rel="alternate" type="text/html" href="https://x.id/a/1"/>
  <published>2016-02-01T17:22:00+01:00</published><updated>2016-02-02T00:00:00Z</updated>
  <author><name>Rina</name></author>
  <category term="tech" label="Teknologi"/><category term="web"/>
  <summary type="html">&lt;p&gt;Ringkasan &lt;img src="/i.jpg"&gt;&lt;/p&gt;</summary>
 </entry>
 <entry><title>Only id</title><id>https://x.id/a/2</id></entry>
 <entry><title>No link</title><id>urn:uuid:1</id></entry>
</feed>"""
    feed = parse_feed(body, url="https://x.id/feed.atom")
    assert (feed.kind, feed.title, feed.skipped) == ("atom", "Atom Feed", 1)
    first, second = feed.entries
    assert (first.url, first.title, first.guid) == (
        "https://x.id/a/1",
        "A bold title",
        "tag:x.id,2024:1",
    )
    assert first.published_at == datetime(2016, 2, 1, 16, 22, tzinfo=UTC)
    assert (first.author, first.categories) == ("Rina", ("Teknologi", "web"))
    assert (first.summary, first.image_url) == ("Ringkasan", "https://x.id/i.jpg")
    assert second.url == "https://x.id/a/2"


def test_declared_kind_is_a_hint() -> None:
    body = b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://x.id/1"/></entry></feed>'
    assert parse_feed(body, url=URL, kind="rss").kind == "atom"


def test_truncated_xml_keeps_complete_items_only() -> None:
    whole = rss(item("", link="https://x.id/1") + item("", link="https://x.id/2"))
    cut = whole[: whole.index(b"https://x.id/2") + 8]
    feed = parse_feed(cut, url=URL)
    assert [e.url for e in feed.entries] == ["https://x.id/1"]
    assert feed.skipped == 1  # the item cut short is dropped, not returned half-read


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty body"),
        (b"  \n\t ", "empty body"),
        (b"<!DOCTYPE html><html><head><title>Hi</title></head><body>x</body></html>", "HTML page"),
        (b"<html><body><p>Not found</p></body></html>", "HTML page"),
        (b"\x00\x01\x02\xff\xfegarbage", "neither a feed"),
        (b"Service temporarily unavailable", "neither a feed"),
        (b"<?xml version='1.0'?><config><a>1</a></config>", "not RSS, Atom or a sitemap"),
        (b"<?xml version='1.0'?><!-- only a comment -->", "neither a feed"),
    ],
)
def test_errors(body: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(body, url=URL)


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown feed kind"):
        parse_feed(rss(""), url=URL, kind="podcast")
