"""Full text and metadata of one article page."""

from __future__ import annotations

import codecs
import copy
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura.settings import Extractor

from bot.news.extract.article_body import find_body
from bot.news.extract.metadata import find_caption, read_metadata
from bot.news.extract.pagination import find_pages

_LOOKS_LIKE_HTML = re.compile(r"<\s*(!doctype\s+html|html|head|body|p|div|article)\b", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Browsers read these labels as Windows-1252 (WHATWG Encoding), and so do the pages.
_AS_CP1252 = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii"})
_BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote", "pre")
_DROP = ("script", "style", "noscript", "template", "iframe", "figure", "figcaption", "form")
_MIN_TEXT_CHARS = 40
_MIN_PARAGRAPH_CHARS = 100


def _parser() -> HTMLParser:
    # Comments must go at parse time: trafilatura drops a comment's tail text with it, and
    # Media Indonesia opens paragraphs with <!--StartFragment-->.
    return HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)


@dataclass(frozen=True)
class ExtractedArticle:
    """What one article page says: metadata, plain body text and where its other pages are."""

    title: str | None
    author: str | None
    editor: str | None
    published_at: datetime | None  # timezone-aware, in the page's own offset
    zone_stated: bool  # the page's time named its zone; otherwise WIB was assumed
    image_url: str | None
    image_caption: str | None
    canonical_url: str | None
    text: str  # raw body, paragraphs separated by a blank line
    section: str | None
    next_pages: tuple[str, ...]
    all_pages_url: str | None


class ExtractError(Exception):
    """The page holds no article we can read; the message says why, in plain words."""


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if name in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(body: bytes, content_type_charset: str | None) -> str:
    """Decode a page: BOM, then the HTTP charset, then <meta charset>, then UTF-8, then cp1252."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace").lstrip("\ufeff")
    meta = _META_CHARSET.search(body[:4096])
    declared = [_codec(content_type_charset), _codec(meta.group(1).decode()) if meta else None]
    for label in [*declared, "utf-8"]:
        if label is None:
            continue
        try:
            return body.decode(label)
        except UnicodeDecodeError:
            # A wrong declaration is common (UTF-8 declared, cp1252 sent): try the next guess.
            continue
    return body.decode("cp1252", errors="replace")


def _parse(html: bytes | str) -> HtmlElement:
    text = decode_html(html, None) if isinstance(html, bytes) else html
    if not _LOOKS_LIKE_HTML.search(text[:65536]):
        raise ExtractError("not an HTML page")
    # lxml refuses str input that carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        return document_fromstring(text, parser=_parser())
    except (etree.ParserError, ValueError) as err:
        raise ExtractError("not an HTML page") from err


def _paragraphs(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def _own_text(body: HtmlElement) -> str:
    """Read paragraphs straight from the container when trafilatura returns too little."""
    body = copy.deepcopy(body)
    for el in body.xpath(" | ".join(f".//{tag}" for tag in _DROP)):
        el.drop_tree()
    blocks = [el.text_content() for el in body.iter(*_BLOCKS) if el.find(".//p") is None]
    if not blocks:  # Detik-style bodies: text and <br> straight inside the container
        return _paragraphs("\n".join(body.itertext()))
    return _paragraphs("\n".join(blocks))


@functools.cache
def _extractor() -> Extractor:
    """trafilatura's options, built once: building them per page read its config file anew.

    No URL is given: it only resolves links, and links are not kept.
    """
    return Extractor(output_format="txt", fast=True, comments=False, tables=False, precision=False)


def _trafilatura(tree: HtmlElement) -> str:
    out = trafilatura.extract(tree, options=_extractor())
    return _paragraphs(out or "")


def _body_text(tree: HtmlElement, body: HtmlElement | None, article_body: str | None) -> str:
    if body is not None:
        # trafilatura mutates what it is given, and copes best with a whole document.
        doc = document_fromstring("<html><head></head><body></body></html>")
        doc.find("body").append(copy.deepcopy(body))
        text = _trafilatura(doc)
        own = _own_text(body)
        # trafilatura's length thresholds can throw away a short but real story.
        if len(text) >= 0.5 * len(own):
            return text
        return own
    text = _trafilatura(copy.deepcopy(tree))
    # Without a body container, a page of short lines is a listing or menu, not a story.
    if any(len(p) >= _MIN_PARAGRAPH_CHARS for p in text.split("\n\n")):
        return text
    return _paragraphs(article_body or "")


def _drop_headline(text: str, tree: HtmlElement, title: str | None) -> str:
    """Remove a first paragraph that only repeats the headline (title metadata already has it)."""
    first, _, rest = text.partition("\n\n")
    h1 = tree.find(".//h1")
    headlines = {title, " ".join(h1.text_content().split()) if h1 is not None else None}
    return rest if rest and first in headlines else text


def extract_article(html: bytes | str, *, url: str) -> ExtractedArticle:
    """Extract the body text, metadata and further pages of one article page."""
    tree = _parse(html)
    next_pages, all_pages_url = find_pages(tree, url)
    meta = read_metadata(tree, url)
    body = find_body(tree, meta.article_body)
    caption = meta.image_caption or find_caption(tree, body)
    text = _drop_headline(_body_text(tree, body, meta.article_body), tree, meta.title)
    if len(text) < _MIN_TEXT_CHARS:
        raise ExtractError("the page has no readable article text")
    return ExtractedArticle(
        title=meta.title,
        author=meta.author,
        editor=meta.editor,
        published_at=meta.published_at,
        zone_stated=meta.zone_stated,
        image_url=meta.image_url,
        image_caption=caption,
        canonical_url=meta.canonical_url,
        text=text,
        section=meta.section,
        next_pages=next_pages,
        all_pages_url=all_pages_url,
    )


def merge_pages(first: ExtractedArticle, others: Sequence[ExtractedArticle]) -> ExtractedArticle:
    """Join a multi-page article: bodies in order, the first page's metadata."""
    texts = [first.text, *(page.text for page in others)]
    return replace(
        first,
        text="\n\n".join(t for t in texts if t),
        next_pages=(),
    )
