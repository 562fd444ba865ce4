"""Compare the extractive summariser with LEAD-3 on IndoSum by ROUGE-1/2/L F1, honestly.

Every system reads the same text, cleaned by clean_article as the bot does (except "lead3 raw").
The shipped model was fitted on all of indosum_dev, so on that file the summariser's honest rows
are cross-validated: each article is summarised by a model fitted without the article's fold
(bench.train_summarizer's 5 folds, seed 0), and the gains are computed from those rows. On any
other file the shipped model is out-of-sample and its rows are labelled "held-out".

Baselines: LEAD-3 whole, LEAD-3 trimmed to the length of the summariser's summary of the same
article (cut at a word boundary: never longer than LEAD-3), and the article's lead cut to that
same length even past the third sentence (the strongest same-length baseline). Each row shows
the mean length in characters, since ROUGE F1 moves with length.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench._data import require_shared_data
from bench.rouge import rouge
from bench.train_summarizer import fold_models, load, url_title
from bot.news.text.article_sentences import article_sentences
from bot.news.text.boilerplate import clean_article
from bot.news.text.sentences import split_sentences
from bot.news.text.summarize import MAX_CHARS, summarize
from bot.news.text.summary_model import TreeModel, shipped_model
from bot.telegram.formatting import SUMMARY_SENTENCES, short_summary

TRAINING_FILE = "indosum_dev.jsonl"
FOLDS = 5


def load_articles(path: Path) -> Iterator[tuple[str, str, str, str]]:
    """Yield (id, title from the URL, article text, reference summary) from IndoSum JSONL."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            text = "\n\n".join(" ".join(par) for par in row["paragraphs"])
            title = url_title(row.get("source_url") or "")
            yield row["id"], title, text, " ".join(row["summary"])


def lead(text: str, sentences: int = 3) -> str:
    """Return the first sentences of clean text, as the summariser splits it."""
    return " ".join(s.text for s in article_sentences(text)[:sentences])


def trim(text: str, chars: int) -> str:
    """Return text cut to at most chars characters, at a word boundary."""
    if len(text) <= chars:
        return text
    cut = text[:chars]
    if text[chars] != " " and " " in cut:  # the cut fell inside a word: drop that word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip()


def main(argv: list[str] | None = None) -> None:
    """Print ROUGE and length of the summariser and the baselines, then one JSON line."""
    default = require_shared_data() / "summarization" / TRAINING_FILE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--out", type=Path, help="write the summariser's summaries as JSONL")
    parser.add_argument("--max-chars", type=int, default=MAX_CHARS)
    args = parser.parse_args(argv)

    in_sample = args.data.name == TRAINING_FILE
    models = fold_models(load(args.data), FOLDS) if in_sample else {}
    ours = "cv" if in_sample else "held-out"
    shipped = shipped_model()

    def ours_for(key: str) -> TreeModel:
        return models.get(key, shipped)

    budget = args.max_chars
    rows: dict[str, Callable[[str, str, str, str], str]] = {
        f"summarize {ours}": lambda key, title, _, clean: summarize(
            clean, max_chars=budget, title=title, model=ours_for(key)
        ),
        f"summarize {ours} no title": lambda key, _, __, clean: summarize(
            clean, max_chars=budget, model=ours_for(key)
        ),
        f"summarize {ours} 400c": lambda key, title, _, clean: summarize(
            clean, max_chars=400, title=title, model=ours_for(key)
        ),
        "lead3 raw": lambda _, __, raw, ___: " ".join(split_sentences(raw)[:3]),
        "lead3": lambda _, __, ___, clean: lead(clean),
    }
    if in_sample:
        rows["summarize in-sample"] = lambda _, title, __, clean: summarize(
            clean, max_chars=budget, title=title, model=shipped
        )
    main_row = f"summarize {ours}"
    # What a story message shows of the summary (bot.telegram.formatting.short_summary).
    shown = f"summarize {ours} shown ({SUMMARY_SENTENCES} sent)"
    # Baselines cut to the length of a summariser row's summary of the same article.
    matched = {
        "lead3 trimmed to summarize": main_row,
        "lead trimmed to summarize": main_row,
        "lead3 trimmed to 400c row": f"summarize {ours} 400c",
    }
    names = [*rows, shown, *matched]
    totals = {name: [0.0, 0.0, 0.0] for name in names}
    chars = dict.fromkeys(names, 0)
    cpu = dict.fromkeys(rows, 0.0)
    slowest = dict.fromkeys(rows, 0.0)
    outputs: list[dict[str, str]] = []
    count = 0
    clean_cpu = 0.0
    for key, title, text, reference in load_articles(args.data):
        count += 1
        started = time.process_time()
        clean = clean_article(text).body
        clean_cpu += time.process_time() - started
        made: dict[str, str] = {}
        for name, system in rows.items():
            started = time.process_time()
            made[name] = system(key, title, text, clean)
            spent = time.process_time() - started
            cpu[name] += spent
            slowest[name] = max(slowest[name], spent)
        made[shown] = short_summary(made[main_row])
        whole_lead = " ".join(s.text for s in article_sentences(clean))
        for name, row in matched.items():
            base = whole_lead if name.startswith("lead trimmed") else made["lead3"]
            made[name] = trim(base, len(made[row]))
        for name in names:
            scores = rouge(made[name], reference)
            for k, metric in enumerate(("rouge1", "rouge2", "rougeL")):
                totals[name][k] += scores[metric]
            chars[name] += len(made[name])
        outputs.append({"id": key, "summary": made[main_row]})

    print(f"{count} articles from {args.data.name}; text = cleaned by clean_article except 'raw'")
    if in_sample:
        print(
            f"the shipped model was fitted on this file: 'cv' rows use a model fitted without "
            f"the article's fold ({FOLDS}-fold, seed 0); gains use them"
        )
    print(f"titles: the slug of each article's URL; summariser's longest summary {budget} chars")
    print(
        f"{'system':<28} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'chars':>6} {'ms CPU':>7} {'max ms':>7}"
    )
    figures: dict[str, object] = {"bench": "summaries", "articles": count}
    for name in names:
        r1, r2, rl = (100 * v / count for v in totals[name])
        mean_chars = chars[name] / count
        ms = 1000 * cpu[name] / count if name in cpu else 0.0
        top = 1000 * slowest[name] if name in slowest else 0.0
        timing = f"{ms:>7.3f} {top:>7.2f}" if name in cpu else f"{'':>7} {'':>7}"
        print(f"{name:<28} {r1:>6.2f} {r2:>6.2f} {rl:>6.2f} {mean_chars:>6.0f} {timing}")
        figures[name.replace(" ", "_")] = [round(v, 3) for v in (r1, r2, rl, mean_chars, ms)]
    pairs = [
        (main_row, "lead3"),
        (main_row, "lead3 trimmed to summarize"),
        (shown, "lead3"),
        (main_row, "lead trimmed to summarize"),
        (f"summarize {ours} 400c", "lead3 trimmed to 400c row"),
    ]
    for mine, theirs in pairs:
        gains = [100 * (a - b) / count for a, b in zip(totals[mine], totals[theirs], strict=True)]
        label = f"{mine} vs {theirs}"
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
