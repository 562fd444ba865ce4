"""Extractive summaries of Indonesian news articles.

Takes text that clean_article() has already cleaned: this module does not look for boilerplate,
it only strips stray HTML tags defensively. Hand-written because the summarisers on PyPI (sumy,
gensim's removed summarizer) have no Indonesian tokenisation and are far over the 5 ms budget.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from dataclasses import dataclass

from bot.news.sentences import split_sentences

_BLOCK_TAG = re.compile(r"<(?:p|br|div|li|h\d|tr|blockquote)\b[^>]*>", re.I)


def _words(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of a word-list literal."""
    return frozenset(text.split())


_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\u00a0]+")
_WORD = re.compile(r"\w+")

# Function words that say nothing about the story. Written for this module after reviewing the
# stop-word lists in common use; news words those lists contain ("tahun", "kasus", "pukul",
# "dua", "baru", "masih") are kept on purpose because they carry facts.
_STOP = _words(
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

# Position prior: news leads carry the story, so the first sentences start ahead. Weights
# tuned by a small grid on the first 800 articles of indosum_dev.jsonl (3-sentence setting).
_POSITION_WEIGHT = 1.0
_POSITION_DECAY = 0.3
_CENTRALITY_WEIGHT = 0.3
_TITLE_WEIGHT = 0.3
_MIN_WORDS = 5
_ELLIPSIS = "…"


@dataclass(frozen=True)
class _Sentence:
    index: int
    text: str
    words: Counter[str]


def summarize(
    text: str, *, max_chars: int = 400, max_sentences: int = 3, title: str | None = None
) -> str:
    """Return up to max_sentences whole sentences of clean text, in order, within max_chars."""
    text = _TAG.sub("", _BLOCK_TAG.sub("\n", text))
    text = _SPACES.sub(" ", html.unescape(text))
    sentences = [
        _Sentence(i, s, Counter(_content_words(s)))
        for i, s in enumerate(split_sentences(text))
        if _WORD.search(s)
    ]
    if not sentences or max_sentences < 1:
        return ""
    document: Counter[str] = Counter()
    for sentence in sentences:
        document.update(set(sentence.words))
    heading = Counter(_content_words(title)) if title else Counter()
    scores = {s.index: _score(s, document, heading) for s in sentences}
    ranked = sorted(sentences, key=lambda s: -scores[s.index])
    chosen: list[_Sentence] = []
    used = 0
    for sentence in ranked:
        cost = len(sentence.text) + (1 if chosen else 0)
        if used + cost <= max_chars:
            chosen.append(sentence)
            used += cost
        if len(chosen) == max_sentences:
            break
    if not chosen:
        return _cut(ranked[0].text, max_chars)
    return " ".join(s.text for s in sorted(chosen, key=lambda s: s.index))


def _content_words(text: str) -> list[str]:
    """Return the lower-cased words of text without stop words and bare numbers."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP and not w.isdigit()]


def _score(sentence: _Sentence, document: Counter[str], heading: Counter[str]) -> float:
    """Score a sentence by position, overlap with the rest of the article and the title."""
    position = _POSITION_WEIGHT / math.pow(1 + sentence.index, _POSITION_DECAY)
    # Document frequencies of words in the other sentences: how central this sentence is.
    rest = document - Counter(set(sentence.words))
    centrality = _cosine(sentence.words, rest)
    score = position + _CENTRALITY_WEIGHT * centrality
    score += _TITLE_WEIGHT * _cosine(sentence.words, heading)
    stripped = sentence.text.strip()
    if len(stripped.split()) < _MIN_WORDS:
        score -= 0.5  # fragments and sub-headings
    if stripped.endswith("?"):
        score -= 0.4  # questions tease rather than tell
    if stripped[:1] in "\"“'" and stripped[-1:] in "\"”'":
        score -= 0.3  # a bare quotation without who said it
    return score


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    """Return the cosine similarity of two bags of words."""
    if not a or not b:
        return 0.0
    dot = sum(count * b[word] for word, count in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return float(dot / norm)


def _cut(text: str, max_chars: int) -> str:
    """Cut text at the last word boundary that leaves room for an ellipsis."""
    if len(text) <= max_chars:
        return text
    head = text[: max(max_chars - len(_ELLIPSIS), 0)]
    if " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:-") + _ELLIPSIS
