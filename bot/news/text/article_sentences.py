"""The sentences of an article's head, with their place in it and their content words.

Takes text that clean_article() has already cleaned: this module does not look for boilerplate,
it only strips stray HTML tags defensively.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

from bot.news.text.sentences import split_sentences

_BLOCK_TAG = re.compile(r"<(?:p|br|div|li|h\d|tr|blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\u00a0]+")
_WORD = re.compile(r"\w+")

# IndoSum's human summaries never use a sentence starting past 5,000 characters: reading only
# the head keeps the cost per article bounded however long the page is.
MAX_TEXT_CHARS = 6000
_MAX_RAW_CHARS = 8 * MAX_TEXT_CHARS


def words_of(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of a word-list literal."""
    return frozenset(text.split())


# Function words that say nothing about the story. Written for this module after reviewing the
# stop-word lists in common use; news words those lists contain ("tahun", "kasus", "pukul",
# "dua", "baru", "masih") are kept on purpose because they carry facts.
STOP_WORDS = words_of(
    """
    yang dan di ke dari ini itu dengan untuk pada dalam tidak akan juga ada atau oleh karena
    sebagai adalah bahwa saat telah sudah bisa dapat lebih para kata ia dia mereka kami kita
    saya anda kamu nya pun lah kah tersebut hal agar namun tetapi tapi serta maupun hingga
    sampai bagi seperti jika kalau ketika setelah sebelum sejak antara tentang terhadap atas
    oleh secara sangat hanya lagi bahkan ujar ucap tutur jelas katanya ujarnya menurut yakni
    yaitu pula sementara sedangkan begitu banyak semua setiap para harus ingin mengatakan
    menjelaskan dia nya si sang the of
    """
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article with its place in the article."""

    index: int
    paragraph: int
    in_paragraph: int
    text: str
    words: Counter[str]


def content_words(text: str) -> list[str]:
    """Return the lower-cased words of text without stop words and bare numbers."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS and not w.isdigit()]


def article_sentences(text: str) -> list[Sentence]:
    """Split the head of text into sentences with a word, noting paragraph (line) positions."""
    # Markup can make a text several times longer; past this much, none of it can count.
    truncated = len(text) > _MAX_RAW_CHARS
    text = _TAG.sub("", _BLOCK_TAG.sub("\n", text[:_MAX_RAW_CHARS]))
    text, cut_mid_line = _head(_SPACES.sub(" ", html.unescape(text)))
    cut_mid_line = cut_mid_line or truncated
    sentences: list[Sentence] = []
    paragraph = 0
    for line in text.split("\n"):
        within = 0
        for piece in split_sentences(line):
            if _WORD.search(piece):
                words = Counter(content_words(piece))
                sentences.append(Sentence(len(sentences), paragraph, within, piece, words))
                within += 1
        paragraph += 1 if within else 0
    if cut_mid_line and len(sentences) > 1:
        sentences.pop()  # the head ended inside this sentence
    return sentences


def _head(text: str) -> tuple[str, bool]:
    """Return the part of a long text summaries come from, and whether it ends mid-line."""
    if len(text) <= MAX_TEXT_CHARS:
        return text, False
    end = text.rfind("\n", 0, MAX_TEXT_CHARS)
    if end > 0:
        return text[:end], False
    return text[:MAX_TEXT_CHARS], True
