"""Poll scheduling: learned intervals, max-age floors and back-off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.news.fetch.cadence import Bounds, failure_wait, learn_interval, next_wait

BOUNDS = Bounds(low=120, high=3600)
T0 = datetime(2026, 11, 25, 8, tzinfo=UTC)


def every(minutes: int, n: int = 10) -> list[datetime]:
    return [T0 - timedelta(minutes=minutes * i) for i in range(n)]


def test_busy_source_is_polled_at_half_its_gap() -> None:
    assert learn_interval(every(20), None, BOUNDS) == 600


def test_learning_is_bounded_both_ways() -> None:
    assert learn_interval(every(1), None, BOUNDS) == 120
    assert learn_interval(every(600), None, BOUNDS) == 3600


def test_learning_smooths_towards_new_observations() -> None:
    learned = learn_interval(every(20), 3000, BOUNDS)
    assert learned is not None and 600 < learned < 3000


def test_too_few_dates_keep_previous_value() -> None:
    assert learn_interval(every(20, n=2), 900, BOUNDS) == 900
    assert learn_interval([], None, BOUNDS) is None


def test_publisher_max_age_delays_next_poll_within_bounds() -> None:
    assert 1800 * 0.9 <= next_wait(learned=300, bounds=BOUNDS, max_age=1800) <= 1800 * 1.1
    assert next_wait(learned=300, bounds=BOUNDS, max_age=99_999, jitter=0) == 3600
    assert next_wait(learned=300, bounds=BOUNDS, max_age=None, jitter=0) == 300


def test_failures_back_off_exponentially_and_honour_retry_after() -> None:
    assert 60 <= failure_wait(1, BOUNDS) <= 120
    assert 480 <= failure_wait(4, BOUNDS) <= 960
    assert failure_wait(30, BOUNDS) <= 6 * 3600
    assert failure_wait(1, BOUNDS, retry_after=5000) >= 5000
