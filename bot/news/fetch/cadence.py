"""When to poll a source next: learned from how often it publishes, backing off on failure."""

from __future__ import annotations

import random
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

# Weight of the newest observation in the moving average of a source's interval.
_SMOOTHING = 0.3


@dataclass(frozen=True, slots=True)
class Bounds:
    """The shortest and longest wait between two polls of one source, in seconds."""

    low: int
    high: int


def learn_interval(
    published: Iterable[datetime], previous: int | None, bounds: Bounds
) -> int | None:
    """Half the source's typical gap between items, smoothed; None when the feed has no dates.

    Polling at half the typical gap catches most items within one gap without hammering a
    source that publishes twice a day.
    """
    times = sorted({t for t in published}, reverse=True)[:30]
    if len(times) < 3:
        return previous
    gaps = [(a - b).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    typical = statistics.median(gaps) / 2
    estimate = typical if previous is None else (1 - _SMOOTHING) * previous + _SMOOTHING * typical
    return clamp(int(estimate), bounds)


def clamp(seconds: float, bounds: Bounds) -> int:
    """Keep a wait within bounds."""
    return int(min(max(seconds, bounds.low), bounds.high))


def next_wait(
    *, learned: int | None, bounds: Bounds, max_age: float | None, jitter: float = 0.1
) -> float:
    """Seconds until the next poll after a success; a publisher's max-age is a floor."""
    wait = float(learned if learned is not None else bounds.high)
    if max_age is not None and max_age > wait:
        wait = min(max_age, float(bounds.high))
    # Jitter spreads sources that share a host so they do not all fall due in the same second.
    return wait * (1 + random.uniform(-jitter, jitter))


def failure_wait(
    failures: int, bounds: Bounds, *, retry_after: float | None = None, cap: float = 6 * 3600
) -> float:
    """Exponential back-off with full jitter after `failures` failures in a row."""
    backoff = min(cap, bounds.low * 2 ** max(failures - 1, 0))
    wait = random.uniform(backoff / 2, backoff)
    if retry_after is not None:
        wait = max(wait, min(retry_after, cap))
    return wait
