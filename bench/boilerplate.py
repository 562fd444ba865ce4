"""Measure boilerplate removal: remnants left, real content removed, time per article.

Corpus (../shared/data, never eval/): the SURYA bodies, the IndoSum dev articles, the Tribun page
texts and the seed article as stored text, and the gold pages under html/ through the bot's own
extraction. Remnants are found by a detector written apart from the cleaner's rules (REMNANT_*
below): a dateline opening a paragraph, a credit line, a "Baca juga", a follow or WhatsApp /
Google News prompt, a photo credit. Content removed by mistake is counted where the truth is
known: gold paragraphs of the html/ pages that extraction kept and cleaning lost, and IndoSum
reference-summary sentences (real content by definition) present in the raw text but lost.
"""

from __future__ import annotations

import csv
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench._data import require_shared_data
from bench.extract import load_pages
from bot.news.extract.article import extract_article
from bot.news.text.boilerplate import clean_article
from bot.news.text.summarize import summarize

_DASH = r"(?:--|-|–|—)"
# A dateline opening a paragraph: "SITE.co.id, CITY -", "SITE.co.id |", "SITE.co.id, -",
# "CITY, KOMPAS.com -", "Jakarta (ANTARA) -", "Jakarta, CNN Indonesia --", "JAKARTA - ".
REMNANT_DATELINE = re.compile(
    rf"^\W{{0,2}}(?:[A-Z][\w.'/-]*(?: [A-Z][\w.'/-]*){{0,3}}\s*,\s*)?(?:[\w-]+\.)+"
    rf"(?i:co\.id|com|co|id|net|tv)\b\s*(?:\||,\s*(?:[A-Z][\w.'/]*(?: [A-Z][\w.'/]*){{0,3}}\s*)?"
    rf"{_DASH}|{_DASH}|\s[Il]\s)"
    rf"|^[A-Z][\w ]{{0,30}}\((?i:antara)[^)]{{0,12}}\)\s*{_DASH}"
    rf"|^[\w ]{{0,30}},?\s*(?:CNN|CNBC) Indonesia\s*{_DASH}"
    rf"|^[A-Z]{{3,}}(?: [A-Z]{{2,}}){{0,2}}\s*{_DASH}\s*[A-Z\"“]"
)
# The dash a half-removed dateline leaves at the start of a body (later, "- " opens list items).
REMNANT_DASH = re.compile(rf"^\s*{_DASH}\s")
# Calls to action, credits and read-also links, anywhere in a paragraph.
REMNANT_PROMPT = re.compile(
    r"\b(?:baca|simak) (?:juga|pula)\s*[:\-–—]|\bbaca berita \w+ lainnya"
    r"|\bsimak (?:berita|artikel|video|breaking news|juga berita)\b"
    r"|\bdapatkan (?:update |informasi )?(?:berita|update|informasi) (?:pilihan|terbaru|terkini)"
    r"|whatsapp channel|\b(?:saluran|channel) (?:whatsapp|telegram)\b|di whatsapp anda"
    r"|\b(?:gabung|bergabung) (?:di|ke) (?:grup|channel|saluran) (?:whatsapp|telegram)"
    r"|google news|news google|\bikuti (?:kami|berita \w+|saluran|akun|channel|kanal)\b"
    r"|artikel ini (?:\w+ )?(?:tayang|terbit|dipublikasikan) di|berita rekomendasi"
    r"|^\(?(?:penulis|editor|reporter|pewarta|sumber|kontributor)\s*:|laporan wartawan"
    r"|\((?:foto|dok)\s*[:.]|^foto\s*:|antara foto\s*/|^klik di ?sini\b",
    re.I,
)


def remnants(body: str, *, dateline_removed: bool = False) -> list[str]:
    """Return each paragraph of body that still holds boilerplate (a short excerpt of it).

    A body opening with "- " is a remnant only when a dateline was removed before it: bodies
    scraped from a page's middle open with list items written the same way.
    """
    found = []
    for index, paragraph in enumerate(body.split("\n")):
        match = (
            REMNANT_DATELINE.match(paragraph)
            or REMNANT_PROMPT.search(paragraph)
            or (REMNANT_DASH.match(paragraph) if dateline_removed and not index else None)
        )
        if match:
            found.append(paragraph[max(0, match.start() - 20) : match.end() + 40])
    return found


@dataclass(frozen=True, slots=True)
class Text:
    """One stored article text, and the title the bot would have for it."""

    origin: str
    text: str
    title: str | None = None
    reference: tuple[str, ...] = ()


def stored_texts(root: Path) -> Iterator[Text]:
    """Yield the dev corpus: SURYA bodies, IndoSum articles, Tribun pages, the seed article."""
    path = root / "tribun_text" / "surya_feb2022_content_dev.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["content"].strip():
                yield Text("surya", row["content"])
    with (root / "summarization" / "indosum_dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            text = "\n\n".join(" ".join(par) for par in row["paragraphs"])
            yield Text(f"indosum/{row['source']}", text, reference=tuple(row["summary"]))
    for page in sorted([*(root / "tribun_text").glob("*.txt"), *(root / "seed").glob("*.txt")]):
        yield Text(f"page/{page.stem}", page.read_text(encoding="utf-8"))


def page_texts(root: Path) -> Iterator[tuple[Text, str]]:
    """Yield the gold html/ pages as the bot extracts them, with their gold text."""
    for page in load_pages(root):
        extracted = extract_article(page.html, url=page.url)
        yield Text(f"html/{page.name}", extracted.text, extracted.title), page.gold_text


def _key(text: str) -> str:
    """Return text reduced to lower-case words, for containment tests across spacing."""
    return " ".join(re.findall(r"\w+", text.lower()))


def lost(units: list[str], before: str, after: str) -> list[str]:
    """Return the units (paragraphs, sentences) found in before but no longer in after."""
    before_key, after_key = _key(before), _key(after)
    return [u for u in units if _key(u) and _key(u) in before_key and _key(u) not in after_key]


def main() -> None:
    """Print remnants per origin, content lost and time per article, then one JSON line."""
    root = require_shared_data()
    articles = 0
    raw_hits: Counter[str] = Counter()
    body_hits: Counter[str] = Counter()
    summary_hits: Counter[str] = Counter()
    per_origin: Counter[str] = Counter()
    examples: list[str] = []
    lost_gold: list[str] = []
    lost_reference: list[str] = []
    gold_units = reference_units = 0
    cpu: list[float] = []
    items = [(t, None) for t in stored_texts(root)] + list(page_texts(root))
    for item, gold in items:
        origin = item.origin.split("/")[0]
        articles += 1
        per_origin[origin] += 1
        started = time.process_time()
        cleaned = clean_article(item.text)
        cpu.append(time.process_time() - started)
        body, removed = cleaned.body, cleaned.dateline is not None
        summary = summarize(body, title=item.title)
        raw_hits[origin] += len(remnants(item.text))
        left = remnants(body, dateline_removed=removed)
        body_hits[origin] += len(left)
        summary_hits[origin] += len(remnants(summary, dateline_removed=removed))
        examples += [f"{item.origin}: {excerpt!r}" for excerpt in left]
        if gold is not None:
            units = [u for u in gold.split("\n") if u.strip()]
            gold_units += len(units)
            lost_gold += [f"{item.origin}: {u[:80]!r}" for u in lost(units, item.text, body)]
        if item.reference:
            reference_units += len(item.reference)
            lost_reference += [
                f"{item.origin}: {u[:80]!r}" for u in lost(list(item.reference), item.text, body)
            ]

    print(f"{articles} articles: " + ", ".join(f"{k} {v}" for k, v in per_origin.items()))
    print(f"{'origin':<10} {'raw lines':>9} {'left':>5} {'in summaries':>12}")
    for origin in per_origin:
        print(
            f"{origin:<10} {raw_hits[origin]:>9} {body_hits[origin]:>5} {summary_hits[origin]:>12}"
        )
    left_total, summary_total = sum(body_hits.values()), sum(summary_hits.values())
    per_1000 = 1000 * left_total / articles
    print(f"boilerplate lines left: {left_total} ({per_1000:.2f} per 1,000 articles)")
    print(f"summaries with boilerplate lines: {summary_total}")
    for example in examples[:20]:
        print("  left:", example)
    print(f"gold paragraphs lost by cleaning: {len(lost_gold)} of {gold_units}")
    print(
        f"reference-summary sentences lost by cleaning: {len(lost_reference)} of {reference_units}"
    )
    for example in (lost_gold + lost_reference)[:20]:
        print("  lost:", example)
    ms = 1000 * sum(cpu) / articles
    print(f"clean_article: {ms:.3f} ms CPU per article, slowest {1000 * max(cpu):.2f} ms")
    figures = {
        "bench": "boilerplate",
        "articles": articles,
        "raw_lines": sum(raw_hits.values()),
        "lines_left": left_total,
        "lines_left_per_1000": round(per_1000, 3),
        "summary_lines_left": summary_total,
        "gold_paragraphs_lost": len(lost_gold),
        "gold_paragraphs": gold_units,
        "reference_sentences_lost": len(lost_reference),
        "reference_sentences": reference_units,
        "ms_per_article": round(ms, 3),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
