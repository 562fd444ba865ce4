"""Further pages of a multi-page article: "Halaman 1 2 3" links and single-page views."""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml.html import HtmlElement

# Tribun-network sites (and Kompas) serve the whole story at ?page=all even when the page
# shows no link to it; elsewhere we only trust a link the page itself offers.
_PAGE_ALL_HOSTS = (
    "tribunnews.com",
    "surya.co.id",
    "wartakotalive.com",
    "serambinews.com",
    "bangkapos.com",
    "sripoku.com",
    "banjarmasinpost.co.id",
    "pos-kupang.com",
    "posbelitung.co",
    "tribunbatam.id",
    "kompas.com",
)
_PAGE_PARAMS = ("page", "halaman", "p")
_PAGER_TEXT = re.compile(
    r"^(\d{1,2}|.*(next|selanjutnya|berikut|halaman|lanjut).*|[»›>]+)$", re.IGNORECASE
)
_TRAILING_NUMBER = re.compile(r"^(.*?)/(\d{1,2})/?$")


def _host(netloc: str) -> str:
    host = netloc.lower().rsplit("@", 1)[-1].split(":", 1)[0]
    return host.removeprefix("www.")


def _offers_page_all(host: str) -> bool:
    return "tribun" in host or any(host == h or host.endswith("." + h) for h in _PAGE_ALL_HOSTS)


def page_all_url(url: str, also: Collection[str] = ()) -> str | None:
    """Return the `?page=all` view of an article on a site known to serve one, else None.

    `also` names further hosts that serve it (tests serve one from 127.0.0.1).
    """
    parts = urlsplit(url)
    host = _host(parts.netloc)
    if not (_offers_page_all(host) or host in also) or parts.path.count("/") < 2:
        return None
    return with_query(url, page="all")


def _base_path(path: str) -> tuple[str, int]:
    """Split "/news/story/2" into ("/news/story", 2); a path without a page number is page 1."""
    match = _TRAILING_NUMBER.match(path)
    if match and match.group(1).count("/") >= 2:  # keep "/2023/09" style article paths intact
        return match.group(1), int(match.group(2))
    return path.rstrip("/") or "/", 1


def _page_number(query: str) -> int | None:
    for key, value in parse_qsl(query):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            return int(value)
    return None


def with_query(url: str, **params: str) -> str:
    """Return url with the given query parameters set (others kept, fragment dropped)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += list(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def find_pages(tree: HtmlElement, url: str) -> tuple[tuple[str, ...], str | None]:
    """Return (further page URLs in order, URL of the all-on-one-page view or None)."""
    here = urlsplit(url)
    host = _host(here.netloc)
    base, current = _base_path(here.path)
    current = _page_number(here.query) or current
    query_params = {k.lower(): v.lower() for k, v in parse_qsl(here.query)}
    on_all_view = query_params.get("page") == "all" or query_params.get("single") == "1"

    all_pages: str | None = url if on_all_view else None
    # Page links repeat the article's slug; checking that first skips urljoin on most anchors.
    slug = base.rsplit("/", 1)[-1]
    found: dict[int, str] = {}
    for anchor in tree.iterfind(".//a[@href]"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        if slug not in href and not href.startswith("?"):
            continue
        link = urlsplit(urljoin(url, href))
        if _host(link.netloc) != host:
            continue
        link_base, link_page = _base_path(link.path)
        if link_base != base:
            continue
        params = {k.lower(): v.lower() for k, v in parse_qsl(link.query)}
        if params.get("page") == "all" or params.get("single") == "1":
            all_pages = all_pages or urlunsplit(link._replace(fragment=""))
            continue
        number = _page_number(link.query)
        if number is None:
            # A bare "/3" suffix is only a page link when it reads like one ("3", "Next"),
            # not e.g. another day in a "/2023/09/19" archive.
            if not _PAGER_TEXT.match(anchor.text_content().strip()):
                continue
            number = link_page
        if number > current and number not in found:
            found[number] = urlunsplit(link._replace(fragment=""))
    if all_pages is None:
        all_pages = page_all_url(url)
    next_pages = () if on_all_view else tuple(found[n] for n in sorted(found))
    return next_pages, all_pages
