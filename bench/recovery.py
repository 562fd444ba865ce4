"""A broadcast through a 15-s database outage: how fast delivery resumes, and what it costs.

The bot's real processes (`newsbot run`, or two `newsbot worker`s) send a broadcast to N chats
on PostgreSQL at SEND_RATE 30, reaching the database through a loopback TCP proxy
(bench.tcp_proxy). Once a third has been sent the proxy cuts every connection (or black-holes
them, as a network partition does) for the outage's length, then lets them through again.
Reported per run: seconds from the database's return to the first message accepted again
(target ≤ 10 s), chats lost (must be 0), duplicates (at most the sends in flight at the
outage), 429s, and the total time against the same broadcast without an outage.

Run: python -m bench.recovery [--chats 1000] [--outage 15]
     [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any, Literal

from sqlalchemy.engine import make_url

from bench.fanout import database
from bench.outage_run import OutageRun, broadcast_through_outage, proxy_outage
from bench.tcp_proxy import TcpProxy
from bot.delivery.service import send_concurrency

DEFAULT_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


async def one_run(
    url: str,
    chats: int,
    outage: float,
    kind: Literal["cut", "blackhole"] | None,
    mode: Literal["run", "worker"],
) -> OutageRun:
    """One broadcast; `kind` None runs it without an outage."""
    server = make_url(url)
    proxy = TcpProxy(server.host or "127.0.0.1", server.port or 5432)
    await proxy.start()
    try:
        through = server.set(host="127.0.0.1", port=proxy.port)
        return await broadcast_through_outage(
            url,
            through.render_as_string(hide_password=False),
            chats=chats,
            outage=None if kind is None else proxy_outage(proxy, outage, kind),
            mode=mode,
            processes=2 if mode == "worker" else 1,
            within=chats / 10 + 4 * outage + 120,
        )
    finally:
        await proxy.close()


def row(name: str, run: OutageRun, baseline: float | None) -> dict[str, Any]:
    """One line of the table."""
    return {
        "run": name,
        "resumed_after_s": None if run.first_after is None else round(run.first_after, 2),
        "lost": run.lost,
        "duplicates": run.duplicates,
        "in_flight_bound": send_concurrency(30),
        "too_many": run.too_many,
        "total_s": round(run.elapsed, 1),
        "extra_s": None if baseline is None else round(run.elapsed - baseline, 1),
        "tracebacks": run.stderr.count("Traceback"),
        "unreachable_lines": run.stderr.count("the database is unreachable"),
    }


def main() -> None:
    """Measure and print the table, then one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--outage", type=float, default=15.0, help="seconds")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    options = parser.parse_args()
    rows = []
    plans: list[tuple[str, Literal["cut", "blackhole"] | None, Literal["run", "worker"]]] = [
        ("run, no outage", None, "run"),
        ("run, connections cut", "cut", "run"),
        ("run, partition (black-hole)", "blackhole", "run"),
        ("2 workers, connections cut", "cut", "worker"),
    ]
    baseline = None
    for name, kind, mode in plans:
        with database(options.database_url) as url:
            run = asyncio.run(one_run(url, options.chats, options.outage, kind, mode))
        if kind is None:
            baseline = run.elapsed
        rows.append(row(name, run, baseline))
        print(_line(rows[-1]), flush=True)
    print(json.dumps({"bench": "recovery", "chats": options.chats, "outage_s": options.outage,
                      "runs": rows}))  # fmt: skip


def _line(r: dict[str, Any]) -> str:
    return (
        f"{r['run']:<30} resumed {r['resumed_after_s']!s:>6} s  lost {r['lost']}  "
        f"dup {r['duplicates']} (≤ {r['in_flight_bound']})  429 {r['too_many']}  "
        f"total {r['total_s']} s (+{r['extra_s']} s)  tracebacks {r['tracebacks']}  "
        f"'unreachable' lines {r['unreachable_lines']}"
    )


if __name__ == "__main__":
    main()
