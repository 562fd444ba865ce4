"""Article metadata from a page's JSON-LD, OpenGraph and meta tags."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement

from bot.news.extract.article_dates import find_indonesian_date, parse_date, states_zone

_ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "blogposting",
        "liveblogposting",
        "report",
    }
)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_FIELD = r'"{name}"\s*:\s*"((?:[^"\\]|\\.)*)"'
# The site name page titles end with: "… - Tribunnews.com", "… | Kompas.com", "… - Halaman all".
_SITE_SUFFIX = re.compile(
    r"\s+[-|–—:·]\s+(?:Halaman\s+\w+|(?:\S+\s+){0,2}(?:[\w-]+\.(?:co\.id|com|co|id|net|tv|news)"
    r"|Tribun\w*|Kompas\w*|Okezone(?:\s+News)?|detik\w*|CNN Indonesia|ANTARA News|Liputan6))\s*$",
    re.IGNORECASE,
)
_EDITOR_LINE = re.compile(r"\bEditor\s*:\s*([^\n|:]{2,60})")
_CAPTION_XPATH = (
    ".//figure//figcaption | .//*[contains(@class,'caption') or contains(@class,'ketfoto')]"
)
_CREDIT_XPATH = (
    ".//*[contains(@class,'editor') or contains(@class,'author') or contains(@class,'credit')]"
)
_DATE_METAS = (
    "article:published_time",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "content_publisheddate",
    "dtk:publishdate",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "date",
)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What the page says about its article, before the body is read."""

    title: str | None = None
    author: str | None = None
    editor: str | None = None
    published_at: datetime | None = None
    zone_stated: bool = False  # the page's time named its zone (an offset, WIB, WITA, WIT)
    image_url: str | None = None
    image_caption: str | None = None  # only the JSON-LD one; see find_caption
    canonical_url: str | None = None
    section: str | None = None
    article_body: str | None = None  # JSON-LD articleBody, when the page ships one


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _load_json(raw: str) -> Any:
    """Parse JSON-LD, repairing the faults seen on news sites; None when hopeless."""
    text = raw.strip()
    for junk in ("<!--", "-->", "<![CDATA[", "]]>", "//<![CDATA[", "//]]>"):
        text = text.replace(junk, "")
    text = text.strip().rstrip(";")
    for candidate in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(candidate, strict=False)  # strict=False allows raw newlines
        except ValueError:
            continue
    return None


def _salvage(raw: str) -> dict[str, Any]:
    """Pull the key fields out of JSON-LD too broken to parse."""
    node: dict[str, Any] = {}
    for name in ("headline", "datePublished", "articleSection", "articleBody"):
        match = re.search(_FIELD.format(name=name), raw)
        if match:
            try:
                node[name] = json.loads(f'"{match.group(1)}"', strict=False)
            except ValueError:
                node[name] = match.group(1)
    match = re.search(r'"author"[^}]*?"name"\s*:\s*"([^"]+)"', raw)
    if match:
        node["author"] = {"name": match.group(1)}
    return node


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk(data["@graph"])


def _is_article(node: dict[str, Any]) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds)


def find_article_node(tree: HtmlElement) -> dict[str, Any]:
    """Return the page's JSON-LD NewsArticle (or Article) object, or {} when there is none."""
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = script.text or ""
        data = _load_json(raw)
        if data is None:
            salvaged = _salvage(raw)
            if salvaged:
                return salvaged
            continue
        for node in _walk(data):
            if _is_article(node):
                return node
    return {}


def _names(value: Any) -> str | None:
    """Join author/editor names given as a string, an object or a list of either."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = _clean(item.get("name")) if isinstance(item, dict) else _clean(item)
        if name and not name.startswith("http") and name not in names:
            names.append(name)
    return ", ".join(names) or None


def _image(value: Any) -> tuple[str | None, str | None]:
    """Return (url, caption) of a JSON-LD image given as a string, object or list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        return _clean(value), None
    if isinstance(value, dict):
        url = _clean(value.get("url")) or _clean(value.get("contentUrl"))
        return url, _clean(value.get("caption"))
    return None, None


def _first_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return _clean(value)


def strip_site_name(title: str, site_name: str | None = None) -> str:
    """Remove the site name (and a "Halaman all" marker) that page titles carry at the end."""
    for _ in range(3):  # "Judul - Halaman all - Tribunnews.com"
        shorter = _SITE_SUFFIX.sub("", title)
        if site_name and shorter == title:
            for sep in (" - ", " | ", " – ", " — ", " : "):
                shorter = shorter.removesuffix(sep + site_name)
        if shorter == title or len(shorter) < 10:
            break
        title = shorter
    return title


def read_meta_tags(tree: HtmlElement) -> dict[str, str]:
    """Map lower-cased meta property/name/itemprop to its first non-empty content."""
    metas: dict[str, str] = {}
    for meta in tree.iterfind(".//meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = _clean(meta.get("content"))
        if key and content:
            metas.setdefault(key.strip().lower(), content)
    return metas


def _canonical(tree: HtmlElement, metas: dict[str, str], url: str) -> str | None:
    for link in tree.iterfind(".//link"):
        rels = (link.get("rel") or "").lower().split()
        href = str(link.get("href") or "").strip()
        if "canonical" in rels and href:
            return urljoin(url, href)
    og_url = metas.get("og:url")
    return urljoin(url, og_url) if og_url else None


def _published(
    node: dict[str, Any], metas: dict[str, str], tree: HtmlElement
) -> tuple[datetime, bool] | None:
    """Return the publication time and whether the page stated its zone."""
    candidates = [_first_text(node.get("datePublished"))]
    candidates += [metas.get(name) for name in _DATE_METAS]
    for time_el in tree.iterfind(".//time"):
        candidates.append(time_el.get("datetime"))
    for candidate in candidates:
        parsed = parse_date(candidate) if candidate else None
        if parsed is not None and candidate is not None:
            return parsed, states_zone(candidate)
    # Last resort: the dateline printed on the page ("Senin, 18 September 2023 10:15 WIB").
    for el in tree.xpath(
        ".//*[contains(@class,'date') or contains(@class,'time') or contains(@class,'tanggal')]"
    ):
        found = find_indonesian_date(el.text_content())
        if found is not None:
            return found
    body = tree.find(".//body")
    return find_indonesian_date(body.text_content()) if body is not None else None


def _editor(node: dict[str, Any], metas: dict[str, str], tree: HtmlElement) -> str | None:
    editor = _names(node.get("editor")) or metas.get("content_editor") or metas.get("editor")
    if editor:
        return editor
    # Tribun, Media Indonesia and Kompas print "Editor: Name" under the story.
    for el in tree.xpath(_CREDIT_XPATH):
        match = _EDITOR_LINE.search(el.text_content())
        if match:
            return _clean(match.group(1))
    return None


def find_caption(tree: HtmlElement, body: HtmlElement | None) -> str | None:
    """Return the lead photo's caption printed on the page, searching near the body first."""
    # Look beside the story first: the lead photo sits in or just above the body container,
    # while sidebars carry captions of other stories.
    scopes = [body, body.getparent()] if body is not None else []
    for scope in [*scopes, tree]:
        if scope is None:
            continue
        for el in scope.xpath(_CAPTION_XPATH):
            text = _clean(el.text_content())
            if text:
                return text
    return None


def read_metadata(tree: HtmlElement, url: str) -> PageMetadata:
    """Collect title, byline, date, lead image, canonical URL and section from the page."""
    node = find_article_node(tree)
    metas = read_meta_tags(tree)
    title_el = tree.find(".//title")
    h1 = tree.find(".//h1")
    title = (
        _first_text(node.get("headline"))
        or metas.get("og:title")
        or (_clean(h1.text_content()) if h1 is not None else None)
        or (_clean(title_el.text_content()) if title_el is not None else None)
    )
    if title:
        title = strip_site_name(title, metas.get("og:site_name"))
    author = _names(node.get("author")) or metas.get("content_author") or metas.get("author")
    if author is None:
        article_author = metas.get("article:author")
        author = article_author if article_author and "://" not in article_author else None
    image, caption = _image(node.get("image"))
    image = image or metas.get("og:image") or metas.get("twitter:image")
    section = (
        _first_text(node.get("articleSection"))
        or metas.get("article:section")
        or metas.get("og:section")
    )
    body = node.get("articleBody")
    published = _published(node, metas, tree)
    return PageMetadata(
        title=title,
        author=author,
        editor=_editor(node, metas, tree),
        published_at=published[0] if published else None,
        zone_stated=published[1] if published else False,
        image_url=urljoin(url, image) if image else None,
        image_caption=caption,
        canonical_url=_canonical(tree, metas, url),
        section=section,
        article_body=body.strip() if isinstance(body, str) and body.strip() else None,
    )
