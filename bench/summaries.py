"""Compare the extractive summariser with LEAD-3 on IndoSum by ROUGE-1/2/L F1."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench._data import require_shared_data
from bench.rouge import rouge
from bot.news.boilerplate import clean_article
from bot.news.sentences import split_sentences
from bot.news.summarize import summarize


def load_articles(path: Path) -> Iterator[tuple[str, str, str]]:
    """Yield (id, article text, reference summary) from an IndoSum JSONL file."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            text = "\n\n".join(" ".join(par) for par in row["paragraphs"])
            yield row["id"], text, " ".join(row["summary"])


def lead3(text: str) -> str:
    """Return the first three sentences as found by split_sentences."""
    return " ".join(split_sentences(text)[:3])


def lead_within(text: str, max_chars: int) -> str:
    """Return the first sentences (at most three), in order, that fit within max_chars.

    The same rule as the summariser: whole sentences only, a space between them; only when the
    first sentence alone is too long is it cut at a word boundary (by summarize itself).
    """
    sentences = split_sentences(text)
    chosen: list[str] = []
    used = 0
    for sentence in sentences[:3]:
        used += len(sentence) + (1 if chosen else 0)
        if used > max_chars:
            break
        chosen.append(sentence)
    if not chosen and sentences:
        return summarize(sentences[0], max_chars=max_chars, max_sentences=1)
    return " ".join(chosen)


def main(argv: list[str] | None = None) -> None:
    """Print ROUGE of the summariser and of LEAD-3 side by side, then one JSON line."""
    default = require_shared_data() / "summarization" / "indosum_dev.jsonl"
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--max-chars", type=int, default=400)
    args = parser.parse_args(argv)

    big = 1_000_000
    # Systems get the cleaned text (as the bot does), except "lead3 raw"; cleaning is timed apart.
    systems: dict[str, Callable[[str, str], str]] = {
        "lead3 raw": lambda raw, _: lead3(raw),
        "lead3 cleaned": lambda _, clean: lead3(clean),
        f"lead3 {args.max_chars}c": lambda _, clean: lead_within(clean, args.max_chars),
        f"summarize {args.max_chars}c": lambda _, clean: summarize(
            clean, max_chars=args.max_chars
        ),
        "summarize 3 sent": lambda _, clean: summarize(clean, max_chars=big),
    }
    totals = {name: [0.0, 0.0, 0.0, 0.0] for name in systems}
    outputs: list[dict[str, str]] = []
    count = 0
    clean_cpu = 0.0
    for article_id, text, reference in load_articles(args.data):
        count += 1
        started = time.process_time()
        clean = clean_article(text).body
        clean_cpu += time.process_time() - started
        for name, system in systems.items():
            started = time.process_time()
            summary = system(text, clean)
            totals[name][3] += time.process_time() - started
            scores = rouge(summary, reference)
            for k, key in enumerate(("rouge1", "rouge2", "rougeL")):
                totals[name][k] += scores[key]
            if name.startswith("summarize") and name.endswith("c"):
                outputs.append({"id": article_id, "summary": summary})
    print(f"{count} articles from {args.data.name}; text = cleaned by clean_article except 'raw'")
    print(f"{'system':<18} {'R-1':>7} {'R-2':>7} {'R-L':>7} {'ms CPU':>8}")
    figures: dict[str, object] = {"bench": "summaries", "articles": count}
    for name, (r1, r2, rl, cpu) in totals.items():
        row = [100 * r1 / count, 100 * r2 / count, 100 * rl / count, 1000 * cpu / count]
        print(f"{name:<18} {row[0]:>7.2f} {row[1]:>7.2f} {row[2]:>7.2f} {row[3]:>8.3f}")
        figures[name.replace(" ", "_")] = [round(v, 3) for v in row]
    # The fair pairs: the same length budget on both sides.
    budget = f"{args.max_chars}c"
    pairs = {
        f"summarize {budget} vs lead3 {budget}": (f"summarize {budget}", f"lead3 {budget}"),
        "summarize 3 sent vs lead3 cleaned": ("summarize 3 sent", "lead3 cleaned"),
    }
    for label, (ours, theirs) in pairs.items():
        pairs_of_sums = zip(totals[ours][:3], totals[theirs][:3], strict=True)
        gains = [100 * (a - b) / count for a, b in pairs_of_sums]
        print(f"{label}: R-1 {gains[0]:+.2f}, R-2 {gains[1]:+.2f}, R-L {gains[2]:+.2f}")
        figures[f"gain {label}".replace(" ", "_")] = [round(v, 3) for v in gains]
    if args.out:
        with args.out.open("w", encoding="utf-8") as handle:
            for item in outputs:
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"clean_article: {1000 * clean_cpu / count:.3f} ms CPU per article")
    figures["clean_article_ms"] = round(1000 * clean_cpu / count, 3)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
