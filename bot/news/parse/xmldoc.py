"""Parse feed XML with lxml in recover mode after fixing what real feeds get wrong."""

from __future__ import annotations

import html.entities
import re
from typing import Any

from lxml import etree

from bot.news.items import FeedError

# An ampersand that XML would reject: not one of the five XML entities nor a character reference.
_BAD_AMP = re.compile(
    r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#[xX][0-9A-Fa-f]+);)([A-Za-z][A-Za-z0-9]*;)?"
)
_CDATA_OR_COMMENT = re.compile(r"(<!\[CDATA\[.*?\]\]>|<!--.*?-->)", re.DOTALL)
_ENTITY_ERRORS = {
    "ERR_UNDECLARED_ENTITY",
    "WAR_UNDECLARED_ENTITY",
    "ERR_NAME_REQUIRED",
    "ERR_ENTITYREF_SEMICOL_MISSING",
}
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_xml(text: str) -> tuple[Any, str | None]:
    """Return the root of a decoded XML document and, when lxml had to recover, its first fault.

    The fault reads "line 1, column 6: PCDATA invalid Char value 1"; None for a clean document.
    """
    text = _XML_DECL.sub("", text.lstrip("\ufeff"), count=1).lstrip()
    data = text.encode("utf-8", errors="replace")
    root, errors = _parse(data)
    if any(e.type_name in _ENTITY_ERRORS for e in errors):
        # HTML entities (&nbsp;) or bare "&" in URLs: recover mode would drop them, so escape
        # them outside CDATA and comments and read again. Rare, so the clean path stays fast.
        fixed = "".join(
            part if part.startswith("<!") else _BAD_AMP.sub(_fix_amp, part)
            for part in _CDATA_OR_COMMENT.split(text)
        )
        root, errors = _parse(fixed.encode("utf-8", errors="replace"))
    if not len(errors):
        return root, None
    first = errors[0]
    return root, f"line {first.line}, column {first.column}: {first.message}"


def _parse(data: bytes) -> tuple[Any, Any]:
    # The text is already decoded (charset mislabels handled), so hand lxml UTF-8 and say so:
    # its own reading of the declaration would undo that work.
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, encoding="utf-8", huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(
            f"the feed is not well-formed XML and could not be repaired ({exc})"
        ) from exc
    if root is None:
        raise FeedError("the feed is not well-formed XML and could not be repaired")
    return root, parser.error_log


def closed_count(text: str, local: str) -> int:
    """Count the closing tags </local> (any prefix) in the raw text."""
    return len(re.findall(rf"</(?:[\w.-]+:)?{local}\s*>", text))


def _fix_amp(match: re.Match[str]) -> str:
    name = match.group(1)
    if name:
        char = html.entities.html5.get(name)
        if char is not None:
            return "".join(f"&#{ord(c)};" for c in char)  # HTML entity such as &nbsp;
        return "&amp;" + name
    return "&amp;"  # a bare "&", as in unescaped query strings
