"""A broadcast to N chats against a loopback Bot API that enforces Telegram's limits.

Three processes: the farm (bench.telegram_farm: 30 messages in any second overall, 1 a second
per private chat, 20 a minute per group, 429 with retry_after past them), the delivery process
(the real DeliveryService with PTB's HTTP client, started by this module with --deliver), and
this one, which seeds the database, starts the broadcast and reads the farm's /_stats.
Peak memory is the delivery process's ru_maxrss; the 100,000-chat run stops after
--memory-seconds (a full send takes about 56 min at 30/s), which the output says.

--enqueue-only measures owing a broadcast to every chat instead: a fresh process owes the whole
audience page by page (each page one INSERT … SELECT, the feeder's own function, pages of
--page chats), at 1,000 chats and at --chats, with its time and peak memory; --row-by-row
measures the old way beside it (chat ids read into Python, one VALUES row each, pages of 1,000).
Run: python -m bench.fanout [--chats 3000] [--paid] [--memory 1000,100000] [--postgres URL]
     python -m bench.fanout --enqueue-only --chats 1000000 [--row-by-row] [--postgres URL]

`--audience` measures only the enqueuing of a broadcast (no farm, no sending): the time and
memory to owe it to a targeted audience of --chats chats (default 100,000 then) against
owing it to every chat, on SQLite or --postgres.
Run: python -m bench.fanout --audience [--chats 100000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.delivery import outbox
from bot.delivery.pacing import WINDOW
from storage import ledger
from storage.audiences import EVERYONE, Audience
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Broadcast, Chat, Delivery, Subscription

TOKEN = "7000001:AAE_fake-token-for-bench-only-xyz0123"
FREE_RATE, PAID_RATE = 30.0, 1000.0
SEED_CHUNK = 2000


@dataclass(frozen=True)
class Run:
    """What one delivery process did and what the farm saw."""

    chats: int
    finished: bool
    elapsed: float
    peak_rss_mb: float
    start_rss_mb: float
    farm: dict[str, Any]
    sender: dict[str, int]
    cpu: float  # CPU seconds of the delivery process while delivering

    @property
    def cpu_ms_per_message(self) -> float:
        return self.cpu * 1000 / self.received if self.received else 0.0

    @property
    def received(self) -> int:
        return int(self.farm["received"])

    @property
    def rate(self) -> float:
        """Messages a second the farm accepted, first to last."""
        first, last = self.farm["first"], self.farm["last"]
        if first is None or last is None or last <= first:
            return 0.0
        return (self.received - 1) / (float(last) - float(first))

    @property
    def lost(self) -> int:
        return self.chats - len(self.farm["per_chat"]) if self.finished else -1

    @property
    def duplicates(self) -> int:
        return sum(int(n) - 1 for n in self.farm["per_chat"].values())


# -- the delivery process -------------------------------------------------------------------


def rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux /proc)."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match[1]) / 1024 if match else 0.0


async def deliver(database_url: str, api: str, rate: float, paid: bool, seconds: float) -> None:
    """Run the delivery service until the broadcast is done (or `seconds`); print JSON."""
    from bench.delivery_worker import all_done, make_bot
    from bot.config import Settings
    from bot.delivery.budget import PostgresBudget, SendBudget
    from bot.delivery.pacing import Pacer, effective_rate
    from bot.delivery.service import build_service
    from bot.ops.heap import freeze_startup

    os.environ.setdefault("PTB_TIMEDELTA", "1")
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=SecretStr(TOKEN),
        telegram_api_url=api,
        database_url=database_url,
        send_rate=rate,
        paid_broadcast=paid,
    )
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    bot = make_bot(settings, TOKEN)
    await bot.initialize()
    # As `newsbot run` and `worker` do: on PostgreSQL every slot is also taken from the budget
    # all processes share (bot.cli.processes.build_budget).
    rate = effective_rate(settings.send_rate, settings.paid_broadcast)
    shared = (
        PostgresBudget(sessions, rate) if engine.url.get_backend_name() == "postgresql" else None
    )
    budget = SendBudget(Pacer(rate), shared)
    service = build_service(bot, sessions, settings, bot_username=lambda: None, budget=budget)
    freeze_startup()  # as `newsbot run` and `worker` do once started
    start_rss = rss_mb()
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    started = time.monotonic()
    await service.start()
    finished = False
    try:
        # Look once a second, without kicking: the delivery process's own ticks feed the
        # broadcast, and this loop's queries count in the CPU a message costs.
        while time.monotonic() - started < seconds:
            if await all_done(sessions):
                finished = True
                break
            await asyncio.sleep(1.0)
    finally:
        elapsed = time.monotonic() - started
        await service.stop()
        await bot.shutdown()
        await engine.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "finished": finished, "elapsed": elapsed, "peak_rss_mb": usage.ru_maxrss / 1024,
        "start_rss_mb": start_rss, "sender": dict(service.sender.stats),
        "cpu_s": usage.ru_utime + usage.ru_stime - cpu_before,
    }))  # fmt: skip


async def enqueue_all(database_url: str, page: int, row_by_row: bool) -> None:
    """Owe the running broadcast to its whole audience, page by page; print JSON."""
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    try:
        async with sessions() as session:
            (broadcast_id,) = await outbox.running_broadcasts(session)
        start_rss, started, rows, pages = rss_mb(), time.monotonic(), 0, 0
        while True:
            async with sessions.begin() as session:
                now = datetime.now(UTC)
                if row_by_row:
                    n = await _old_page(session, broadcast_id, now)
                else:
                    n = await outbox.enqueue_broadcast_page(session, broadcast_id, now, limit=page)
            if not n:
                break
            rows, pages = rows + n, pages + 1
        elapsed = time.monotonic() - started
    finally:
        await engine.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "rows": rows, "pages": pages, "seconds": elapsed, "start_rss_mb": start_rss,
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }))  # fmt: skip


async def _old_page(session: Any, broadcast_id: int, now: datetime) -> int:
    """The enqueue before the set-based one, for comparison: ids through Python, VALUES rows."""
    broadcast = await session.get(Broadcast, broadcast_id, with_for_update=True)
    ids = list(
        (
            await session.scalars(
                select(Chat.id)
                .where(Chat.id > broadcast.cursor, Chat.active.is_(True))
                .order_by(Chat.id)
                .limit(outbox.PAGE)
            )
        ).all()
    )
    if not ids:
        return 0
    await ledger.enqueue(
        session, [ledger.owed_row(pk, "broadcast", now, broadcast_id=broadcast_id) for pk in ids]
    )
    broadcast.cursor = ids[-1]
    return len(ids)


# -- the orchestrator -----------------------------------------------------------------------


@contextmanager
def farm_process(paid_rate: int) -> Iterator[str]:
    """The limit-enforcing farm in its own process; yields its base URL."""
    command = [sys.executable, "-m", "bench.telegram_farm"]
    if paid_rate:
        command += ["--paid-rate", str(paid_rate)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, preexec_fn=_prompt)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line.startswith("READY "):
            raise RuntimeError(f"the farm did not start: {line!r}")
        yield line.split(" ", 1)[1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def _prompt() -> None:
    """Run the farm ahead of the bot's processes where allowed (root): it is the instrument.

    On a busy machine a descheduled farm reads several queued requests back to back and
    stamps them with one time, reporting a burst the bot never sent.
    """
    with contextlib.suppress(OSError):
        os.nice(-10)


def farm_call(url: str, path: str, *, post: bool = False) -> dict[str, Any]:
    """GET /_stats or POST /_reset on the farm."""
    request = urllib.request.Request(f"{url}{path}", method="POST" if post else "GET")
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (loopback only)
        body: dict[str, Any] = json.loads(answer.read())
    return body


async def seed(database_url: str, chats: int) -> None:
    """Migrate, insert `chats` private chats and start a broadcast to all of them."""
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    try:
        await upgrade(engine)
        sessions = session_factory(engine)
        for start in range(0, chats, SEED_CHUNK):
            rows = [
                {"chat_id": 10_000_000 + i, "thread_id": 0, "type": "private", "language": "id",
                 "active": True, "push_enabled": True, "created_at": now, "updated_at": now}
                for i in range(start, min(chats, start + SEED_CHUNK))
            ]  # fmt: skip
            async with sessions.begin() as session:
                await session.execute(insert(Chat), rows)
        async with sessions.begin() as session:
            broadcast = await outbox.create_broadcast(
                session, 1, now, text="<b>Siaran</b> uji", audience=EVERYONE
            )
            await outbox.start_broadcast(session, broadcast.id)
    finally:
        await engine.dispose()


@contextmanager
def database(postgres: str | None) -> Iterator[str]:
    """A fresh SQLite file, or a throw-away PostgreSQL database on `postgres`'s server."""
    if postgres is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite+aiosqlite:///{Path(tmp) / 'fanout.db'}"
        return
    base = make_url(postgres)
    name = f"fanout_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(postgres, f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(postgres, f'DROP DATABASE "{name}" WITH (FORCE)'))


async def _admin(url: str, sql: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


def one_run(farm: str, chats: int, rate: float, paid: bool, seconds: float, pg: str | None) -> Run:
    """Seed a database, run the delivery process on it, read what the farm got."""
    farm_call(farm, "/_reset", post=True)
    with database(pg) as url:
        asyncio.run(seed(url, chats))
        command = [sys.executable, "-m", "bench.fanout", "--deliver", "--database-url", url,
                   "--api", farm, "--rate", str(rate), "--seconds", str(seconds)]  # fmt: skip
        if paid:
            command.append("--paid")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"the delivery process failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
    stats = farm_call(farm, "/_stats")
    return Run(
        chats, bool(result["finished"]), float(result["elapsed"]), float(result["peak_rss_mb"]),
        float(result["start_rss_mb"]), stats, result["sender"], float(result["cpu_s"]),
    )  # fmt: skip


def main() -> None:
    """Run the benchmark, print a table and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, help="default 3000 (100000 with --audience)")
    parser.add_argument("--audience", action="store_true", help="time targeted enqueuing")
    parser.add_argument("--paid", action="store_true", help="SEND_RATE=1000, paid broadcast")
    parser.add_argument("--memory", default="1000,100000", help="chat counts for peak RSS")
    parser.add_argument("--memory-seconds", type=float, default=60.0)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server (default SQLite)")
    parser.add_argument("--enqueue-only", action="store_true", help="time owing a broadcast")
    parser.add_argument("--page", type=int, default=50_000, help="chats per INSERT … SELECT")
    parser.add_argument("--row-by-row", action="store_true", help="also time the old enqueue")
    parser.add_argument("--deliver", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--enqueue", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--rate", type=float, default=FREE_RATE, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=24 * 3600.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.audience:
        audience_bench(args.chats or 100_000, args.postgres)
        return
    args.chats = args.chats or 3000
    if args.deliver:
        asyncio.run(deliver(args.database_url, args.api, args.rate, args.paid, args.seconds))
        return
    if args.enqueue:
        asyncio.run(enqueue_all(args.database_url, args.page, args.row_by_row))
        return
    if args.enqueue_only:
        enqueue_bench(args)
        return
    rate = PAID_RATE if args.paid else FREE_RATE
    sizes = [int(n) for n in args.memory.split(",") if n.strip()]
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"broadcast to {args.chats} private chats, SEND_RATE={rate:.0f}"
        f"{', PAID_BROADCAST=true' if args.paid else ''}, {backend}; farm in its own process "
        f"enforcing {int(rate)}/s overall, 1/s per private chat, 20/min per group",
        flush=True,
    )
    with farm_process(int(PAID_RATE) if args.paid else 0) as farm:
        main_run = one_run(farm, args.chats, rate, args.paid, 24 * 3600.0, args.postgres)
        memory = {}
        for n in sizes:
            seconds = args.memory_seconds if n > 10_000 else 24 * 3600.0
            print(f"memory run: {n} chats{f' (first {seconds:.0f} s)' if n > 10_000 else ''}",
                  flush=True)  # fmt: skip
            memory[n] = one_run(farm, n, rate, args.paid, seconds, args.postgres)
    report(args, rate, main_run, memory)


def enqueue_run(chats: int, pg: str | None, page: int, row_by_row: bool) -> dict[str, Any]:
    """Seed `chats` chats and a running broadcast; owe it to all of them in a fresh process."""
    with database(pg) as url:
        asyncio.run(seed(url, chats))
        command = [sys.executable, "-m", "bench.fanout", "--enqueue", "--database-url", url,
                   "--page", str(page)] + (["--row-by-row"] if row_by_row else [])  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"the enqueue process failed:\n{done.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def enqueue_bench(args: argparse.Namespace) -> None:
    """Time owing a broadcast to 1,000 chats and to --chats; print a table and one JSON line."""
    backend = "PostgreSQL" if args.postgres else "SQLite"
    sizes = sorted({1000, args.chats})
    ways = [("set-based", False)] + ([("row-by-row", True)] if args.row_by_row else [])
    print(f"owing a broadcast to every chat, {backend}; set-based pages of {args.page} chats"
          f"{'; row by row in pages of 1000' if args.row_by_row else ''}", flush=True)  # fmt: skip
    print(f"{'way':>11}{'chats':>10}{'rows':>10}{'pages':>7}{'seconds':>9}{'rows/s':>10}"
          f"{'RSS start MB':>14}{'peak MB':>9}")  # fmt: skip
    out: dict[str, Any] = {"bench": "fanout_enqueue", "backend": backend.lower(), "runs": []}
    for name, old in ways:
        for n in sizes:
            r = enqueue_run(n, args.postgres, args.page, old)
            rate = r["rows"] / r["seconds"] if r["seconds"] else 0.0
            print(f"{name:>11}{n:>10}{r['rows']:>10}{r['pages']:>7}{r['seconds']:>9.2f}"
                  f"{rate:>10.0f}{r['start_rss_mb']:>14.1f}{r['peak_rss_mb']:>9.1f}",
                  flush=True)  # fmt: skip
            out["runs"].append({"way": name, "chats": n} | r)
    print(json.dumps(out))


def report(args: argparse.Namespace, rate: float, run: Run, memory: dict[int, Run]) -> None:
    """Print the table and the JSON line."""
    pct = run.rate / rate * 100
    print(f"{'chats':>8}{'sent':>8}{'wall s':>9}{'msg/s':>9}{'of rate':>9}{'worst 1s':>10}"
          f"{'429s':>6}{'lost':>6}{'dup':>5}{'peak RSS MB':>13}")  # fmt: skip
    print(f"{run.chats:>8}{run.received:>8}{run.elapsed:>9.1f}{run.rate:>9.1f}{pct:>8.1f}%"
          f"{run.farm['worst_second']:>10}{run.farm['too_many']:>6}{run.lost:>6}"
          f"{run.duplicates:>5}{run.peak_rss_mb:>13.1f}")  # fmt: skip
    print(f"delivery process CPU: {run.cpu_ms_per_message:.2f} ms a message (event loop and "
          "the database driver's thread; at 30/s mostly waiting)")  # fmt: skip
    if args.paid:
        # The pacer keeps rate per WINDOW (1.04 s), never Telegram's limit itself: 961 a second.
        ceiling = rate / WINDOW
        print(f"engine sustained {run.rate:.0f} messages/s with SEND_RATE={rate:.0f} (goal 1000;"
              f" the pacer's ceiling {ceiling:.0f}, {run.rate / ceiling * 100:.1f} % of it) in 1"
              " delivery process (the lead's one sender)")  # fmt: skip
    else:
        verdict = "met" if pct >= 95 and run.farm["too_many"] == 0 else "MISSED"
        print(f"targets (rate ≥ 95 % of SEND_RATE, 0 × 429, 0 lost, 0 duplicates): {verdict}")
    for n, m in memory.items():
        scope = "whole broadcast" if m.finished else f"first {m.elapsed:.0f} s, {m.received} sent"
        print(f"peak RSS of the delivery process, {n} chats ({scope}): {m.peak_rss_mb:.1f} MB "
              f"(at start {m.start_rss_mb:.1f} MB; 429s {m.farm['too_many']}, "
              f"duplicates {m.duplicates})")  # fmt: skip
    out = {
        "bench": "fanout",
        "chats": run.chats,
        "send_rate": rate,
        "paid": args.paid,
        "backend": "postgresql" if args.postgres else "sqlite",
        "processes": 1,
        "shared_budget": bool(args.postgres),
        "sent": run.received,
        "wall_s": round(run.elapsed, 2),
        "achieved_rate": round(run.rate, 2),
        "rate_pct": round(pct, 1),
        "worst_second": run.farm["worst_second"],
        "too_many_429": run.farm["too_many"],
        "too_many_by_limit": dict(Counter(limit for _, limit in run.farm["refused"])),
        "lost": run.lost,
        "duplicates": run.duplicates,
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "cpu_ms_per_message": round(run.cpu_ms_per_message, 3),
        "sender": run.sender,
        "memory": {
            str(n): {
                "peak_rss_mb": round(m.peak_rss_mb, 1),
                "finished": m.finished,
                "seconds": round(m.elapsed, 1),
                "sent": m.received,
            }
            for n, m in memory.items()
        },  # fmt: skip
    }
    print(json.dumps(out))


# -- --audience: the enqueuing of a targeted broadcast ---------------------------------------

AUDIENCES: dict[str, Audience] = {
    "audiens:semua (every chat)": EVERYONE,
    "followers (the default)": Audience(),
    "topik:olahraga": Audience(topic="olahraga"),
    "wilayah:jawa-timur": Audience(topic="region:jawa-timur"),
    "kata:banjir": Audience(keyword="banjir"),
    "bahasa:en": Audience(language="en"),
    "jenis:grup": Audience(chat_type="group"),
}


def _follows(i: int) -> list[tuple[str, str]]:
    """What chat number i follows: half Berita Pilihan, some a topic, a province, a keyword."""
    follows = [("pilihan", "")] if i % 2 == 0 or i % 8 == 5 else []
    if i % 30 == 19:  # the middle topic of each forum
        follows.append(("topic", "olahraga"))
    if i % 10 == 3:
        follows.append(("topic", "olahraga"))
    if i % 20 == 7:
        follows.append(("topic", "region:jawa-timur"))
    if i % 50 == 11:
        follows.append(("keyword", "banjir"))
    return follows


def _place(i: int, now: datetime) -> dict[str, Any]:
    """Place number i: every tenth is a topic of a forum (three to a forum), the rest private
    chats; one in eight in English; one in 25 blocked the bot."""
    forum = i % 10 == 9
    return {
        "id": i + 1,
        "chat_id": -(10_000_000 + i // 30) if forum else 10_000_000 + i,
        "thread_id": (i // 10) % 3 if forum else 0,
        "type": "supergroup" if forum else "private",
        "language": "en" if i % 8 == 5 else "id",
        "active": i % 25 != 1,
        "push_enabled": True,
        "created_at": now,
        "updated_at": now,
    }


async def seed_audience(database_url: str, chats: int) -> None:
    """`chats` places: private chats, groups and forum topics, in two languages, some following."""
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    try:
        await upgrade(engine)
        sessions = session_factory(engine)
        for start in range(0, chats, SEED_CHUNK):
            numbers = range(start, min(chats, start + SEED_CHUNK))
            rows = [_place(i, now) for i in numbers]
            subs = [
                {"chat_pk": i + 1, "kind": kind, "value": value, "created_at": now}
                for i in numbers
                for kind, value in _follows(i)
            ]
            async with sessions.begin() as session:
                await session.execute(insert(Chat), rows)
                if subs:
                    await session.execute(insert(Subscription), subs)
    finally:
        await engine.dispose()


async def enqueue_audience(database_url: str, audience: Audience) -> tuple[int, int, float, float]:
    """Draft, confirm and owe one broadcast to `audience`, page by page as the feeder does.

    Returns (reach, rows owed, seconds to count the reach, seconds to owe every row); the
    rows are deleted after, so each audience starts from the same ledger.
    """
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    now = datetime.now(UTC)
    try:
        async with sessions.begin() as session:
            started = time.perf_counter()
            reach = await outbox.count_reach(session, audience)
            counted = time.perf_counter() - started
            draft = await outbox.create_broadcast(session, 1, now, text="x", audience=audience)
            await outbox.start_broadcast(session, draft.id)
        owed = 0
        started = time.perf_counter()
        while True:
            async with sessions.begin() as session:
                page = await outbox.enqueue_broadcast_page(session, draft.id, now)
            if not page:
                break
            owed += page
        enqueued = time.perf_counter() - started
        async with sessions.begin() as session:
            await session.execute(delete(Delivery))
        return reach, owed, counted, enqueued
    finally:
        await engine.dispose()


def _measure(database_url: str, audience: Audience) -> tuple[int, int, float, float, float]:
    """enqueue_audience timed, then again under tracemalloc for its peak allocation (MB)."""
    import tracemalloc

    reach, owed, counted, enqueued = asyncio.run(enqueue_audience(database_url, audience))
    tracemalloc.start()
    asyncio.run(enqueue_audience(database_url, audience))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return reach, owed, counted, enqueued, peak


def audience_bench(chats: int, postgres: str | None) -> None:
    """Print, per audience, its reach, the time to count it and to owe it, and peak memory."""
    backend = "postgresql" if postgres else "sqlite"
    load = os.getloadavg()
    loads = " ".join(f"{x:.2f}" for x in load)
    print(f"enqueuing one broadcast over {chats} places on {backend} "
          f"(load average {loads}, {os.cpu_count()} CPUs)", flush=True)  # fmt: skip
    results: dict[str, dict[str, float]] = {}
    with database(postgres) as url:
        asyncio.run(seed_audience(url, chats))
        print(f"{'audience':<28}{'reach':>8}{'owed':>8}{'count s':>9}{'owe s':>8}"
              f"{'rows/s':>9}{'peak MB':>9}")  # fmt: skip
        for name, audience in AUDIENCES.items():
            reach, owed, counted, enqueued, peak = _measure(url, audience)
            rate = owed / enqueued if enqueued else 0.0
            print(f"{name:<28}{reach:>8}{owed:>8}{counted:>9.3f}{enqueued:>8.2f}"
                  f"{rate:>9.0f}{peak:>9.1f}", flush=True)  # fmt: skip
            results[name] = {"reach": reach, "owed": owed, "count_s": round(counted, 4),
                             "enqueue_s": round(enqueued, 3), "rows_per_s": round(rate),
                             "peak_mb": round(peak, 2)}  # fmt: skip
    everyone = results["audiens:semua (every chat)"]["enqueue_s"]
    topic = results["topik:olahraga"]["enqueue_s"]
    print(f"a topic's followers took {topic:.2f} s against {everyone:.2f} s for every chat")
    after = os.getloadavg()
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in after)}")
    out = {"bench": "fanout-audience", "chats": chats, "backend": backend,
           "loadavg": [round(x, 2) for x in load], "loadavg_end": [round(x, 2) for x in after],
           "audiences": results}  # fmt: skip
    print(json.dumps(out))


if __name__ == "__main__":
    main()
