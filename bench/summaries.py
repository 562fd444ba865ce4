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
    if args.out:
        with args.out.open("w", encoding="utf-8") as handle:
            for item in outputs:
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"clean_article: {1000 * clean_cpu / count:.3f} ms CPU per article")
    figures["clean_article_ms"] = round(1000 * clean_cpu / count, 3)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
