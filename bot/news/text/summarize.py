"""Extractive summaries of Indonesian news articles.

Takes text that clean_article() has already cleaned: this module does not look for boilerplate,
it only strips stray HTML tags defensively. Hand-written because the summarisers on PyPI (sumy,
gensim's removed summarizer) have no Indonesian tokenisation and are far over the 5 ms budget.
Sentences are scored by a small linear model (bot.news.text.summary_model) trained on IndoSum's
extractive labels; the best-scoring ones that fit the length budget are kept in article order.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

from bot.news.text.sentences import split_sentences
from bot.news.text.summary_model import MODEL, SentenceModel

_BLOCK_TAG = re.compile(r"<(?:p|br|div|li|h\d|tr|blockquote)\b[^>]*>", re.I)


def _words(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of a word-list literal."""
    return frozenset(text.split())


_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\u00a0]+")
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_QUOTES = "\"“”'"

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

# IndoSum has no titles, so the title bonus cannot be learned there: it is set by hand, on the
# scale of the model's log-odds, large enough to lift a sentence that repeats the headline.
_TITLE_WEIGHT = 1.5
_MIN_WORDS = 5
# Only the best-scoring sentences are tried in combination: keeps selection well within budget.
_CANDIDATES = 8
_MAX_TEXT_CHARS = 6000
_MAX_RAW_CHARS = 8 * _MAX_TEXT_CHARS


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article with its place in the article."""

    index: int
    paragraph: int
    in_paragraph: int
    text: str
    words: Counter[str]


def summarize(
    text: str,
    *,
    max_chars: int = 400,
    max_sentences: int = 3,
    title: str | None = None,
    model: SentenceModel = MODEL,
) -> str:
    """Return up to max_sentences whole sentences of clean text, in order, within max_chars.

    Sentences are never cut: when not even one fits, the shortest likely one is returned whole.
    """
    sentences = article_sentences(text)
    if not sentences or max_sentences < 1:
        return ""
    scores = score_sentences(sentences, model, title)
    chosen = select(sentences, scores, max_chars=max_chars, max_sentences=max_sentences)
    if not chosen:
        # No sentence fits: a whole sentence slightly over the budget beats a cut one.
        return sentences[_shortest_likely(sentences, scores)].text
    return " ".join(sentences[i].text for i in chosen)


def _head(text: str) -> tuple[str, bool]:
    """Return the part of a long text summaries come from, and whether it ends mid-line.

    IndoSum's human summaries never use a sentence starting past 5,000 characters, and the
    model never picked one past 3,100; reading only the head keeps the cost per article
    bounded (about 2 ms) however long the page is.
    """
    if len(text) <= _MAX_TEXT_CHARS:
        return text, False
    end = text.rfind("\n", 0, _MAX_TEXT_CHARS)
    if end > 0:
        return text[:end], False
    return text[:_MAX_TEXT_CHARS], True


def _shortest_likely(sentences: list[Sentence], scores: list[float]) -> int:
    """Return the shortest informative sentence among the likely ones (any, if none is)."""
    likely = sorted(range(len(sentences)), key=lambda i: -scores[i])[:_CANDIDATES]
    informative = [i for i in likely if len(sentences[i].text.split()) >= _MIN_WORDS]
    return min(informative or likely, key=lambda i: (len(sentences[i].text), -scores[i]))


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
                words = Counter(_content_words(piece))
                sentences.append(Sentence(len(sentences), paragraph, within, piece, words))
                within += 1
        paragraph += 1 if within else 0
    if cut_mid_line and len(sentences) > 1:
        sentences.pop()  # the head ended inside this sentence
    return sentences


def score_sentences(
    sentences: list[Sentence], model: SentenceModel, title: str | None = None
) -> list[float]:
    """Return the model's log-odds that each sentence belongs in the summary."""
    heading = Counter(_content_words(title)) if title else Counter()
    scores: list[float] = []
    for sentence, row in zip(sentences, sentence_features(sentences), strict=True):
        score = model.bias + sum(w * x for w, x in zip(model.weights, row, strict=True))
        if heading:
            score += _TITLE_WEIGHT * _cosine(sentence.words, heading)
        scores.append(score)
    return scores


def sentence_features(sentences: list[Sentence]) -> list[tuple[float, ...]]:
    """Return one feature row per sentence, in the order of summary_model.FEATURES."""
    document: Counter[str] = Counter()
    for sentence in sentences:
        document.update(sentence.words.keys())
    # Squared norm of the document-frequency vector, so that the vector of the *other*
    # sentences is known per sentence without building it: linear in the article's length.
    document_norm2 = sum(v * v for v in document.values())
    first = sentences[0].words if sentences else Counter()
    count = len(sentences)
    rows: list[tuple[float, ...]] = []
    for s in sentences:
        i = s.index
        tokens = s.text.split()
        words = len(tokens)
        capitals = sum(1 for t in tokens[1:] if t[:1].isupper())
        stripped = s.text.strip()
        rows.append(
            (
                float(i == 0),
                float(i == 1),
                float(i == 2),
                1 / (1 + i),
                min(i, 30) / 30,
                i / count,
                float(s.paragraph == 0),
                1 / (1 + s.paragraph),
                float(s.in_paragraph == 0),
                1 / (1 + s.in_paragraph),
                math.log1p(words),
                float(words < _MIN_WORDS),
                _centrality(s.words, document, document_norm2),
                _cosine(s.words, first),
                len(_DIGIT.findall(s.text)) / max(len(s.text), 1),
                float(any(q in s.text for q in _QUOTES)),
                float(stripped[:1] in _QUOTES),
                float(stripped.endswith("?")),
                capitals / max(words - 1, 1),
                math.log(count),
            )
        )
    return rows


def select(
    sentences: list[Sentence], scores: list[float], *, max_chars: int, max_sentences: int
) -> list[int]:
    """Return, in order, the indices of the sentences within max_chars worth most in summary.

    Every set of up to max_sentences among the best-scoring candidates is tried; the one with
    the largest sum of P(in summary) x length wins: the expected amount of summary text, which
    fills the budget with likely sentences instead of stopping at one short sure one.
    """
    top = sorted(range(len(sentences)), key=lambda i: -scores[i])[:_CANDIDATES]
    worth = {i: len(sentences[i].text) / (1 + math.exp(min(-scores[i], 50.0))) for i in top}
    best: tuple[int, ...] = ()
    best_worth = 0.0
    for size in range(1, min(max_sentences, len(top)) + 1):
        for group in itertools.combinations(top, size):
            cost = sum(len(sentences[i].text) for i in group) + size - 1
            value = sum(worth[i] for i in group)
            if cost <= max_chars and value > best_worth:
                best, best_worth = group, value
    return sorted(best)


def _content_words(text: str) -> list[str]:
    """Return the lower-cased words of text without stop words and bare numbers."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP and not w.isdigit()]


def _centrality(words: Counter[str], document: Counter[str], document_norm2: int) -> float:
    """Cosine of a sentence with the document frequencies of its words in the other sentences.

    The other sentences' vector is the document's with each of this sentence's words counted
    once less, so its dot product and norm follow from the sentence's own words alone.
    """
    if not words:
        return 0.0
    dot = sum(count * (document[word] - 1) for word, count in words.items())
    rest_norm2 = document_norm2 - sum(2 * document[word] - 1 for word in words)
    if dot <= 0 or rest_norm2 <= 0:
        return 0.0
    norm = math.sqrt(sum(v * v for v in words.values())) * math.sqrt(rest_norm2)
    return float(dot / norm)


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    """Return the cosine similarity of two bags of words."""
    if not a or not b:
        return 0.0
    dot = sum(count * b[word] for word, count in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return float(dot / norm)
