"""A labelled set of same-story and different-story article pairs, built from the dev texts.

Positives are syndicated copies made the way newsrooms make them (another outlet's dateline and
headline, sentences dropped or added at the end, synonyms, light reordering, numbers rewritten,
"Baca juga" links, truncation, a reporter tag).  Hard negatives are real different articles
from the same IndoSum category or from the same SURYA month and region, chosen as the most
word-overlapping pairs.  Only dev files are read; the held-out ``eval/`` folder never is.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]

SURYA_BODIES = Path("tribun_text/surya_feb2022_content_dev.csv")
INDOSUM = Path("summarization/indosum_dev.jsonl")
SEED = 20240917
MIN_WORDS = 60
# Pairs sharing this share of 8-word runs are one text rewritten, not different stories.
VERBATIM_RUN = 8
AMBIGUOUS_OVERLAP = 0.2  # shorter bodies are teasers, not articles to syndicate

DATELINES = (
    "TRIBUNJATIM.COM, SURABAYA - ",
    "Jakarta, CNN Indonesia -- ",
    "SURYAMALANG.COM, MALANG - ",
    "TRIBUNNEWS.COM - ",
    "Surabaya (ANTARA) - ",
    "JAKARTA, KOMPAS.com - ",
    "Suara.com - ",
    "merdeka.com - ",
    "SURYA.co.id | SURABAYA - ",
    "",
)
CREDITS = (
    "(Tribunjatim.com/Luhur Pambudi)",
    "(ant/ded)",
    "(Tribunnews.com/Whiesa)",
    "(SURYA.co.id/Bobby Constantine Koloway)",
    "Editor: Dwi Prastika",
    "Artikel ini telah tayang di Tribunnews.com",
)
HEADLINE_TAGS = ("VIDEO - ", "BREAKING NEWS: ", "UPDATE: ", "", "")
SYNONYMS = {
    "mengatakan": "menuturkan", "menyebut": "mengungkapkan", "ujar": "kata", "kata": "ujar",
    "saat": "ketika", "ketika": "saat", "akan": "bakal", "tersebut": "itu", "telah": "sudah",
    "sudah": "telah", "sangat": "amat", "namun": "tetapi", "hingga": "sampai", "karena": "sebab",
    "juga": "pula", "bisa": "dapat", "dapat": "bisa", "merupakan": "adalah", "warga": "masyarakat",
    "meninggal": "tewas", "untuk": "guna", "menjadi": "jadi", "kemudian": "lalu",
    "lalu": "kemudian",
    "hari": "hari", "sejumlah": "beberapa", "beberapa": "sejumlah", "besar": "gede",
    "mengungkapkan": "menyampaikan", "menjelaskan": "menerangkan", "pihaknya": "ia",
    "masih": "tetap", "agar": "supaya", "bahwa": "kalau", "tak": "tidak", "tidak": "tak",
}  # fmt: skip
SMALL_NUMBERS = {"1": "satu", "2": "dua", "3": "tiga", "4": "empat", "5": "lima", "6": "enam"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[a-z0-9)][.!?])(?=[A-Z\"“])")


@dataclass(frozen=True, slots=True)
class Doc:
    """One article text: headline, dateline and sentences."""

    title: str
    dateline: str
    sentences: tuple[str, ...]
    group: str  # where hard negatives are drawn from: IndoSum category or "surya"

    @property
    def body(self) -> str:
        """Return the body as an outlet would publish it."""
        return self.dateline + " ".join(self.sentences)


@dataclass(frozen=True, slots=True)
class Pair:
    """Two texts and whether they tell the same story."""

    a: Doc
    b: Doc
    same: bool
    kind: str  # e.g. "surya-variant", "indosum-hardneg"


def load_docs(data: Path) -> list[Doc]:
    """Read SURYA bodies and IndoSum articles of at least MIN_WORDS words."""
    docs: list[Doc] = []
    with (data / SURYA_BODIES).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            dateline, rest = _split_dateline(row["content"].replace("\xa0", " "))
            parts = tuple(s.strip() for s in _SENTENCE_END.split(rest) if s.strip())
            docs.append(Doc(_headline(parts), dateline, parts, "surya"))
    with (data / INDOSUM).open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            sentences = [s for para in item["paragraphs"] for s in para]
            dateline, first = _split_dateline(sentences[0]) if sentences else ("", "")
            sentences = [first, *sentences[1:]]
            docs.append(
                Doc(_headline(tuple(sentences)), dateline, tuple(sentences), item["category"])
            )
    return [d for d in docs if len(d.body.split()) >= MIN_WORDS]


def _split_dateline(text: str) -> tuple[str, str]:
    # The builder's own dateline pattern, deliberately independent of bot.news.dedup.shingles.
    match = re.match(r"^(.{0,80}?(?:\.com|\.co\.id|\.CO\.ID|News\)|ANTARA\)|Indonesia)\s*"
                     r"(?:\|\s*[A-Z ]+)?\s*[-–—](?:\s*[-–—])?\s*)", text)  # fmt: skip
    return (match.group(1), text[match.end() :]) if match else ("", text)


def _headline(sentences: tuple[str, ...]) -> str:
    return " ".join(" ".join(sentences[:1]).split()[:12])


def make_variant(doc: Doc, donor: Doc, rng: random.Random) -> Doc:
    """Return another outlet's republication of ``doc`` (``donor`` lends an extra sentence)."""
    sentences = list(doc.sentences)
    edits = rng.sample(
        [
            "drop_end",
            "add_end",
            "synonyms",
            "reorder",
            "numbers",
            "read_also",
            "truncate",
            "credit",
        ],
        k=rng.randint(2, 4),
    )
    for edit in edits:
        if edit == "drop_end" and len(sentences) > 4:
            del sentences[-rng.randint(1, 2) :]
        elif edit == "add_end":
            sentences.extend(rng.sample(donor.sentences, k=min(2, len(donor.sentences))))
        elif edit == "synonyms":
            sentences = [_substitute(s, rng) for s in sentences]
        elif edit == "reorder" and len(sentences) > 3:
            i = rng.randrange(1, len(sentences) - 1)
            sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
        elif edit == "numbers":
            sentences = [_renumber(s) for s in sentences]
        elif edit == "read_also":
            for _ in range(rng.randint(1, 3)):
                sentences.insert(rng.randrange(1, len(sentences) + 1), f"Baca juga: {donor.title}")
        elif edit == "truncate" and len(sentences) > 4:
            sentences = sentences[: max(3, round(len(sentences) * rng.uniform(0.6, 0.8)))]
        elif edit == "credit":
            sentences.append(rng.choice(CREDITS))
    title = rng.choice(HEADLINE_TAGS) + _substitute(doc.title, rng, rate=1.0)
    return Doc(title, rng.choice(DATELINES), tuple(sentences), doc.group)


def _substitute(sentence: str, rng: random.Random, rate: float = 0.5) -> str:
    out = []
    for word in sentence.split(" "):
        swap = SYNONYMS.get(word.lower())
        out.append(swap if swap and rng.random() < rate else word)
    return " ".join(out)


def _renumber(sentence: str) -> str:
    sentence = re.sub(r"(\d+)\.(\d{3})\.(\d{3})\b", lambda m: f"{m[1]},{m[2][0]} juta", sentence)
    sentence = re.sub(r"\b(\d{1,2})\.(\d{2}) WIB", r"\1:\2 WIB", sentence)
    sentence = re.sub(r"(\d)\s?%", r"\1 persen", sentence)
    return re.sub(r"\b([1-6])\b(?![.,:/]\d)", lambda m: SMALL_NUMBERS[m[1]], sentence)


def _tokens(doc: Doc) -> list[str]:
    return re.findall(r"\w+", doc.body.lower())


def verbatim_overlap(a: Doc, b: Doc, run: int = VERBATIM_RUN) -> float:
    """Return the share of the shorter text's ``run``-word sequences found in the other text."""
    ta, tb = _tokens(a), _tokens(b)
    ra = {tuple(ta[i : i + run]) for i in range(len(ta) - run + 1)}
    rb = {tuple(tb[i : i + run]) for i in range(len(tb) - run + 1)}
    return len(ra & rb) / max(1, min(len(ra), len(rb)))


def _word_jaccard_pairs(docs: list[Doc]) -> list[tuple[float, int, int]]:
    """Return (word-set Jaccard, i, j) for every pair of docs in the same group, best first."""
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for n, doc in enumerate(docs):
        for word in set(_tokens(doc)):
            rows.append(n)
            cols.append(vocab.setdefault(word, len(vocab)))
    # A sparse product counts shared words for all pairs at once (seconds, not minutes).
    matrix = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)))
    shared = (matrix @ matrix.T).tocoo()
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    groups = np.array([hash(d.group) for d in docs])
    i, j, inter = shared.row, shared.col, shared.data
    keep = (i < j) & (groups[i] == groups[j])
    i, j, inter = i[keep], j[keep], inter[keep]
    jaccard = inter / (sizes[i] + sizes[j] - inter)
    # Pairs sharing under a tenth of their words are never among the hardest.
    top = jaccard >= 0.1
    i, j, jaccard = i[top], j[top], jaccard[top]
    order = np.lexsort((j, i, -jaccard))  # best first, ties in a fixed order
    scored = [(float(jaccard[k]), int(i[k]), int(j[k])) for k in order]
    return scored


def distinct_docs(docs: list[Doc]) -> tuple[list[Doc], int]:
    """Drop docs that repeat an earlier one (the crawl holds copies and updates); count them."""
    dropped: set[int] = set()
    for score, i, j in _word_jaccard_pairs(docs):
        if score < 0.3:
            break
        if i not in dropped and j not in dropped and verbatim_overlap(docs[i], docs[j]) >= 0.5:
            dropped.add(j)
    return [d for n, d in enumerate(docs) if n not in dropped], len(dropped)


def hardest_negatives(docs: list[Doc], count: int) -> tuple[list[tuple[Doc, Doc, float]], int]:
    """Return the ``count`` most word-overlapping different-story pairs, and how many were
    skipped as ambiguous (sharing verbatim passages: likely one story rewritten)."""
    uses: Counter[int] = Counter()
    pairs: list[tuple[Doc, Doc, float]] = []
    ambiguous = 0
    for score, i, j in _word_jaccard_pairs(docs):
        # Each article in at most two pairs, so a few template stories cannot fill the set.
        if uses[i] > 1 or uses[j] > 1:
            continue
        if verbatim_overlap(docs[i], docs[j]) >= AMBIGUOUS_OVERLAP:
            ambiguous += 1
            continue
        pairs.append((docs[i], docs[j], score))
        uses.update((i, j))
        if len(pairs) == count:
            break
    return pairs, ambiguous


def build_pairs(data: Path, per_source: int = 250, seed: int = SEED) -> list[Pair]:
    """Build the labelled pairs deterministically from the dev texts."""
    rng = random.Random(seed)
    docs, _ = distinct_docs(load_docs(data))
    pairs: list[Pair] = []
    for source in ("surya", "indosum"):
        pool = [d for d in docs if (d.group == "surya") == (source == "surya")]
        chosen = rng.sample(pool, k=min(per_source, len(pool)))
        for n, doc in enumerate(chosen):
            donor = rng.choice(pool)
            variant = make_variant(doc, donor, rng)
            pairs.append(Pair(doc, variant, True, f"{source}-variant"))
            if n % 3 == 0:  # two outlets both republishing, neither the original
                other = make_variant(doc, rng.choice(pool), rng)
                pairs.append(Pair(variant, other, True, f"{source}-two-variants"))
        negatives, _ = hardest_negatives(pool, per_source)
        pairs.extend(Pair(a, b, False, f"{source}-hardneg") for a, b, _ in negatives)
    return pairs
