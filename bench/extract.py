"""Compare article extraction with trafilatura alone: time per page and text F1 against gold."""

from __future__ import annotations

import collections
import html
import importlib
import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura

from bench._data import require_shared_data
from bot.news.extract.article import extract_article

GOLD_FOLDERS = ("html/id/fundus_mediaindonesia", "html/intl/fundus")
REPEATS = 5


@dataclass(frozen=True, slots=True)
class Page:
    """One stored page with its gold extraction."""

    name: str
    url: str
    html: str
    gold_title: str
    gold_text: str


def _gold_text(version: dict[str, Any]) -> str:
    """Join the gold body: summary, then each section's sub-headline and paragraphs."""
    body = version["body"]
    parts = list(body.get("summary", []))
    for section in body["sections"]:
        parts += section.get("headline", []) + section["paragraphs"]
    return "\n".join(parts)


def load_pages(root: Path) -> list[Page]:
    """Pair every stored page with its gold version (matched by the gold title in the page)."""
    pages = []
    for folder in (root / sub for sub in GOLD_FOLDERS):
        for meta in sorted(folder.rglob("*meta.info")):
            versions = [
                version
                for gold in sorted(meta.parent.glob("*.json"))
                for version in json.loads(gold.read_text(encoding="utf-8")).values()
            ]
            prefix = meta.name.removesuffix("meta.info")
            for name, info in json.loads(meta.read_text(encoding="utf-8")).items():
                path = meta.parent / (prefix + name.removesuffix(".gz"))
                if not path.exists():
                    continue
                source = path.read_text(encoding="utf-8", errors="replace")
                plain = html.unescape(source)
                matches = [v for v in versions if v.get("title") and v["title"][:30] in plain]
                if len(matches) == 1:
                    gold = matches[0]
                    pages.append(
                        Page(path.stem, info["url"], source, gold["title"], _gold_text(gold))
                    )
    return pages


def _tokens(text: str) -> collections.Counter[str]:
    return collections.Counter(re.findall(r"\w+", text.lower()))


def token_f1(found: str, gold: str) -> float:
    """Bag-of-words F1 between extracted and gold text (lower-cased word tokens)."""
    a, b = _tokens(found), _tokens(gold)
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def trafilatura_alone(page: Page) -> str:
    """The same trafilatura call the pipeline makes, on the whole page, without metadata."""
    out = trafilatura.extract(
        page.html,
        url=page.url,
        fast=True,
        include_comments=False,
        include_tables=False,
        output_format="txt",
    )
    return out or ""


def pipeline(page: Page) -> str:
    """Our extract_article's body text."""
    return extract_article(page.html, url=page.url).text


def _best_ms(func: Callable[[Page], str], page: Page) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(REPEATS):
        start = time.perf_counter()
        out = func(page)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), out


def _cleaner() -> Callable[[str], str] | None:
    """Return boilerplate.clean_article's body when that module exists, else None."""
    try:
        module = importlib.import_module("bot.news.text.boilerplate")
    except ImportError:
        return None
    clean = getattr(module, "clean_article", None)
    if clean is None:
        return None
    return lambda text: str(clean(text).body)


def main() -> None:
    """Print a per-page table, the means, and one JSON line."""
    pages = load_pages(require_shared_data())
    clean = _cleaner()
    rows: list[dict[str, Any]] = []
    print(
        f"{'page':34} {'traf ms':>8} {'ours ms':>8} {'traf F1':>8} {'ours F1':>8} {'clean F1':>9}"
    )
    for page in pages:
        traf_ms, traf_text = _best_ms(trafilatura_alone, page)
        ours_ms, ours_text = _best_ms(pipeline, page)
        row = {
            "page": page.name,
            "indonesian": "mediaindonesia" in page.url,
            "traf_ms": traf_ms,
            "ours_ms": ours_ms,
            "traf_f1": token_f1(traf_text, page.gold_text),
            "ours_f1": token_f1(ours_text, page.gold_text),
            "clean_f1": token_f1(clean(ours_text), page.gold_text) if clean else None,
        }
        rows.append(row)
        cleaned = f"{row['clean_f1']:9.3f}" if clean else f"{'-':>9}"
        print(
            f"{page.name[:34]:34} {traf_ms:8.1f} {ours_ms:8.1f} "
            f"{row['traf_f1']:8.3f} {row['ours_f1']:8.3f} {cleaned}"
        )

    def mean(key: str, only_id: bool = False) -> float | None:
        values = [r[key] for r in rows if r[key] is not None and (r["indonesian"] or not only_id)]
        return round(statistics.fmean(values), 4) if values else None

    summary = {
        "benchmark": "extract",
        "pages": len(rows),
        "repeats": REPEATS,
        "traf_ms_per_page": mean("traf_ms"),
        "ours_ms_per_page": mean("ours_ms"),
        "traf_f1": mean("traf_f1"),
        "ours_f1": mean("ours_f1"),
        "ours_clean_f1": mean("clean_f1"),
        "id_pages": sum(1 for r in rows if r["indonesian"]),
        "id_traf_f1": mean("traf_f1", only_id=True),
        "id_ours_f1": mean("ours_f1", only_id=True),
        "id_ours_clean_f1": mean("clean_f1", only_id=True),
    }
    print(
        f"{'mean (all)':34} {summary['traf_ms_per_page']:8.1f} {summary['ours_ms_per_page']:8.1f} "
        f"{summary['traf_f1']:8.3f} {summary['ours_f1']:8.3f}"
    )
    print(
        f"{'mean (Media Indonesia)':34} {'':8} {'':8} {summary['id_traf_f1']:8.3f} "
        f"{summary['id_ours_f1']:8.3f}"
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
