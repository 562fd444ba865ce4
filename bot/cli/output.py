"""How listings print: a rich table on a terminal, tab-separated lines in a pipe, or JSON.

A table folded to the terminal's width helps a person at a terminal and nobody else: piped
into a log, `less`, `cut` or a script it wraps every row over several lines (at 80 columns,
the width rich assumes without a terminal). So a pipe gets one line per row, the fields
separated by tabs, with a header line naming them: `cut -f2`, `awk -F'\\t'` and `sort -t$'\\t'`
read it, and `less -S` shows it unwrapped.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from textwrap import indent
from typing import Any, Literal

from rich.console import Console
from rich.markup import escape
from rich.table import Table

Format = Literal["table", "plain", "json", "jsonl"]


def choose_format(*, as_json: bool = False, as_jsonl: bool = False) -> Format:
    """JSON when asked; otherwise a table on a terminal and tab-separated lines in a pipe."""
    if as_jsonl:
        return "jsonl"
    if as_json:
        return "json"
    return "table" if sys.stdout.isatty() else "plain"


def cell(value: object) -> str:
    """One tab-separated field: empty for nothing, tabs and line breaks become spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return " ".join(str(value).split())


def print_plain(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A header line (none when empty), then one tab-separated line per row."""
    write = sys.stdout.write
    if header:
        write("\t".join(header) + "\n")
    for row in rows:
        write("\t".join(cell(v) for v in row) + "\n")


def print_table(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A rich table for a person at a terminal; cells are text, never markup."""
    table = Table(title=title)
    for column in header:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(escape(v) if isinstance(v, str) else escape(cell(v)) for v in row))
    Console().print(table)


def print_json(value: Any) -> None:
    """One JSON document, indented."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


async def stream_json(items: AsyncIterable[Mapping[str, Any]], *, lines: bool) -> int:
    """Write items as they come: one JSON array, or one object per line; return how many.

    Nothing is held back, so an export of every stored story needs the memory of one page.
    """
    write, count = sys.stdout.write, 0
    async for item in items:
        if lines:
            write(json.dumps(item, ensure_ascii=False) + "\n")
        else:
            text = indent(json.dumps(item, ensure_ascii=False, indent=2), "  ")
            write(("[\n" if count == 0 else ",\n") + text)
        count += 1
    if not lines:
        write("\n]\n" if count else "[]\n")
    return count


def flatten(value: Mapping[str, Any], prefix: str = "") -> list[tuple[str, object]]:
    """Nested counts as (dotted.name, value) pairs, in order: the plain form of a report."""
    pairs: list[tuple[str, object]] = []
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, Mapping):
            pairs += flatten(item, f"{name}.")
        elif isinstance(item, list):
            pairs.append((name, ", ".join(cell(i) for i in item)))
        else:
            pairs.append((name, item))
    return pairs


def print_report(title: str, report: Mapping[str, Any], fmt: Format) -> None:
    """A report of named figures: JSON, `name<TAB>value` lines, or a two-column table."""
    if fmt in ("json", "jsonl"):
        print_json(report)
        return
    pairs = flatten(report)
    if fmt == "plain":
        print_plain(("name", "value"), pairs)
    else:
        print_table(title, ("name", "value"), pairs)


def local_time(moment: datetime | None, tz: tzinfo) -> str:
    """ISO 8601 in the bot's time zone, to the second, with its offset (empty for nothing)."""
    return moment.astimezone(tz).isoformat(timespec="seconds") if moment else ""


def utc_time(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, for JSON."""
    return moment.astimezone(UTC).isoformat() if moment else None
