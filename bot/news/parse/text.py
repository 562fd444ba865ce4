"""Turn feed markup (escaped HTML, CDATA, entities) into short plain text."""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser

from bot.news.parse.decode import repair_mojibake
from bot.news.parse.links import clean_url, is_redirector

_MARKUP = re.compile(r"<[A-Za-z/!?]|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_IMG_SRC = re.compile(r"""<img\b([^>]*?)\ssrc\s*=\s*["']?([^"'\s>]+)([^>]*)>""", re.IGNORECASE)
_PIXEL = re.compile(r"""\b(?:width|height)\s*=\s*["']?1["'\s/>]""", re.IGNORECASE)
_BLOCK = re.compile(
    r"<(?:/?(?:p|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|figure|figcaption|section|article)"
    r"|br|img|hr)\b",
    re.IGNORECASE,
)
_DROP = "script, style, noscript, template, iframe"
_HIDDEN = re.compile(r"<(?:script|style|noscript|template|iframe)\b", re.IGNORECASE)
# Control characters other than tab and newline, and lone UTF-16 surrogates (JSON "\ud800"):
# PostgreSQL refuses NUL in text and SQLite cannot encode a surrogate, so one bad title would
# otherwise fail the whole source's write.
_UNSTORABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def strip_controls(text: str) -> str:
    """Remove control characters (tab and newline kept) and lone surrogates."""
    return _UNSTORABLE.sub("", text) if _UNSTORABLE.search(text) else text


def collapse(text: str) -> str:
    """Collapse every run of whitespace (including CR from `&#13;`) to one space."""
    return " ".join(text.split())


def has_markup(text: str) -> bool:
    """Say whether the text holds tags or entities that need an HTML parser."""
    return _MARKUP.search(text) is not None


def html_to_text(fragment: str) -> str:
    """Return the plain, whitespace-collapsed, mojibake-repaired text of an HTML fragment."""
    if not fragment:
        return ""
    if has_markup(fragment):
        if "<" in fragment:
            # A space before block tags keeps "</p><p>" from gluing words, while inline tags
            # ("<b>Ja</b>karta") join without one; then text is taken with no separator.
            tree = LexborHTMLParser(_BLOCK.sub(r" \g<0>", fragment))
            if _HIDDEN.search(fragment):  # selector queries are costly: only when needed
                for node in tree.css(_DROP):
                    node.decompose()
            body = tree.body
            fragment = body.text(separator="") if body is not None else ""
        else:
            # Entities only: no parser needed, and no risk of eating a literal "a < b".
            fragment = html.unescape(fragment)
    return repair_mojibake(collapse(fragment))


def first_image(fragment: str, base: str) -> str | None:
    """Return the src of the first real image (not a 1x1 tracking pixel) in an HTML fragment."""
    # A regex, not a parser: only the first <img> tag is wanted and parsing costs ~10x more.
    for match in _IMG_SRC.finditer(fragment):
        if _PIXEL.search(match.group(1) + " " + match.group(3)) is None:
            src = clean_url(html.unescape(match.group(2)), base)
            # Images served by a feed redirector inside descriptions are ads (Feedsportal).
            if src and not is_redirector(src):
                return src
    return None


def html_to_text_and_image(fragment: str, base: str) -> tuple[str, str | None]:
    """Return the plain text of an HTML fragment and the src of its first image."""
    if "<img" not in fragment and "<IMG" not in fragment:
        return html_to_text(fragment), None
    return html_to_text(fragment), first_image(fragment, base)
