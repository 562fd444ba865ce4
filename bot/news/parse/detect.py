"""Tell what kind of document a body is from its first element and the Content-Type."""

from __future__ import annotations

import re

from bot.news.items import FeedError

# Skip the prolog (declaration, processing instructions, comments, doctype) up to the root tag.
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*", re.DOTALL)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_ROOTS = {
    "rss": "rss",
    "rdf": "rss",  # RSS 0.90 and 1.0 (rdf:RDF)
    "feed": "atom",
    "urlset": "sitemap",
    "sitemapindex": "sitemap",
    "html": "html",
}
HTML_PAGE = "the source answered with an HTML page, not a feed"


def detect_kind(text: str, content_type: str | None = None) -> str:
    """Return rss, atom, jsonfeed, sitemap or html for a decoded body, or raise FeedError."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if not head:
        raise FeedError("the source answered with an empty body")
    if head[0] in "{[":
        return "jsonfeed"
    prolog = _PROLOG.match(head)
    rest = head[prolog.end() if prolog else 0 :]
    root = _ROOT.match(rest)
    if root is None:
        ct = (content_type or "").lower()
        if "json" in ct:
            return "jsonfeed"
        raise FeedError("the body is neither a feed, a sitemap nor a web page")
    local = root.group(1).rsplit(":", 1)[-1].lower()
    kind = _ROOTS.get(local)
    if kind is None:
        if local in ("head", "body", "div", "meta", "title", "script"):
            return "html"  # a page fragment without <html>
        raise FeedError(
            f"the XML document is not RSS, Atom or a sitemap (it starts with <{local}>)"
        )
    return kind
