"""Turn feed markup (escaped HTML, CDATA, entities) into short plain text."""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser

from bot.news.parse.decode import repair_mojibake
from bot.news.parse.links import clean_url

_MARKUP = re.compile(r"<[A-Za-z/!?]|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_SPACE = re.compile(r"\s+")
_DROP = "script, style, noscript, template, iframe"


def collapse(text: str) -> str:
    """Collapse every run of whitespace (including CR from `&#13;`) to one space."""
    return _SPACE.sub(" ", text).strip()


def has_markup(text: str) -> bool:
    """Say whether the text holds tags or entities that need an HTML parser."""
    return _MARKUP.search(text) is not None


def html_to_text(fragment: str) -> str:
    """Return the plain, whitespace-collapsed, mojibake-repaired text of an HTML fragment."""
    if not fragment:
        return ""
    if has_markup(fragment):
        if "<" in fragment:
            tree = LexborHTMLParser(fragment)
            for node in tree.css(_DROP):
                node.decompose()
            body = tree.body
            fragment = body.text(separator=" ") if body is not None else ""
        else:
            # Entities only: no parser needed, and no risk of eating a literal "a < b".
            fragment = html.unescape(fragment)
    return repair_mojibake(collapse(fragment))


def html_to_text_and_image(fragment: str, base_url: str) -> tuple[str, str | None]:
    """Return the plain text of an HTML fragment and the src of its first image."""
    if "<img" not in fragment and "<IMG" not in fragment:
        return html_to_text(fragment), None
    tree = LexborHTMLParser(fragment)
    image: str | None = None
    for img in tree.css("img"):
        src = img.attributes.get("src") or img.attributes.get("data-src")
        if src and not _is_pixel(img.attributes):
            image = src
            break
    for node in tree.css(_DROP):
        node.decompose()
    body = tree.body
    text = body.text(separator=" ") if body is not None else ""
    return repair_mojibake(collapse(text)), clean_url(image, base_url) if image else None


def _is_pixel(attributes: dict[str, str | None]) -> bool:
    # Tracking pixels (Feedsportal adds a 1x1 gif after every Detik description).
    return attributes.get("width") == "1" or attributes.get("height") == "1"
