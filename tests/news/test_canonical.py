"""Canonical URLs: every spelling of one article maps to one string."""

from __future__ import annotations

import pytest

from bot.news.dedup.canonical import canonical_url, site_of, trusted_canonical

TRIBUN = "https://tribunnews.com/nasional/2023/09/18/wang-yi-kunjungi-rusia"
KOMPAS = "https://nasional.kompas.com/read/2024/01/02/10000011/judul-berita"
DETIK = "https://news.detik.com/berita/d-7000000/judul-berita"

SAME_AS = [
    # tracking parameters
    (TRIBUN + "?utm_source=twitter&utm_medium=social&utm_campaign=x", TRIBUN),
    (TRIBUN + "?fbclid=IwAR0abc", TRIBUN),
    (TRIBUN + "?gclid=abc&mc_cid=1&mc_eid=2&_ga=2.1&_gl=1*x", TRIBUN),
    (TRIBUN + "?ref=hp&src=widget&__twitter_impression=true", TRIBUN),
    (KOMPAS + "?source=widgetrelated&utm_source=Facebook", KOMPAS),
    # pagination of one article
    (TRIBUN + "?page=2", TRIBUN),
    (TRIBUN + "?page=all", TRIBUN),
    (KOMPAS + "?page=all#page2", KOMPAS),
    (DETIK + "?single=1", DETIK),
    # AMP variants
    ("https://amp.tribunnews.com/nasional/2023/09/18/wang-yi-kunjungi-rusia", TRIBUN),
    ("https://www.tribunnews.com/amp/nasional/2023/09/18/wang-yi-kunjungi-rusia", TRIBUN),
    (
        "https://amp.kompas.com/read/2024/01/02/10000011/judul-berita",
        "https://kompas.com/read/2024/01/02/10000011/judul-berita",
    ),
    (DETIK + "/amp", DETIK),
    ("https://news.detik.com/amp/berita/d-7000000/judul-berita", DETIK),
    (KOMPAS + "?amp=1", KOMPAS),
    (KOMPAS + "?outputType=amp", KOMPAS),
    (KOMPAS + ".amp", KOMPAS),
    ("https://example.co.id/news/story.amp.html", "https://example.co.id/news/story.html"),
    # hosts: scheme, case, www/m/mobile, ports, trailing dot
    ("http://www.tribunnews.com/nasional/2023/09/18/wang-yi-kunjungi-rusia", TRIBUN),
    ("HTTPS://WWW.TribunNews.COM/nasional/2023/09/18/wang-yi-kunjungi-rusia", TRIBUN),
    ("https://m.tribunnews.com/nasional/2023/09/18/wang-yi-kunjungi-rusia", TRIBUN),
    ("https://mobile.tribunnews.com/nasional/2023/09/18/wang-yi-kunjungi-rusia", TRIBUN),
    ("https://tribunnews.com:443/nasional/2023/09/18/wang-yi-kunjungi-rusia", TRIBUN),
    ("http://tribunnews.com:80/nasional/2023/09/18/wang-yi-kunjungi-rusia", TRIBUN),
    ("https://tribunnews.com./nasional/2023/09/18/wang-yi-kunjungi-rusia", TRIBUN),
    (
        "https://m.detik.com/news/berita/d-7000000/judul-berita",
        "https://detik.com/news/berita/d-7000000/judul-berita",
    ),
    # paths: slashes, dot segments, escapes, whitespace
    (TRIBUN + "/", TRIBUN),
    ("https://tribunnews.com//nasional///2023/09/18/wang-yi-kunjungi-rusia", TRIBUN),
    ("https://tribunnews.com/nasional/./2023/x/../09/18/wang-yi-kunjungi-rusia", TRIBUN),
    ("https://tribunnews.com/nasional/2023/09/18/wang%2Dyi%2dkunjungi-rusia", TRIBUN),
    ("  \n" + TRIBUN + "\t ", TRIBUN),
    ("tribunnews.com/nasional/2023/09/18/wang-yi-kunjungi-rusia", TRIBUN),
    ("//tribunnews.com/nasional/2023/09/18/wang-yi-kunjungi-rusia", TRIBUN),
    ("https://example.com/a%2fb", "https://example.com/a%2Fb"),
    ("https://example.com/berita jakarta", "https://example.com/berita%20jakarta"),
    ("https://example.com/kabar/héhé", "https://example.com/kabar/h%C3%A9h%C3%A9"),
    ("https://www.example.com", "https://example.com/"),
    ("https://www.example.com/", "https://example.com/"),
    # remaining query parameters sorted and kept, blank values kept
    ("https://example.com/read?b=2&a=1&utm_term=x", "https://example.com/read?a=1&b=2"),
    ("https://example.com/read?id=5&flag=", "https://example.com/read?flag=&id=5"),
    ("https://example.com/read?q=a+b", "https://example.com/read?q=a%20b"),
    ("https://example.com/read?outputType=json", "https://example.com/read?outputType=json"),
    # ports that are not defaults stay
    ("https://example.com:8443/x/", "https://example.com:8443/x"),
    # a "www." that is the whole name stays
    ("https://www.com/x", "https://www.com/x"),
]


@pytest.mark.parametrize(("url", "expected"), SAME_AS)
def test_canonical_spelling(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(("url", "expected"), SAME_AS)
def test_canonical_is_idempotent(url: str, expected: str) -> None:
    assert canonical_url(canonical_url(url)) == canonical_url(url)


DIFFERENT = [
    (TRIBUN, TRIBUN + "-2"),
    ("https://example.com/read?id=5", "https://example.com/read?id=6"),
    ("https://example.com/Berita", "https://example.com/berita"),  # paths are case-sensitive
    ("https://news.detik.com/x", "https://finance.detik.com/x"),
    ("https://example.com:8080/x", "https://example.com/x"),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_articles_stay_apart(a: str, b: str) -> None:
    assert canonical_url(a) != canonical_url(b)


@pytest.mark.parametrize(
    "url", ["", "   ", "mailto:redaksi@example.com", "ftp://x.com/a", "https://"]
)
def test_rejects_non_article_urls(url: str) -> None:
    with pytest.raises(ValueError):
        canonical_url(url)


PAGE = "https://surabaya.tribunnews.com/jatim/2023/09/18/wang-yi-kunjungi-rusia"


@pytest.mark.parametrize(
    ("declared", "page", "trusted"),
    [
        # The same site names the article's main address: adopted.
        (TRIBUN, PAGE, TRIBUN),
        (TRIBUN + "?utm_source=x", "https://m.tribunnews.com/x/2023/09/18/y-z", TRIBUN),
        ("/berita/d-7000000/judul", "https://m.detik.com/news/x", "https://detik.com/berita/d-7000000/judul"),
        ("https://news.detik.com/berita/d-7000000/judul", "https://m.detik.com/x", "https://news.detik.com/berita/d-7000000/judul"),
        ("https://tribunnews.com/nasional/2023/09/18/wang-yi", PAGE, "https://tribunnews.com/nasional/2023/09/18/wang-yi"),
        # Another site's article (a regional copy naming the original): not adopted.
        (TRIBUN, "https://tribunsolo.com/2023/09/18/wang-yi-kunjungi-rusia", None),
        (KOMPAS, PAGE, None),
        # Home, section and channel pages are no article's address.
        ("https://www.tribunnews.com/", PAGE, None),
        ("/", PAGE, None),
        ("https://tribunnews.com/jatim", PAGE, None),
        ("https://tribunnews.com/news/jawa-timur", PAGE, None),
        ("https://surabaya.tribunnews.com/jatim/2023", PAGE, None),
        # Not a web address at all.
        ("mailto:redaksi@tribunnews.com", PAGE, None),
    ],
)  # fmt: skip
def test_trusted_canonical(declared: str, page: str, trusted: str | None) -> None:
    from urllib.parse import urljoin

    assert trusted_canonical(urljoin(page, declared), page) == trusted


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://surabaya.tribunnews.com/x", "tribunnews.com"),
        ("https://www.surya.co.id/x", "surya.co.id"),
        ("https://news.detik.com/x", "detik.com"),
        ("http://127.0.0.1:8080/x", "127.0.0.1"),
        ("http://localhost:8080/x", "localhost"),
    ],
)
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site
