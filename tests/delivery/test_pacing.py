"""Smooth pacing on a fake clock: even slots, no burst after idling, per-chat gaps."""

from __future__ import annotations

from bot.delivery.pacing import WINDOW, Pacer, chat_gap, effective_rate


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def test_slots_are_even_and_never_exceed_the_rate_in_any_window() -> None:
    clock = FakeClock()
    pacer = Pacer(30, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(300):
        await pacer.slot()
        times.append(clock.now)
    gaps = {round(b - a, 6) for a, b in zip(times, times[1:], strict=False)}
    assert max(gaps) - min(gaps) < 0.02
    for i in range(len(times) - 30):
        assert times[i + 30] - times[i] >= 1.0  # 31 sends never fit in one second


async def test_idle_time_gives_no_burst() -> None:
    clock = FakeClock()
    pacer = Pacer(10, clock=clock, sleep=clock.sleep)
    await pacer.slot()
    clock.now += 60  # a quiet minute
    start = clock.now
    for _ in range(5):
        await pacer.slot()
    assert clock.now - start >= 0.399


async def test_chat_gaps_and_deferral() -> None:
    clock = FakeClock()
    pacer = Pacer(30, clock=clock, sleep=clock.sleep)
    pacer.note_sent(1, "private")
    pacer.note_sent(2, "group")
    assert pacer.ready_at(1) == clock.now + chat_gap("private") >= clock.now + 1
    assert pacer.ready_at(2) >= clock.now + 3  # 20 a minute
    pacer.defer_chat(1, 86_400)
    assert pacer.ready_at(1) == clock.now + 86_400
    pacer.pause_all(5)
    before = clock.now
    await pacer.slot()
    assert clock.now == before + 5


def test_rate_is_capped_unless_paid() -> None:
    assert effective_rate(1000, paid=False) == 30
    assert effective_rate(1000, paid=True) == 1000
    assert effective_rate(20, paid=False) == 20


async def test_chats_whose_gap_passed_are_forgotten() -> None:
    clock = FakeClock()
    pacer = Pacer(1000, clock=clock, sleep=clock.sleep)
    for chat in range(20_000):  # a broadcast: every chat once
        await pacer.slot(paid=True)
        pacer.note_sent(chat, "private")
    # Only the chats sent to in the last ~1 s (about 1000) need remembering, not 20,000.
    assert len(pacer._chat_ready) <= 2 * 2048
    assert pacer.ready_at(19_999) > clock.now


async def test_unpaid_messages_keep_to_the_free_rate_when_paid_broadcast_is_on() -> None:
    clock = FakeClock()
    pacer = Pacer(1000, clock=clock, sleep=clock.sleep)
    start = clock.now
    for _ in range(90):
        await pacer.slot()  # a push: no allow_paid_broadcast
    assert clock.now - start >= 2.0  # 90 at 30/s, not at 1000/s
    start = clock.now
    for _ in range(900):
        await pacer.slot(paid=True)
    assert clock.now - start < 1.5


async def steady_rate(rate: float) -> float:
    """Slots a second when nothing ever stalls."""
    clock = FakeClock()
    pacer = Pacer(rate, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(300):
        await pacer.slot()
        times.append(clock.now)
    return 299 / (times[-1] - times[0])


async def test_a_short_stall_is_caught_up_within_the_window() -> None:
    clock = FakeClock()
    pacer = Pacer(30, clock=clock, sleep=clock.sleep)
    times = []
    for n in range(300):
        await pacer.slot()
        times.append(clock.now)
        if n % 20 == 10:
            clock.now += 0.05  # the sender read the database between two sends
    span = times[-1] - times[0]
    # The stalls (0.75 s in all, 7 % of the time) cost almost nothing: missed slots are given
    # late, so the rate stays within 2 % of never stalling.
    assert 299 / span > 0.98 * await steady_rate(30)
    assert await steady_rate(30) > 0.95 * 30
    for i in range(len(times) - 30):
        assert times[i + 30] - times[i] >= 1.0  # still never 31 in a second


async def test_a_stall_at_the_paid_rate_is_made_up_at_twice_the_pace_not_in_one_burst() -> None:
    clock = FakeClock()
    pacer = Pacer(1000, clock=clock, sleep=clock.sleep)
    for _ in range(500):
        await pacer.slot(paid=True)
    clock.now += 0.1  # the process was descheduled: 100 slots missed
    times = []
    for _ in range(300):
        await pacer.slot(paid=True)
        times.append(clock.now)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    # Made up at twice the pace (never 100 at once), then back to the even pace …
    assert min(gaps) >= pacer.interval / 2 - 1e-9
    assert abs(gaps[-1] - pacer.interval) < 1e-9
    # … and made up in full: 300 slots take 300 intervals less the 100 missed, give or take.
    assert times[-1] - times[0] < 300 * pacer.interval - 0.09


async def test_a_call_counts_from_its_answer_so_a_late_write_cannot_squeeze_the_window() -> None:
    clock = FakeClock()
    pacer = Pacer(10, clock=clock, sleep=clock.sleep)
    first = await pacer.slot()
    pacer.sending(first)
    clock.now += 0.08  # a stall: the call reached Telegram, and was answered, 80 ms late
    pacer.answered(first)
    answered_at = clock.now
    for _ in range(9):
        pacer.sending(stamp := await pacer.slot())
        pacer.answered(stamp)
    await pacer.slot()  # the eleventh: its window counts from the first one's answer
    assert clock.now >= answered_at + WINDOW - 1e-9
    # Counted from the slot instead, it would have come 80 ms sooner: the room a stall ate.
    assert clock.now - (answered_at - 0.08) >= WINDOW + 0.08 - 1e-9


async def test_a_call_still_on_its_way_holds_the_window_open() -> None:
    clock = FakeClock()
    pacer = Pacer(10, clock=clock, sleep=clock.sleep)
    stuck = await pacer.slot()
    pacer.sending(stuck)  # never answered while the next ten are given
    for _ in range(9):
        pacer.sending(stamp := await pacer.slot())
        pacer.answered(stamp)
    clock.now += 2.0
    asked = clock.now
    await pacer.slot()
    assert clock.now >= asked + WINDOW - 1e-9  # as if it were answered when asked
