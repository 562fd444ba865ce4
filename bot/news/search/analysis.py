"""Indonesian text → search tokens: fold case and accents, drop common words, stem.

Stemming is Sastrawi's (Nazief–Adriani with the ECS improvements): "pemilihan", "memilih" and
"pilihan" all become "pilih". Its stemmer only ever returns a word of its dictionary, so a name
it does not know ("Prabowo", "Wang") stays as typed; tokens holding a digit ("2024", "rp50",
"covid19") are never stemmed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

from bot.news.topics.taxonomy import REGION_PLACE_ALIASES, REGIONS

# A token is a run of letters and digits once folded: "covid-19" is two ("covid", "19"),
# "Rp1.500" is "rp1" and "500". Both stores receive these tokens as they are, so they split
# nothing further (SQLite's unicode61 and PostgreSQL's tsvector input see plain words).
_TOKEN = re.compile(r"[^\W_]+")
# Reduplication ("anak-anak", "kasus-kasus") is one word to Sastrawi, which stems it whole.
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Longer tokens are noise (base64, hashes glued to a word): PostgreSQL caps lexemes anyway.
MAX_TOKEN = 48
# Sastrawi's common words, minus those a reader may well look for on their own.
_KEEP = {"dua", "tidak", "belum", "harus", "kembali"}
STOP_WORDS = frozenset(StopWordRemoverFactory().get_stop_words()) - _KEEP


class _WordSet:
    """Sastrawi's dictionary interface over a set.

    Sastrawi's own ArrayDictionary looks words up in a list of 30,000: 90 ms for each word it
    does not know (a name). Its Stemmer takes any object with `contains`, so this is the same
    dictionary with a hashed lookup (0.07 ms a word).
    """

    def __init__(self, words: list[str]) -> None:
        self._words = frozenset(w for w in words if w.strip())

    def contains(self, word: str) -> bool:
        return word in self._words


def fold(text: str) -> str:
    """Lower-case and strip accents: "Pelé" → "pele", "ÇAĞLAR" → "caglar"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Place names are names: Sastrawi would read "Bali" as "bal" + -i and "Medan" as "medan" the
# field. The provinces and towns the topic taxonomy knows are kept as typed.
PLACE_NAMES = frozenset(
    word for name in (*REGIONS.values(), *REGION_PLACE_ALIASES) for word in fold(name).split()
)
_STEMMER = Stemmer(_WordSet(StemmerFactory().get_words()))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Sastrawi's stem of one folded word; words with digits are kept as typed."""
    if len(word) <= 3 or word in PLACE_NAMES or any(c.isdigit() for c in word):
        return word
    return str(_STEMMER.stem_word(word))


def words(text: str) -> Iterator[list[str]]:
    """Each word of the text as its tokens (a word like "covid-19" or "1.000" may give two)."""
    for match in _WORD.finditer(fold(text)):
        word = match.group()
        if "-" in word and not any(c.isdigit() for c in word):
            # "anak-anak" → "anak"; "Jawa-Bali" stays two tokens (Sastrawi returns it whole).
            stemmed = stem(word)
            if "-" not in stemmed:
                yield [stemmed] if stemmed not in STOP_WORDS else []
                continue
        yield [
            stem(t) for t in _TOKEN.findall(word) if t not in STOP_WORDS and len(t) <= MAX_TOKEN
        ]


def analyse(text: str) -> list[str]:
    """The stemmed tokens of a text, in order: what documents are indexed as."""
    return [token for tokens in words(text) for token in tokens]
