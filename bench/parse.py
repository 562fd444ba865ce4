"""Time the feed parser against feedparser (and fastfeedparser) on the real saved feeds.

Run: python -m bench.parse
Prints a table (µs per item, entries found, whether the link sets agree) and ends with one JSON
line of figures. Links are compared after the deliberate differences: where feedparser gives a
redirect link, ours is the feed's own better URL (feedburner:origLink, Detik's guid).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fastfeedparser
import feedparser

from bench._data import require_shared_data
from bot.news.parse import parse_feed
from bot.news.parse.links import is_redirector, is_web_url

TARGET_SECONDS = 0.4  # per feed and parser: enough repeats for a stable median


def feedparser_links(document: Any) -> list[str]:
    """Return feedparser's entry links, mapped to the URL our parser deliberately prefers."""
    links: list[str] = []
    for entry in document.entries:
        link = "".join((entry.get("link") or "").split())
        guid = "".join((entry.get("id") or "").split())
        orig = "".join((entry.get("feedburner_origlink") or "").split())
        if orig:
            link = orig
        elif link and is_redirector(link) and is_web_url(guid) and not is_redirector(guid):
            link = guid
        if link and link not in links:
            links.append(link)
    return links


def _median_seconds(call: Callable[[], object], budget: float, max_runs: int) -> float:
    times: list[float] = []
    spent = 0.0
    while spent < budget and len(times) < max_runs:
        start = time.perf_counter()
        call()
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        spent += elapsed
    return statistics.median(times)


def _fast_seconds(body: bytes) -> float | None:
    try:
        fastfeedparser.parse(body)
    except Exception:  # it refuses some inputs; the column then says so
        return None
    return _median_seconds(lambda: fastfeedparser.parse(body), TARGET_SECONDS / 2, 200)


def main() -> None:
    """Measure every saved feed and print the table and the JSON figures."""
    data = require_shared_data()
    paths = sorted(p for p in (data / "feeds").glob("*/*") if p.is_file())
    rows: list[dict[str, Any]] = []
    for path in paths:
        rows.append(_measure(path))
    header = (
        f"{'feed':42} {'items':>5} {'fp':>4} {'ours µs/it':>10} {'fp µs/it':>9} "
        f"{'ffp µs/it':>9} {'speed-up':>8}  links agree"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        ffp = row["fastfeedparser_us_per_item"]
        print(
            f"{row['feed']:42} {row['ours_entries']:>5} {row['feedparser_entries']:>4} "
            f"{row['ours_us_per_item']:>10.1f} {row['feedparser_us_per_item']:>9.1f} "
            f"{'-' if ffp is None else f'{ffp:.1f}':>9} {row['speedup']:>7.1f}x  "
            f"{'yes' if row['links_agree'] else 'NO'}"
        )
    items = sum(r["ours_entries"] for r in rows)
    ours_total = sum(r["ours_us_per_item"] * r["ours_entries"] for r in rows)
    fp_total = sum(r["feedparser_us_per_item"] * r["ours_entries"] for r in rows)
    overall = {
        "items": items,
        "ours_us_per_item": round(ours_total / items, 2),
        "feedparser_us_per_item": round(fp_total / items, 2),
        "speedup": round(fp_total / ours_total, 1),
        "all_links_agree": all(r["links_agree"] for r in rows),
    }
    print("-" * len(header))
    print(
        f"overall: {items} items, ours {overall['ours_us_per_item']} µs/item, feedparser "
        f"{overall['feedparser_us_per_item']} µs/item, speed-up {overall['speedup']}x"
    )
    print(json.dumps({"benchmark": "parse", "overall": overall, "feeds": rows}))


def _measure(path: Path) -> dict[str, Any]:
    body = path.read_bytes()
    url = "https://example.invalid/feed"
    ours = parse_feed(body, url=url)
    reference = feedparser.parse(body)
    ours_s = _median_seconds(lambda: parse_feed(body, url=url), TARGET_SECONDS, 2000)
    fp_s = _median_seconds(lambda: feedparser.parse(body), TARGET_SECONDS, 50)
    ffp_s = _fast_seconds(body)
    n = max(len(ours.entries), 1)
    return {
        "feed": f"{path.parent.name}/{path.name}",
        "ours_entries": len(ours.entries),
        "feedparser_entries": len(reference.entries),
        "ours_us_per_item": round(ours_s / n * 1e6, 2),
        "feedparser_us_per_item": round(fp_s / n * 1e6, 2),
        "fastfeedparser_us_per_item": None if ffp_s is None else round(ffp_s / n * 1e6, 2),
        "speedup": round(fp_s / ours_s, 1),
        "links_agree": [e.url for e in ours.entries] == feedparser_links(reference),
    }


if __name__ == "__main__":
    main()
