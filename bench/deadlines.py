"""Recompute the due dates of 1,000,000 random event ledgers and report the time.

Run: ``python bench/deadlines.py [count] [seed]``. Target: ≤ 5 s on one core.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from gongkai.deadlines import Event, EventKind, compute
from gongkai.workdays import Calendar

K = EventKind


def make_ledgers(count: int, seed: int) -> list[list[Event]]:
    """About 60 % plain, 15 % with a consultation, 10 % extension, 10 % 补正, 5 % fee."""
    rng = random.Random(seed)
    first = date(2019, 1, 1).toordinal()
    span = date(2027, 12, 31).toordinal() - first
    ledgers = []
    for _ in range(count):
        received = date.fromordinal(first + rng.randrange(span))
        events = [Event(K.RECEIVED, received, channel="online")]
        r = rng.random()
        day = received
        if r < 0.10:
            day += timedelta(days=rng.randint(1, 8))
            events.append(Event(K.CORRECTION_REQUESTED, day, days=15))
            day += timedelta(days=rng.randint(1, 20))
            events.append(Event(K.CORRECTION_RECEIVED, day))
        elif r < 0.25:
            day += timedelta(days=rng.randint(1, 15))
            events.append(Event(K.CONSULTATION_STARTED, day, party="third_party"))
            day += timedelta(days=rng.randint(1, 21))
            events.append(Event(K.CONSULTATION_ENDED, day, party="third_party"))
        elif r < 0.35:
            day += timedelta(days=rng.randint(1, 25))
            events.append(Event(K.EXTENSION_APPROVED, day, days=rng.randint(5, 20)))
        elif r < 0.40:
            day += timedelta(days=rng.randint(1, 10))
            events.append(Event(K.FEE_NOTIFIED, day))
            day += timedelta(days=rng.randint(1, 25))
            events.append(Event(K.FEE_PAID, day))
        ledgers.append(events)
    return ledgers


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2019
    calendar = Calendar()
    t0 = time.perf_counter()
    ledgers = make_ledgers(count, seed)
    t1 = time.perf_counter()
    _ = calendar.ordinals  # build the index outside the timed loop, as a long-running process would
    t2 = time.perf_counter()
    dues = [compute(events, calendar).due for events in ledgers]
    t3 = time.perf_counter()
    assert len(dues) == count and all(dues)
    print(f"ledgers built: {count:,} in {t1 - t0:.2f} s; calendar index: {(t2 - t1) * 1000:.1f} ms")
    print(f"recomputed {count:,} due dates in {t3 - t2:.2f} s ({(t3 - t2) / count * 1e6:.2f} µs each)")


if __name__ == "__main__":
    main()
