"""Where benchmarks find the real data kept outside the repository."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def require_shared_data() -> Path:
    """Return ../shared/data, or exit with a clear message when it is absent."""
    if not SHARED_DATA.is_dir():
        sys.exit(f"this benchmark needs the real data at {SHARED_DATA}")
    return SHARED_DATA


def indosum_headline(row: dict[str, Any]) -> str:
    """An IndoSum article's headline: its address's words when they make one, else its lead
    sentence (the dev files carry no title)."""
    slug = row["source_url"].rstrip("/").split("/")[-1]
    words = [w for w in re.split(r"[-_]", slug) if w.isalpha()]
    return " ".join(words).capitalize() if len(words) >= 4 else str(row["paragraphs"][0][0])


def indosum_rows() -> Iterator[dict[str, Any]]:
    """The IndoSum dev articles (not `eval/`), one JSON object each, in file order."""
    path = require_shared_data() / "summarization" / "indosum_dev.jsonl"
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row: dict[str, Any] = json.loads(line)
            yield row
