"""What the operator's subcommands do; printing lives here, the work in ingest and storage."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import datetime

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from bot.cli.output import cell, choose_format, local_time, print_plain
from bot.config import Settings
from bot.ingest.cycle import CycleReport, Ingestor, SourceReport, utcnow
from bot.runtime import Resources, open_database, open_resources
from storage import sources

log = logging.getLogger(__name__)

CYCLE_RETRY = 5.0  # seconds before retrying a failed cycle, doubling up to a minute


async def db_upgrade(settings: Settings) -> int:
    """Apply the migrations and say so."""
    async with open_database(settings):
        pass
    Console().print("database is up to date")
    return 0


async def ingest(settings: Settings, *, once: bool) -> int:
    """Poll once (every source) and print what is new, or keep polling on schedule."""
    console = Console()
    async with open_resources(settings) as res:
        if once:
            report = await _cycle_with_progress(res.ingestor, console, every_source=True)
            _print_cycle(console, report, settings)
            return 0 if any(s.status != "failed" for s in report.sources) else 1
        return await _keep_polling(res, console, settings)


async def _keep_polling(res: Resources, console: Console, settings: Settings) -> int:
    """Run cycles until SIGINT or SIGTERM; a failed cycle is logged and the next one runs."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    console.print("polling sources on their schedules; Ctrl-C stops")
    failed_in_a_row = 0
    try:
        while not stop.is_set():
            try:
                report = await res.ingestor.run_once()
                if report.articles:
                    _print_cycle(console, report, settings)
                async with res.sessions() as session:
                    due = await sources.next_due(session)
                wait = 60.0 if due is None else (due - utcnow()).total_seconds()
                failed_in_a_row = 0
            except Exception as exc:  # the database may be back next time; keep serving
                failed_in_a_row += 1
                wait = min(CYCLE_RETRY * 2 ** (failed_in_a_row - 1), 60.0)
                log.exception("an ingest cycle failed; trying again in %.0f s", wait)
                console.print(
                    f"[red]the cycle failed ({escape(type(exc).__name__)}); "
                    f"trying again in {wait:.0f} s[/red]"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=min(max(wait, 1.0), 60.0))
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    console.print("stopped")
    return 0


async def _cycle_with_progress(
    ingestor: Ingestor, console: Console, *, every_source: bool
) -> CycleReport:
    with Progress(
        TextColumn("polling"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        disable=not console.is_terminal,  # a bar is for people: a log would get a blank line
    ) as progress:
        task = progress.add_task("", total=None)

        def started(total: int) -> None:
            progress.update(task, total=total)

        def done(outcome: SourceReport) -> None:
            progress.update(task, advance=1, description=outcome.name)

        return await ingestor.run_once(every_source=every_source, on_source=done, on_start=started)


def _print_cycle(console: Console, report: CycleReport, settings: Settings) -> None:
    ordered = sorted(report.articles, key=lambda a: a.published_at or utcnow(), reverse=True)
    failed = [s for s in report.sources if s.status == "failed"]
    ok = len(report.sources) - len(failed)
    stored = len(report.new_story_ids)
    totals = f"{ok} sources answered, {len(failed)} failed, {stored} new stories"
    if choose_format() == "plain":  # a log or a pipe: one unwrapped line per article
        print(f"{len(report.articles)} new articles")
        print_plain(
            ("outlet", "published", "title", "link"),
            ((a.source, local_time(a.published_at, settings.tz), a.title, a.url) for a in ordered),
        )
        print(totals)
        for s in failed:
            print(f"  {s.name}: {cell(s.error)}" + (" (now paused)" if s.paused else ""))
        return
    table = Table(title=f"{len(report.articles)} new articles")
    for column in ("outlet", "published", "title", "link"):
        table.add_column(column, overflow="fold")
    for art in ordered:
        table.add_row(
            escape(art.source), _when(art.published_at, settings), escape(art.title), art.url
        )
    console.print(table)
    console.print(totals)
    for s in failed:
        paused = " (now paused)" if s.paused else ""
        console.print(f"  [red]{escape(s.name)}[/red]: {escape(s.error or '')}{paused}")


def _when(moment: datetime | None, settings: Settings) -> str:
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M") if moment else "—"
