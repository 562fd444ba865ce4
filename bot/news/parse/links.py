"""Clean, resolve and judge the URLs found in feeds and index pages."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from tld import get_fld

_WHITESPACE = re.compile(r"\s+")
# Scheme and host (no userinfo, a dotted or bracketed name) of an absolute web URL.
_WEB_URL = re.compile(
    r"https?://(?:[^/?#@\s]*@)?([^/?#:@\s]+|\[[0-9a-fA-F:.]+\])(?::\d*)?(?:[/?#]|$)"
)
# Hosts that only redirect to the article (click tracking); a real URL elsewhere is better.
_REDIRECT_HOSTS = ("feedsportal.com", "feedproxy.google.com", "feeds.feedburner.com")
# Second-level labels under a country code, as in kompas.co.id or uol.com.br.
_DIGITS = re.compile(r"\d{4,}")
_DATE_PATH = re.compile(r"/(?:19|20)\d{2}/\d{1,2}/\d{1,2}/")
_NOT_ARTICLE = re.compile(
    r"/(?:tag|tags|topik|topic|indeks|index|search|cari|author|penulis|kategori|category|page)"
    r"(?:/|$)",
    re.IGNORECASE,
)


def clean_url(raw: str | None, base: str) -> str | None:
    """Strip all whitespace, resolve against the base URL; None unless the result is http(s)."""
    if not raw:
        return None
    url = _WHITESPACE.sub("", raw)
    if not url or url.startswith(("#", "javascript:", "mailto:")):
        return None
    if not url.startswith(("http://", "https://")):
        url = urljoin(base, url)
    return url if _WEB_URL.match(url) else None


def is_web_url(value: str | None) -> bool:
    """Say whether a string is an absolute http(s) URL with a host."""
    return bool(value) and _WEB_URL.match(value or "") is not None


def is_redirector(url: str) -> bool:
    """Say whether the URL points at a feed click-tracking redirector, not the article."""
    match = _WEB_URL.match(url)
    host = match.group(1).lower() if match else ""
    return any(host == h or host.endswith("." + h) for h in _REDIRECT_HOSTS) or "/~r/" in url


def site_of(url: str) -> str:
    """Return the registrable domain of an http(s) URL ("tribunnews.com"), else its host."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    # tld carries its own copy of the Public Suffix List, so this never touches the network.
    return get_fld(host, fail_silently=True, fix_protocol=True) or host


def looks_like_article(url: str) -> bool:
    """Guess from its path whether a URL is an article (long slug with an id or a date)."""
    parts = urlsplit(url)
    path = parts.path
    if _NOT_ARTICLE.search(path):
        return False
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    words = [w for w in re.split(r"[-_]", slug.split(".", 1)[0]) if w]
    if len(words) < 3:
        return False
    return _DIGITS.search(path) is not None or _DATE_PATH.search(path) is not None
