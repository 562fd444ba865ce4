"""The `newsbot` command: the composition root for every subcommand."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import ValidationError

from bot.cli.moments import Moment
from bot.config import MIN_RETENTION_DAYS, Settings, load_settings
from bot.ops.logs import setup_logging


def build_parser() -> argparse.ArgumentParser:
    """The command line, one subcommand per job."""
    parser = argparse.ArgumentParser(
        prog="newsbot",
        description="Indonesian news for Telegram: ingest, store, deliver.",
        epilog="Listings print a table on a terminal and tab-separated lines in a pipe.",
    )
    parser.add_argument("--version", action="version", version=f"newsbot {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the bot, the scheduler and delivery in one process")
    run.set_defaults(handler="run")
    web = sub.add_parser("web", help="receive Telegram's webhook (scale out: many of these)")
    web.set_defaults(handler="web")
    worker = sub.add_parser(
        "worker", help="ingest and deliver without taking updates (scale out: many of these)"
    )
    worker.set_defaults(handler="worker")

    ingest = sub.add_parser("ingest", help="poll the sources and store new articles")
    ingest.add_argument("--once", action="store_true", help="poll every source once, then exit")
    ingest.set_defaults(handler="ingest")

    srcs = sub.add_parser("sources", help="show each source's health; import or export OPML")
    srcs.add_argument("--json", action="store_true", help="print one JSON array")
    srcs.set_defaults(handler="sources")
    srcs_sub = srcs.add_subparsers(dest="sources_command", metavar="[ACTION]")
    imp = srcs_sub.add_parser("import-opml", help="add or update sources from an OPML file")
    imp.add_argument("file", type=Path, help="the OPML file")
    imp.set_defaults(handler="import_opml")
    exp = srcs_sub.add_parser("export-opml", help="write the sources as OPML 2.0")
    exp.add_argument("file", type=Path, nargs="?", help="where to write (default: stdout)")
    exp.set_defaults(handler="export_opml")

    latest = sub.add_parser(
        "latest",
        help="list stored stories, newest first",
        epilog="Times are ISO 8601 (2026-05-01, 2026-05-01T07:00, 2026-05-01T07:00+07:00); "
        "without an offset they are in TIMEZONE. --until with a date alone includes that day.",
    )
    many = latest.add_mutually_exclusive_group()
    many.add_argument("--limit", type=_limit, default=10, help="how many (1-200, default 10)")
    many.add_argument("--all", action="store_true", help="every story that matches, streamed")
    latest.add_argument("--topic", help="only stories of this topic (e.g. olahraga)")
    latest.add_argument("--since", type=_moment, help="published at or after this time")
    latest.add_argument("--until", type=_moment, help="published before this time")
    shape = latest.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print one JSON array")
    shape.add_argument("--jsonl", action="store_true", help="print one JSON object per line")
    latest.set_defaults(handler="latest")

    find = sub.add_parser(
        "search",
        help="search the stories as readers do (/cari), or rebuild the search index",
        epilog='Words must all occur (stemmed: "pemilihan" finds "memilih"); "a phrase" in '
        "quotes; -word leaves stories with it out. Give the words after -- or as one argument: "
        "newsbot search -- banjir -jakarta; "
        "newsbot search '\"wang yi\" -china'.",
    )
    find.add_argument("words", nargs="*", help="what to look for")
    find.add_argument("--limit", type=_limit, default=10, help="how many (1-200, default 10)")
    find.add_argument("--json", action="store_true", help="print one JSON object")
    find.add_argument(
        "--reindex", action="store_true", help="analyse every story again and rebuild the index"
    )
    find.set_defaults(handler="search")

    stats = sub.add_parser("stats", help="today's figures, as the admins' /stats shows them")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.set_defaults(handler="stats")
    chats = sub.add_parser("chats", help="how many chats, of which kind, following what")
    chats.add_argument("--json", action="store_true", help="print one JSON object")
    chats.set_defaults(handler="chats")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply the migrations").set_defaults(handler="db_upgrade")
    prune = db_sub.add_parser("prune", help="delete stories and ledger rows past RETENTION_DAYS")
    prune.add_argument("--days", type=_days, help="override RETENTION_DAYS for this run")
    prune.set_defaults(handler="db_prune")
    copy = db_sub.add_parser("copy", help="copy all data from another database into this one")
    copy.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="URL",
        help="e.g. the old SQLite file's URL",
    )
    copy.set_defaults(handler="db_copy")
    return parser


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 1 <= value <= 200:
        raise argparse.ArgumentTypeError("must be between 1 and 200")
    return value


def _moment(text: str) -> Moment:
    try:
        return Moment.parse(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO date or time (2026-05-01, 2026-05-01T07:00)"
        ) from None


def _version() -> str:
    try:
        return version("newsbot")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def _days(text: str) -> int:
    if not text.isdigit() or int(text) < MIN_RETENTION_DAYS:
        raise argparse.ArgumentTypeError(f"must be a whole number of days, {MIN_RETENTION_DAYS}+")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return the process exit code."""
    args = build_parser().parse_args(argv)
    # PTB 22 switch: RetryAfter.retry_after as a timedelta (the number form is deprecated).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    try:
        settings = load_settings()
    except ValidationError as exc:
        print(_settings_problem(exc), file=sys.stderr)
        return 2
    setup_logging(settings.log_level, settings.secrets(), settings.log_format)
    try:
        return asyncio.run(_dispatch(args, settings))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `newsbot latest --all --jsonl | head`: the reader has all it wanted. Point stdout at
        # /dev/null so flushing it at exit does not fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as a shell reports a command a closed pipe stopped
    except Exception as exc:
        # The boundary: no traceback (it may carry the token) reaches the terminal.
        from bot.cli.failures import explain_failure

        message, code = explain_failure(exc, settings)
        print(f"newsbot: {message}", file=sys.stderr)
        return code


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here so `newsbot --help` stays fast and each command loads only what it uses.
    from bot.cli import subcommands as commands

    handler: str = args.handler
    if handler == "ingest":
        return await commands.ingest(settings, once=args.once)
    if handler in ("sources", "latest", "stats", "chats"):
        from bot.cli import listings
        from bot.cli.output import choose_format

        fmt = choose_format(as_json=args.json, as_jsonl=getattr(args, "jsonl", False))
        if handler == "sources":
            return await listings.show_sources(settings, fmt)
        if handler == "stats":
            return await listings.show_stats(settings, fmt)
        if handler == "chats":
            return await listings.show_chats(settings, fmt)
        tz = settings.tz
        return await listings.latest(
            settings,
            fmt,
            limit=None if args.all else args.limit,
            topic=args.topic,
            since=args.since.start(tz) if args.since else None,
            until=args.until.end(tz) if args.until else None,
        )
    if handler == "search":
        from bot.cli import search
        from bot.cli.output import choose_format

        if args.reindex:
            if args.words:
                print("newsbot: --reindex takes no words", file=sys.stderr)
                return 2
            return await search.rebuild(settings)
        if not args.words:
            print("newsbot: say what to search for, or --reindex", file=sys.stderr)
            return 2
        fmt = choose_format(as_json=args.json)
        return await search.find(settings, fmt, args.words, limit=args.limit)
    if handler == "db_upgrade":
        return await commands.db_upgrade(settings)
    if handler in ("import_opml", "export_opml", "db_prune", "db_copy"):
        from bot.cli import maintenance

        if handler == "db_copy":
            return await maintenance.db_copy(settings, args.source)
        if handler == "db_prune":
            return await maintenance.db_prune(settings, args.days)
        if handler == "import_opml":
            return await maintenance.import_opml(settings, args.file)
        return await maintenance.export_opml(settings, args.file)
    if handler in ("run", "web", "worker"):
        from bot.cli.processes import run_bot

        return await run_bot(settings, args.command)
    raise AssertionError(handler)


def _settings_problem(exc: ValidationError) -> str:
    lines = ["newsbot: the configuration is not valid:"]
    for error in exc.errors():
        name = ".".join(str(p) for p in error["loc"]).upper()
        # Never print the input: it may be a secret.
        lines.append(f"  {name}: {error['msg']}")
    return "\n".join(lines)


__all__ = ["main", "build_parser"]
