"""Read item fields from lxml elements, whatever namespace or prefix the feed used."""

from __future__ import annotations

from typing import Any

from bot.news.parse.decode import repair_mojibake
from bot.news.parse.links import clean_url, is_redirector
from bot.news.parse.text import collapse, has_markup, html_to_text, html_to_text_and_image

# Namespace URI -> short prefix used in field keys ("dc:creator", "media:content").
_PREFIXES = {
    "http://purl.org/dc/elements/1.1/": "dc:",
    "http://purl.org/rss/1.0/modules/content/": "content:",
    "http://search.yahoo.com/mrss/": "media:",
    "http://search.yahoo.com/mrss": "media:",
    "http://www.w3.org/2005/Atom": "atom:",
    "http://purl.org/atom/ns#": "atom:",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner:",
    # RSS 1.0, RSS 0.90 and the old UserLand RSS 2 namespace hold plain RSS elements.
    "http://purl.org/rss/1.0/": "",
    "http://my.netscape.com/rdf/simple/0.9/": "",
    "http://backend.userland.com/rss2": "",
}
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")


def key_of(tag: Any, cache: dict[str, str]) -> str:
    """Return "prefix:local" (lower-case local name) for an element tag; "" for comments."""
    if not isinstance(tag, str):
        return ""
    key = cache.get(tag)
    if key is None:
        if tag[0] == "{":
            uri, _, local = tag[1:].partition("}")
            key = _PREFIXES.get(uri, "?:") + local.lower()
        else:
            key = tag.lower()
        cache[tag] = key
    return key


def children(element: Any, cache: dict[str, str]) -> dict[str, list[Any]]:
    """Map field keys to the child elements carrying them (media:group is flattened)."""
    fields: dict[str, list[Any]] = {}
    for child in element:
        key = key_of(child.tag, cache)
        if not key:
            continue
        if key == "media:group":
            for sub in child:
                sub_key = key_of(sub.tag, cache)
                if sub_key:
                    fields.setdefault(sub_key, []).append(sub)
            continue
        fields.setdefault(key, []).append(child)
    return fields


def raw_text(element: Any | None) -> str:
    """Return all text inside an element (CDATA included), unstripped."""
    if element is None:
        return ""
    if len(element):
        return "".join(element.itertext())
    return element.text or ""


def plain(element: Any | None) -> str:
    """Return an element's text as collapsed plain text (markup removed, mojibake repaired)."""
    text = raw_text(element)
    if has_markup(text):
        return html_to_text(text)
    return repair_mojibake(collapse(text))


def first(fields: dict[str, list[Any]], *keys: str) -> Any | None:
    """Return the first element present under any of the keys, in the order given."""
    for key in keys:
        found = fields.get(key)
        if found:
            return found[0]
    return None


def summary_and_image(element: Any | None, base: str) -> tuple[str, str | None]:
    """Return the plain summary of a description element and the first image inside it."""
    if element is None:
        return "", None
    if len(element):  # unescaped XHTML inside the element
        img = next(element.iter("{*}img", "img"), None)
        src = clean_url(img.get("src"), base) if img is not None else None
        return repair_mojibake(collapse("".join(element.itertext()))), src
    return html_to_text_and_image(element.text or "", base)


def media_image(fields: dict[str, list[Any]], base: str) -> str | None:
    """Pick the image from enclosure, media:content (widest) or media:thumbnail."""
    candidates: list[str] = []
    for enclosure in fields.get("enclosure", ()):
        kind = (enclosure.get("type") or "").lower()
        url = enclosure.get("url") or ""
        if kind.startswith("image/") or (not kind and _is_image_path(url)):
            candidates.append(url)
    contents = [
        c for c in fields.get("media:content", ())
        if (c.get("medium") == "image" or (c.get("type") or "").startswith("image/")
            or (not c.get("medium") and not c.get("type") and _is_image_path(c.get("url") or "")))
    ]  # fmt: skip
    contents.sort(key=lambda c: -_int(c.get("width")))  # stable: widest first, else document order
    candidates.extend(c.get("url") or "" for c in contents)
    candidates.extend(t.get("url") or "" for t in fields.get("media:thumbnail", ()))
    for link in fields.get("atom:link", ()):
        if link.get("rel") == "enclosure" and (link.get("type") or "").startswith("image/"):
            candidates.append(link.get("href") or "")
    urls = [u for u in (clean_url(c, base) for c in candidates) if u]
    # Feedsportal wraps images in its redirector too; a direct image URL is better.
    direct = [u for u in urls if not is_redirector(u)]
    return next(iter(direct or urls), None)


def categories(fields: dict[str, list[Any]]) -> tuple[str, ...]:
    """Collect RSS category / dc:subject texts and Atom category labels, without repeats."""
    names: list[str] = []
    for element in fields.get("category", []) + fields.get("dc:subject", []):
        names.append(plain(element))
    for element in fields.get("atom:category", ()):
        names.append(collapse(element.get("label") or element.get("term") or ""))
    return tuple(dict.fromkeys(n for n in names if n))


def _is_image_path(url: str) -> bool:
    return url.lower().split("?", 1)[0].endswith(_IMAGE_EXTENSIONS)


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
