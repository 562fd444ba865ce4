"""The Prometheus metrics the bot exports, on a registry the composition root owns.

Ingest counters move when a cycle reports (`observe_cycle`). Delivery counters are read from
the sender's own tally at scrape time, so the sending path carries no metrics code. Gauges that
live in the database (the delivery queue) are refreshed by the HTTP server before each scrape.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.delivery.outcomes import OUTCOMES

if TYPE_CHECKING:  # the ingest pipeline is heavy to import; only its report type is used
    from bot.ingest.cycle import CycleReport

# Outcomes the sender tallies, always exported, so a dashboard shows 0 rather than nothing
# before the first send. Resends as plain text are not separate messages, and the sender's
# own bookkeeping (rows handed back to the ledger, dropped from its queue) is not an outcome.
SEND_OUTCOMES = tuple(o for o in OUTCOMES if o != "plain_text")
RATE_WINDOW = 60.0


class Metrics:
    """Every metric of one process; several can live side by side (one per test app)."""

    def __init__(
        self,
        registry: CollectorRegistry | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.registry = registry or CollectorRegistry()
        self._clock = clock
        r = self.registry
        self.sources_polled = Counter(
            "newsbot_sources_polled", "Source polls, by outcome", ["outcome"], registry=r
        )
        self.fetch_errors = Counter(
            "newsbot_fetch_errors", "Failed source polls, by kind of error", ["kind"], registry=r
        )
        self.articles_stored = Counter(
            "newsbot_articles_stored", "New articles stored", registry=r
        )
        self.stories_stored = Counter("newsbot_stories_stored", "New stories formed", registry=r)
        self.ingest_cycles = Counter("newsbot_ingest_cycles", "Ingest cycles run", registry=r)
        self.last_ingest = Gauge(
            "newsbot_last_ingest_timestamp_seconds",
            "Unix time the last ingest cycle finished",
            registry=r,
        )
        self.queue_depth = Gauge(
            "newsbot_delivery_queue_depth",
            "Ledger rows still owed to chats, by status",
            ["status"],
            registry=r,
        )
        self.database_up = Gauge(
            "newsbot_database_up", "1 when the last check reached the database", registry=r
        )
        self.pruned = Counter(
            "newsbot_pruned_rows",
            "Rows deleted by data retention, by table",
            ["table"],
            registry=r,
        )
        self.sender = SenderCollector(clock)
        r.register(self.sender)
        self.faults = FaultCollector()
        r.register(self.faults)
        self._last_cycle_at: float | None = None

    def observe_cycle(self, report: CycleReport) -> None:
        """Count one ingest cycle's polls, errors and what it stored."""
        for source in report.sources:
            self.sources_polled.labels(source.status).inc()
            if source.status == "failed":
                self.fetch_errors.labels(source.error_kind or "other").inc()
        self.articles_stored.inc(len(report.articles))
        self.stories_stored.inc(len(report.new_story_ids))
        self.ingest_cycles.inc()
        self.last_ingest.set_to_current_time()
        self._last_cycle_at = self._clock()

    def observe_pruned(self, counts: Mapping[str, int]) -> None:
        """Count rows removed by retention."""
        for table, n in counts.items():
            self.pruned.labels(table).inc(n)

    def last_ingest_age(self) -> float | None:
        """Seconds since the last ingest cycle finished, or None before the first."""
        if self._last_cycle_at is None:
            return None
        return max(0.0, self._clock() - self._last_cycle_at)


class Outages(Protocol):
    """What the fault counters read: storage.outage.OutageWatch."""

    outages: int
    recoveries: int


class RoleChanges(Protocol):
    """What the lead-role counters read: bot.ops.leader.Role."""

    taken: int
    lost: int


class FaultCollector(Collector):
    """Database outages and reconnects, and lead-role changes, read at scrape time."""

    def __init__(self) -> None:
        self._outages: Outages | None = None
        self._role: RoleChanges | None = None
        self._holding: Callable[[], bool] | None = None

    def watch(
        self, outages: Outages, role: RoleChanges | None, holding: Callable[[], bool] | None
    ) -> None:
        """Read this process's outage watch and, in processes that may lead, its role."""
        self._outages, self._role, self._holding = outages, role, holding

    def collect(self) -> Iterable[Metric]:
        outages = self._outages
        yield CounterMetricFamily(
            "newsbot_database_outages",
            "Times this process found the database unreachable",
            value=outages.outages if outages else 0,
        )
        yield CounterMetricFamily(
            "newsbot_database_reconnects",
            "Times this process reached the database again after an outage",
            value=outages.recoveries if outages else 0,
        )
        changes = CounterMetricFamily(
            "newsbot_lead_role_changes",
            "Times this process took or lost the lead role",
            labels=["change"],
        )
        changes.add_metric(["taken"], self._role.taken if self._role else 0)
        changes.add_metric(["lost"], self._role.lost if self._role else 0)
        yield changes
        yield GaugeMetricFamily(
            "newsbot_lead_role_held",
            "1 while this process holds the lead role",
            value=1 if self._holding is not None and self._holding() else 0,
        )


class SenderCollector(Collector):
    """Messages by outcome, 429s and the send rate, read from the sender's tally at scrape."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._stats: Callable[[], Mapping[str, int]] | None = None
        self._rate_limit: float | None = None
        self._samples: deque[tuple[float, int]] = deque()

    def watch(self, stats: Callable[[], Mapping[str, int]], rate_limit: float) -> None:
        """Read `stats()` (outcome → count) at each scrape; `rate_limit` is the pacing."""
        self._stats, self._rate_limit = stats, rate_limit
        self._samples.clear()

    def collect(self) -> Iterable[Metric]:
        stats = dict(self._stats()) if self._stats is not None else {}
        messages = CounterMetricFamily(
            "newsbot_messages_sent", "Messages the sender handled, by outcome", labels=["outcome"]
        )
        for outcome in SEND_OUTCOMES:
            messages.add_metric([outcome], stats.get(outcome, 0))
        yield messages
        yield CounterMetricFamily(
            "newsbot_telegram_429",
            "Flood-control answers (429) from Telegram to the sender",
            value=stats.get("deferred", 0),
        )
        yield GaugeMetricFamily(
            "newsbot_send_rate",
            f"Messages sent per second over the last {RATE_WINDOW:.0f} s",
            value=self._rate(stats.get("sent", 0)),
        )
        if self._rate_limit is not None:
            yield GaugeMetricFamily(
                "newsbot_send_rate_limit", "Messages per second the sender paces at",
                value=self._rate_limit,
            )  # fmt: skip

    def _rate(self, sent: int) -> float:
        # Sampled at scrape time: the oldest sample still in the window is the baseline.
        now = self._clock()
        self._samples.append((now, sent))
        while len(self._samples) > 2 and now - self._samples[1][0] >= RATE_WINDOW:
            self._samples.popleft()
        then, before = self._samples[0]
        return (sent - before) / (now - then) if now > then else 0.0
