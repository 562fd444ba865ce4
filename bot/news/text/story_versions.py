"""One story told by several outlets: which version to summarise, and what a later one adds.

Works on bodies clean_article() has cleaned. The fullest version is the one with the most
story in it (a feed's teaser or a page cut short loses to a full page); what a later version
adds is told by one of its own sentences, the one that carries most facts the earlier versions
did not have: numbers, names, quotations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.news.text.article_sentences import article_sentences, words_of

# A body this long tells the whole story; past it, more length is not a fuller version.
_ENOUGH_CHARS = 4000
# Signs of a version cut short: a feed teaser's ellipsis, "[...]", "Selengkapnya".
_CUT_SHORT = re.compile(r"(?:\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\]|\bselengkapnya\b\W*)\s*$", re.I)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Dates and clock times differ between outlets for the same fact ("Senin (10/2/2022)").
_DATE = re.compile(r"\(\d{1,2}/\d{1,2}(?:/\d{2,4})?\)|\b\d{1,2}[.:]\d{2}\s*(?:WIB|WITA|WIT)\b")
_YEAR = re.compile(r"(?:19|20)\d\d")
# A name: capitalised words in a row ("Irjen Nico Afinta", "Pasar Turi").
_NAME = re.compile(r"[A-Z][\w'’.-]*[a-z][\w'’-]*(?:\s+[A-Z][\w'’.-]*)*")
_QUOTE = re.compile(r"[\"“]([^\"“”]{20,}?)[\"”]")
_WORD = re.compile(r"\w+")
# Capitalised words that name nothing: sentence openers, days, months, titles of address.
_NOT_NAMES = words_of(
    """
    senin selasa rabu kamis jumat sabtu minggu januari februari maret april mei juni juli
    agustus september oktober november desember pada saat setelah sebelum dalam dengan dari
    untuk menurut kata ia dia mereka kami kita namun sementara selain itu ini hal bapak ibu
    pak bu kota kabupaten provinsi presiden menteri gubernur bupati wali polisi warga
    """
)
_REPEATED = 0.7  # a sentence sharing this much of its words with an earlier version repeats it


@dataclass(frozen=True)
class Facts:
    """The checkable facts of a text: numbers, names and quotations, normalised."""

    numbers: frozenset[str]
    names: frozenset[str]
    quotes: tuple[frozenset[str], ...]
    words: frozenset[str] = frozenset()  # every word, lower-cased


def fullness(body: str) -> float:
    """Return how much of the story a clean body tells (characters, less if cut short)."""
    text = body.strip()
    score = float(min(len(text), _ENOUGH_CHARS))
    return score / 2 if _CUT_SHORT.search(text) else score


def fullest(bodies: Sequence[str]) -> int:
    """Return the index of the fullest version (the earliest one among equals)."""
    if not bodies:
        raise ValueError("no version to choose from")
    return max(range(len(bodies)), key=lambda i: (fullness(bodies[i]), -i))


def facts(text: str) -> Facts:
    """Return the numbers, names and quotations of text."""
    plain = _DATE.sub(" ", text)
    numbers = {
        n.replace(".", "") for n in _NUMBER.findall(plain) if not _YEAR.fullmatch(n) and n != "0"
    }
    names = set()
    for sentence in article_sentences(plain):
        opening = sentence.text.lstrip("\"“‘'([ ")  # a quotation's first word opens it too
        for match in _NAME.finditer(opening):
            kept = [w for w in match.group().split() if w.lower().strip(".") not in _NOT_NAMES]
            # One capitalised word opening a sentence is only a capital, not a name.
            if len(kept) > 1 or (kept and match.start() > 0):
                names.add(" ".join(kept).lower())
    quotes = tuple(frozenset(_WORD.findall(q.lower())) for q in _QUOTE.findall(plain))
    words = frozenset(_WORD.findall(plain.lower()))
    return Facts(frozenset(numbers), frozenset(names), quotes, words)


def new_facts(before: Facts, after: Facts) -> Facts:
    """Return the facts of after that before does not have.

    A name is new only when none of its words was in before at all: "Irjen Nico Afinta" adds
    nothing to a text that named "Nico Afinta".
    """
    names = {n for n in after.names if before.words.isdisjoint(n.split())}
    quotes = tuple(
        q
        for q in after.quotes
        if not any(len(q & old) >= _REPEATED * len(q) for old in before.quotes)
    )
    return Facts(after.numbers - before.numbers, frozenset(names), quotes, after.words)


def whats_new(earlier: Sequence[str], later: str, *, max_chars: int = 200) -> str | None:
    """Return the later version's sentence that adds most facts to the earlier ones, or None.

    One line for an update: the sentence is shortened at a word, with "…", past max_chars.
    None when the later version adds no number, name or quotation.
    """
    known = facts("\n".join(earlier))
    seen = [
        set(_WORD.findall(s.text.lower())) for body in earlier for s in article_sentences(body)
    ]
    best, best_score = None, 0.0
    for sentence in article_sentences(later):
        words = set(_WORD.findall(sentence.text.lower()))
        if not words or any(len(words & old) >= _REPEATED * len(words) for old in seen):
            continue
        added = new_facts(known, facts(sentence.text))
        score = 2.0 * len(added.numbers) + 1.5 * len(added.names) + 1.0 * len(added.quotes)
        if score > best_score:
            best, best_score = sentence.text, score
    return None if best is None else _shorten(best, max_chars)


def _shorten(text: str, max_chars: int) -> str:
    """Return text within max_chars, cut at a word with an ellipsis when too long."""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
