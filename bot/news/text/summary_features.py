"""What the summariser's sentence model sees of each sentence: position, length, overlap, style.

The model is a tree ensemble, so each quantity appears once, untransformed (a tree does not care
whether it sees i or 1 / (1 + i)). The order of FEATURES is the order of the model file's columns.
Sastrawi stemming was tried for the overlap features and dropped: in the prototype of these
features, stemmed overlaps scored 72.53 ROUGE-1 on IndoSum against 72.65 unstemmed (5-fold CV),
and stemming costs ~0.14 ms per uncached word (~40 ms for an article's vocabulary).
"""

from __future__ import annotations

import math
import re
from collections import Counter

from bot.news.text.article_sentences import Sentence, content_words, words_of

FEATURES = (
    "sentence index",
    "sentence index / sentence count",
    "sentence count",
    "paragraph index",
    "index in paragraph",
    "sentences in paragraph",
    "last in paragraph",
    "characters",
    "words",
    "characters before",
    "centrality (cosine with the other sentences)",
    "cosine with the first sentence",
    "cosine with the previous sentence",
    "cosine with the next sentence",
    "share of words found in other sentences",
    "cosine with the title",
    "share of title words",
    "share of digits",
    "numbers",
    "share of capitalised words after the first",
    "capitalised words after the first",
    "contains a quotation mark",
    "starts with a quotation mark",
    "ends with a question mark",
    "starts with a connective",
    "starts with a pronoun or demonstrative",
    "contains a speech verb",
    "contains a date in brackets",
)

_QUOTES = "\"“”'"
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_DATE = re.compile(r"\(\d{1,2}/\d{1,2}")  # "(27/3)", "(10/2/2022)": the day of a dateline
_EDGE = ".,;:!?\"“”'()"
# Words that tie a sentence to the one before it: such a sentence rarely opens a summary.
_CONNECTIVES = words_of(
    """
    namun tetapi tapi sementara selain sedangkan meski meskipun padahal sehingga karena oleh
    adapun kemudian lalu bahkan apalagi
    """
)
_PRONOUNS = words_of("ia dia mereka beliau kami kita saya aku itu hal ini tersebut")
# Verbs of reported speech: quotes and their attributions are rarely in a summary.
_SPEECH = words_of(
    """
    kata ujar ucap tutur jelas ungkap tegas imbuh tambah papar terang sebut katanya ujarnya
    ucapnya tuturnya jelasnya ungkapnya tegasnya imbuhnya tambahnya paparnya terangnya
    """
)


def sentence_features(sentences: list[Sentence], title: str | None = None) -> list[list[float]]:
    """Return one feature row per sentence, in the order of FEATURES."""
    count = len(sentences)
    document: Counter[str] = Counter()
    for sentence in sentences:
        document.update(sentence.words.keys())
    # Squared norm of the document-frequency vector, so that the vector of the *other*
    # sentences is known per sentence without building it: linear in the article's length.
    document_norm2 = sum(v * v for v in document.values())
    heading = Counter(content_words(title)) if title else Counter()
    per_paragraph = Counter(s.paragraph for s in sentences)
    norms = [_norm(s.words) for s in sentences]
    heading_norm = _norm(heading)
    rows: list[list[float]] = []
    before = 0
    for s in sentences:
        i = s.index
        text = s.text.strip()
        tokens = text.split()
        words = len(tokens)
        first_word = tokens[0].strip(_EDGE).lower() if tokens else ""
        lowered = {t.strip(_EDGE).lower() for t in tokens}
        capitals = sum(1 for t in tokens[1:] if t[:1].isupper())
        total = sum(s.words.values())
        rows.append(
            [
                i,
                i / count,
                count,
                s.paragraph,
                s.in_paragraph,
                per_paragraph[s.paragraph],
                float(i + 1 == count or sentences[i + 1].paragraph != s.paragraph),
                len(text),
                words,
                before,
                _centrality(s.words, document, document_norm2),
                _cosine(s.words, norms[i], sentences[0].words, norms[0]),
                _cosine(s.words, norms[i], sentences[i - 1].words, norms[i - 1]) if i else 0.0,
                (
                    _cosine(s.words, norms[i], sentences[i + 1].words, norms[i + 1])
                    if i + 1 < count
                    else 0.0
                ),
                sum(n for w, n in s.words.items() if document[w] > 1) / total if total else 0.0,
                _cosine(s.words, norms[i], heading, heading_norm),
                sum(1 for w in heading if w in s.words) / len(heading) if heading else 0.0,
                len(_DIGIT.findall(text)) / max(len(text), 1),
                len(_NUMBER.findall(text)),
                capitals / max(words - 1, 1),
                capitals,
                float(any(q in text for q in _QUOTES)),
                float(text[:1] in _QUOTES),
                float(text.endswith("?")),
                float(first_word in _CONNECTIVES),
                float(first_word in _PRONOUNS),
                float(not lowered.isdisjoint(_SPEECH)),
                float(_DATE.search(text) is not None),
            ]
        )
        before += len(text) + 1
    return rows


def _norm(words: Counter[str]) -> float:
    """Return the Euclidean norm of a bag of words."""
    return math.sqrt(sum(v * v for v in words.values()))


def _cosine(a: Counter[str], a_norm: float, b: Counter[str], b_norm: float) -> float:
    """Return the cosine similarity of two bags of words, given their norms."""
    if not a_norm or not b_norm:
        return 0.0
    if len(b) < len(a):
        a, b = b, a
    return sum(n * b[w] for w, n in a.items() if w in b) / (a_norm * b_norm)


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
    return float(dot / (_norm(words) * math.sqrt(rest_norm2)))
