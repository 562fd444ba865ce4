"""Compare the extractive summariser with LEAD-3 on IndoSum by ROUGE-1/2/L F1.

The shipped sentence model (bot.news.text.summary_model) was fitted on all of indosum_dev, so on
that file its scores are in-sample. On it, this bench therefore also scores each article with
a model fitted without the article's fold (bench.train_summarizer's 5 folds): the "cv" rows
are the honest figures, and the gains are computed from them. On any other file the shipped
model is out-of-sample and its rows are labelled "held-out".
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench._data import require_shared_data
from bench.rouge import rouge
from bench.train_summarizer import fold_models, folds_of, load
from bot.news.text.boilerplate import clean_article
from bot.news.text.sentences import split_sentences
from bot.news.text.summarize import summarize
from bot.news.text.summary_model import MODEL, SentenceModel

TRAINING_FILE = "indosum_dev.jsonl"
FOLDS = 5


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

    The same rule as the summariser: whole sentences only, a space between them; when the
    first sentence alone is too long it is still given whole.
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
        return sentences[0]
    return " ".join(chosen)


def cross_validated(path: Path) -> dict[str, SentenceModel]:
    """Map each article id to the model fitted without its fold."""
    articles = load(path)
    folds = folds_of(len(articles), FOLDS)
    models = fold_models(articles, folds, l2=1.0)
    return {articles[i].id: model for held, model in zip(folds, models, strict=True) for i in held}


def main(argv: list[str] | None = None) -> None:
    """Print ROUGE of the summariser and of LEAD-3 side by side, then one JSON line."""
    default = require_shared_data() / "summarization" / TRAINING_FILE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--max-chars", type=int, default=400)
    args = parser.parse_args(argv)

    in_sample = args.data.name == TRAINING_FILE
    fold_model = cross_validated(args.data) if in_sample else {}
    shipped = "in-sample" if in_sample else "held-out"
    budget = f"{args.max_chars}c"
    big = 1_000_000
    # Systems get the cleaned text (as the bot does), except "lead3 raw"; cleaning is timed apart.
    systems: dict[str, Callable[[str, str, str], str]] = {
        "lead3 raw": lambda _, raw, __: lead3(raw),
        "lead3 cleaned": lambda _, __, clean: lead3(clean),
        f"lead3 {budget}": lambda _, __, clean: lead_within(clean, args.max_chars),
        f"summarize {budget} {shipped}": lambda _, __, clean: summarize(
            clean, max_chars=args.max_chars
        ),
        f"summarize 3 sent {shipped}": lambda _, __, clean: summarize(clean, max_chars=big),
    }
    if in_sample:
        systems[f"summarize {budget} cv"] = lambda key, _, clean: summarize(
            clean, max_chars=args.max_chars, model=fold_model.get(key, MODEL)
        )
        systems["summarize 3 sent cv"] = lambda key, _, clean: summarize(
            clean, max_chars=big, model=fold_model.get(key, MODEL)
        )
    ours = "cv" if in_sample else shipped
    totals = {name: [0.0, 0.0, 0.0, 0.0] for name in systems}
    slowest = dict.fromkeys(systems, 0.0)
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
            summary = system(article_id, text, clean)
            spent = time.process_time() - started
            totals[name][3] += spent
            slowest[name] = max(slowest[name], spent)
            scores = rouge(summary, reference)
            for k, key in enumerate(("rouge1", "rouge2", "rougeL")):
                totals[name][k] += scores[key]
            if name == f"summarize {budget} {ours}":
                outputs.append({"id": article_id, "summary": summary})
    print(f"{count} articles from {args.data.name}; text = cleaned by clean_article except 'raw'")
    if in_sample:
        print(
            f"the shipped model was fitted on this file: its rows are in-sample; 'cv' rows use "
            f"a model fitted without the article's fold ({FOLDS}-fold), and gains use them"
        )
    print(f"{'system':<28} {'R-1':>7} {'R-2':>7} {'R-L':>7} {'ms CPU':>8} {'max ms':>8}")
    figures: dict[str, object] = {"bench": "summaries", "articles": count}
    for name, (r1, r2, rl, cpu) in totals.items():
        row = [100 * r1 / count, 100 * r2 / count, 100 * rl / count, 1000 * cpu / count]
        row.append(1000 * slowest[name])
        print(
            f"{name:<28} {row[0]:>7.2f} {row[1]:>7.2f} {row[2]:>7.2f} {row[3]:>8.3f}"
            f" {row[4]:>8.2f}"
        )
        figures[name.replace(" ", "_")] = [round(v, 3) for v in row]
    # The fair pairs: the same length budget on both sides.
    pairs = {
        f"summarize {budget} {ours} vs lead3 {budget}": (
            f"summarize {budget} {ours}",
            f"lead3 {budget}",
        ),
        f"summarize 3 sent {ours} vs lead3 cleaned": (f"summarize 3 sent {ours}", "lead3 cleaned"),
    }
    for label, (mine, theirs) in pairs.items():
        pairs_of_sums = zip(totals[mine][:3], totals[theirs][:3], strict=True)
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
