"""Find the element that holds an article's body, so sidebars stay out of the text."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# Body containers of the big Indonesian sites (Tribun, Detik, Kompas, CNN Indonesia, Tempo,
# Liputan6, Antara, Okezone, Republika, Suara, Sindonews, Media Indonesia) and of common CMSs.
# They are tried before any guessing because their names are exact.
_KNOWN_BODIES = (
    ".//*[@itemprop='articleBody']",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' txt-article ')]",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' detail__body-text ')]",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' read__content ')]",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' detail-text ')]",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' detail-konten ')]",
    ".//div[contains(@class, 'article-content-body__item-content')]",
    ".//div[@id='contentx' or @id='isi_berita' or @id='detikdetailtext']",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' detail--content ')]",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' detail-desc ')]",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' post-content ')]",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' article-body ')]",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' story-body ')]",
    ".//div[@class='article' or @class='artikel' or @class='content-article']",
)
_NOT_BODY = re.compile(r"comment|related|sidebar|footer|widget|terkait|populer|popular", re.I)
_SKIP = ("script", "style", "noscript", "template")
_MIN_BODY_CHARS = 200


def _paragraph_chars(el: HtmlElement) -> int:
    """Count text in the element's paragraphs (not in links, scripts or nested asides)."""
    total = 0
    for p in el.iterfind(".//p"):
        text = "".join(p.xpath("./text() | ./*[not(self::a)]//text()"))
        total += len(text.strip())
    return total


def _eligible(el: HtmlElement) -> bool:
    ident = f"{el.get('class') or ''} {el.get('id') or ''}"
    return el.tag not in _SKIP and not _NOT_BODY.search(ident)


def _densest_block(tree: HtmlElement) -> HtmlElement | None:
    """Return the element holding the most paragraph text, readability-style.

    Each paragraph counts fully for its parent and half for its grandparent, so a body whose
    paragraphs each sit in their own wrapper <div> is still found as one block.
    """
    scores: dict[HtmlElement, float] = {}
    for p in tree.iterfind(".//p"):
        text = "".join(p.xpath("./text() | ./*[not(self::a)]//text()")).strip()
        # Short teasers ("Headline" cards) should not outweigh real paragraphs.
        if len(text) < 40:
            continue
        parent = p.getparent()
        for weight in (1.0, 0.5):
            if parent is None or not _eligible(parent):
                break
            scores[parent] = scores.get(parent, 0.0) + weight * len(text)
            parent = parent.getparent()
    if not scores:
        return None
    best = max(scores, key=lambda el: scores[el])
    return best if scores[best] >= _MIN_BODY_CHARS else None


def find_body(tree: HtmlElement, article_body: str | None = None) -> HtmlElement | None:
    """Return the story's body container, or None when no element clearly holds it."""
    # The JSON-LD articleBody says how long the story is; a container far shorter is a teaser.
    floor = max(_MIN_BODY_CHARS, len(article_body) // 3) if article_body else _MIN_BODY_CHARS
    for xpath in _KNOWN_BODIES:
        found = [el for el in tree.xpath(xpath) if _eligible(el)]
        if found:
            best = max(found, key=_paragraph_chars)
            if _paragraph_chars(best) >= floor or (
                not best.findall(".//p") and len(best.text_content().strip()) >= floor
            ):
                return best
    articles = [el for el in tree.iterfind(".//article") if _eligible(el)]
    if articles:
        best = max(articles, key=_paragraph_chars)
        if _paragraph_chars(best) >= floor:
            return best
    return _densest_block(tree)
