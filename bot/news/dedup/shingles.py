"""Article text reduced to the words that say what happened, and word shingles over them.

Syndicated copies of one story differ in what outlets add around it: the dateline ("SURYA.co.id |
SURABAYA -" becomes "TRIBUNJATIM.COM, SURABAYA -"), "Baca juga" links, a closing reporter tag
and the way numbers are written.  Those are removed or unified here so they cannot make one
story look like two.
"""

from __future__ import annotations

import re
import unicodedata

# A dateline is a short lead-in ending in a dash: "SURYA.co.id | SURABAYA –", "Jakarta, CNN
# Indonesia -- ", "Wamena (ANTARA News) - ", "Berita SurabayaSURYA.co.id | SURABAYA -".
_DATELINE = re.compile(r"^(?P<head>[^\n]{0,90}?)\s[-–—](?:\s*[-–—])*\s+")
# What makes such a lead-in an outlet's dateline rather than the story's first words.
_UPPER_WORD = re.compile(r"\b[A-Z]{3,}\b|\.(?:com|co\.id|id|net)\b|\||\(", re.ASCII)
_MAX_DATELINE_WORDS = 8
# "Baca juga: <another headline>" up to the end of its line or sentence.
_READ_ALSO = re.compile(r"\bbaca juga\s*:?[^\n.!?]*[.!?]?", re.IGNORECASE)
# A closing credit such as "(Tribunjatim.com/Luhur Pambudi)" or "(ant/ded)".
_CREDIT = re.compile(r"\([^()\n]{1,80}/[^()\n]{1,80}\)\s*$")
# Thousands separators: "1.500.000" and "1,500,000" both become "1500000".
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_WORD = re.compile(r"\w+")


def strip_dateline(text: str) -> str:
    """Remove a leading outlet dateline such as "SURYA.co.id | SURABAYA -" from body text."""
    match = _DATELINE.match(text)
    if match is None:
        return text
    head = match.group("head")
    # Case matters for the outlet mark: "Jakarta, CNN Indonesia" has CNN, a story rarely
    # opens with an all-caps word, a domain, a bar or a parenthesis before a dash.
    if len(head.split()) <= _MAX_DATELINE_WORDS and _UPPER_WORD.search(head):
        return text[match.end() :]
    return text


def words(text: str) -> list[str]:
    """Return the lower-cased words of body text, without dateline, links and credit."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = strip_dateline(text)
    text = _READ_ALSO.sub(" ", text)
    text = _CREDIT.sub(" ", text)
    text = _THOUSANDS.sub("", text)
    return _WORD.findall(text.lower())


def shingles(tokens: list[str], size: int) -> set[bytes]:
    """Return the distinct runs of ``size`` consecutive words, UTF-8 encoded for hashing."""
    if len(tokens) < size:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i : i + size]).encode() for i in range(len(tokens) - size + 1)}
