"""What the operator's subcommands do; printing lives here, the work in ingest and storage."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from datetime import datetime

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.style import Style
from rich.table import Table

from bot.config import Settings
from bot.ingest.cycle import CycleReport, Ingestor, SourceReport, utcnow
from bot.runtime import Resources, open_database, open_resources
from storage import sources, stories
from storage.db import session_factory

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
    ) as progress:
        task = progress.add_task("", total=None)

        def started(total: int) -> None:
            progress.update(task, total=total)

        def done(outcome: SourceReport) -> None:
            progress.update(task, advance=1, description=outcome.name)

        return await ingestor.run_once(every_source=every_source, on_source=done, on_start=started)


def _print_cycle(console: Console, report: CycleReport, settings: Settings) -> None:
    table = Table(title=f"{len(report.articles)} new articles")
    for column in ("outlet", "published", "title", "link"):
        table.add_column(column, overflow="fold")
    ordered = sorted(report.articles, key=lambda a: a.published_at or utcnow(), reverse=True)
    for art in ordered:
        table.add_row(
            escape(art.source), _when(art.published_at, settings), escape(art.title), art.url
        )
    console.print(table)
    failed = [s for s in report.sources if s.status == "failed"]
    ok = len(report.sources) - len(failed)
    console.print(
        f"{ok} sources answered, {len(failed)} failed, {len(report.new_story_ids)} new stories"
    )
    for s in failed:
        paused = " (now paused)" if s.paused else ""
        console.print(f"  [red]{escape(s.name)}[/red]: {escape(s.error or '')}{paused}")


async def show_sources(settings: Settings) -> int:
    """Print each source's health."""
    async with open_resources(settings) as res, res.sessions() as session:
        rows = await sources.all_sources(session)
    table = Table(title="sources")
    for column in (
        "source",
        "state",
        "last success",
        "failures",
        "last error",
        "next poll",
        "conditional",
        "interval",
    ):
        table.add_column(column, overflow="fold")
    for s in rows:
        state = "paused" if not s.enabled else ("failing" if s.consecutive_failures else "ok")
        conditional = {True: "yes", False: "no", None: "unknown"}[s.conditional]
        interval = s.learned_interval or s.interval or settings.max_interval
        table.add_row(
            escape(s.name),
            state if s.enabled else escape(f"paused: {s.paused_reason or ''}"),
            _when(s.last_success_at, settings),
            str(s.consecutive_failures),
            escape(s.last_error or ""),
            _when(s.next_due_at, settings) if s.enabled else "—",
            conditional,
            f"{interval // 60} min",
        )
    Console().print(table)
    return 0


async def latest(settings: Settings, *, limit: int, topic: str | None, as_json: bool) -> int:
    """Print the newest stories, as a table or one JSON array."""
    if topic is not None:
        from bot.news.topics.taxonomy import resolve_topic

        found = resolve_topic(topic)
        if found is None:
            hint = "give a topic (e.g. olahraga) or a province (e.g. Jawa Timur)"
            Console(stderr=True).print(escape(f"unknown topic {topic!r}: {hint}"))
            return 2
        topic = found
    async with open_database(settings) as engine, session_factory(engine)() as session:
        views = await stories.latest_stories(session, limit=limit, topic=topic)
    if as_json:
        print(json.dumps([v.as_json() for v in views], ensure_ascii=False, indent=2))
        return 0
    console = Console()
    for v in views:
        # Titles and summaries are publishers' text: "[/b]" in one must print, not be markup.
        outlets = " · ".join(dict.fromkeys(a.source for a in v.articles))
        when = _when(v.published_at, settings)
        console.print(f"[bold]{escape(v.title)}[/bold]  [dim]{when}[/dim]")
        console.print(f"  {escape(outlets)}  [dim]{escape(', '.join(v.topics))}[/dim]")
        if v.sections:
            console.print(f"  [dim]({escape(', '.join(v.sections))})[/dim]")
        if v.summary:
            console.print(f"  {escape(v.summary)}")
        for a in v.articles:
            console.print(escape(f"  {a.url}"), style=Style(link=a.url))
        console.print()
    if not views:
        console.print("nothing stored yet: run `newsbot ingest --once`")
    return 0


def _when(moment: datetime | None, settings: Settings) -> str:
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M") if moment else "—"
