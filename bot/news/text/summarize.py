"""Extractive summaries of Indonesian news articles.

Takes text that clean_article() has already cleaned. Hand-written because the summarisers on
PyPI (sumy, gensim's removed summarizer) have no Indonesian tokenisation and are far over the
budget of a few milliseconds. A tree model (bot.news.text.summary_model) trained on IndoSum's
extractive labels gives each sentence its probability of being in a human summary; the summary
is the set of likely sentences with the highest expected ROUGE F1 against such a summary, so its
length follows the article instead of a fixed sentence count.
"""

from __future__ import annotations

from bot.news.text.article_sentences import Sentence, article_sentences
from bot.news.text.summary_features import sentence_features
from bot.news.text.summary_model import TreeModel, shipped_model

# Longest summary: over 600 characters the model's picks gain nothing on IndoSum, and under
# 500 they lose (a 400 cap cost 4 ROUGE-1 points, cross-validated).
MAX_CHARS = 600
MAX_SENTENCES = 5
_MIN_WORDS = 5
# Only the likeliest sentences are candidates: keeps selection well within budget.
_CANDIDATES = 8
# A sentence sharing more than this share of its word trigrams with one already picked repeats
# it (a caption and its copy, a quote given twice). A stricter block (any shared trigram)
# cost 2 ROUGE-1 points on IndoSum, whose summaries often repeat a name or a title.
_REPEAT = 0.5


def summarize(
    text: str,
    *,
    max_chars: int = MAX_CHARS,
    max_sentences: int = MAX_SENTENCES,
    title: str | None = None,
    model: TreeModel | None = None,
) -> str:
    """Return whole sentences of clean text, in order, within max_chars.

    Sentences are never cut: when not even one fits, the shortest likely one is returned whole.
    """
    sentences = article_sentences(text)
    if not sentences or max_sentences < 1:
        return ""
    model = model or shipped_model()
    chances = model.probabilities(sentence_features(sentences, title))
    chosen = select(sentences, chances, max_chars=max_chars, max_sentences=max_sentences)
    if not chosen:
        # No sentence fits: a whole sentence slightly over the budget beats a cut one.
        return sentences[_shortest_likely(sentences, chances)].text
    return " ".join(sentences[i].text for i in chosen)


def select(
    sentences: list[Sentence], chances: list[float], *, max_chars: int, max_sentences: int
) -> list[int]:
    """Return, in order, the indices of the sentences making the best summary within max_chars.

    Expected ROUGE-1 F1 against a summary of unknown length: with p the chance that a sentence
    is in the reference and n its words, picking set S expects sum(p*n over S) overlapping words
    out of sum(n over S) against a reference of about sum(p*n over all) words. Candidates are
    added, likeliest first, while the F1 2*overlap/(picked+reference) still grows.
    """
    lengths = [len(s.text.split()) for s in sentences]
    reference = sum(p * n for p, n in zip(chances, lengths, strict=True))
    order = sorted(range(len(sentences)), key=lambda i: -chances[i])[:_CANDIDATES]
    chosen: list[int] = []
    seen: set[tuple[str, str, str]] = set()
    overlap = picked = 0.0
    used = 0
    best_f1 = 0.0
    for i in order:
        if len(chosen) >= max_sentences:
            break
        cost = used + len(sentences[i].text) + (1 if chosen else 0)
        trigrams = _trigrams(sentences[i].text)
        if cost > max_chars or len(trigrams & seen) > _REPEAT * len(trigrams):
            continue
        f1 = 2 * (overlap + chances[i] * lengths[i]) / (picked + lengths[i] + reference)
        if chosen and f1 <= best_f1:
            break
        chosen.append(i)
        seen |= trigrams
        overlap += chances[i] * lengths[i]
        picked += lengths[i]
        best_f1, used = f1, cost
    return sorted(chosen)


def _trigrams(text: str) -> set[tuple[str, str, str]]:
    """Return the word trigrams of text, lower-cased."""
    words = text.lower().split()
    return set(zip(words, words[1:], words[2:], strict=False))


def _shortest_likely(sentences: list[Sentence], chances: list[float]) -> int:
    """Return the shortest informative sentence among the likely ones (any, if none is)."""
    likely = sorted(range(len(sentences)), key=lambda i: -chances[i])[:_CANDIDATES]
    informative = [i for i in likely if len(sentences[i].text.split()) >= _MIN_WORDS]
    return min(informative or likely, key=lambda i: (len(sentences[i].text), -chances[i]))
