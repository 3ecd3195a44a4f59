"""Keeping-in-touch benchmark: reminders due, notifications, logging, last-contacted sort.

Every contact has a birthday (a third without a year), a third have 1-3 interactions, 5% a
keep-in-touch cadence and 200 a follow-up: more dated data than a real address book.

Run: .venv/bin/python bench/bench_reminders.py [--sizes 10000 100000] [--repeat 7]
Figures are printed (medians), never asserted; the machine is noisy.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.clock import FixedClock
from app.core.domain.dates import PartialDate
from app.core.domain.interaction import Cadence, Interaction, InteractionKind
from app.core.services.contacts import ContactService
from app.core.services.interactions import InteractionService
from app.core.services.reminders import ReminderService
from app.core.services.segments import Rule, RuleKind, SegmentService, SmartSegment
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.search import ListQuery, SortOrder
from bench.bench_store import fill, generate

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of `action`, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def build(path: Path, count: int) -> Database:
    """A database of `count` generated contacts with dates, interactions and cadences."""
    rnd = random.Random(11)
    contacts = generate(count)
    for n, contact in enumerate(contacts):
        born = date(1950, 1, 1) + timedelta(days=rnd.randrange(0, 365 * 55))
        contact.birthday = PartialDate(None if n % 3 == 0 else born.year, born.month, born.day)
        if n % 3 == 1:
            contact.interactions = [
                Interaction(
                    f"{n}-{k}",
                    rnd.choice(list(InteractionKind)),
                    NOW - timedelta(days=rnd.randrange(1, 400), seconds=rnd.randrange(86400)),
                    "Talked about the project",
                )
                for k in range(rnd.randrange(1, 4))
            ]
        if n % 20 == 0:
            contact.keep_in_touch_every, contact.keep_in_touch_unit = 30, Cadence.DAYS
    db = Database.create(path, DatabaseKey(raw=bytes(range(32))))
    fill(db, contacts)
    return db


def run(count: int, repeat: int) -> None:
    """Print the figures for one size."""
    with tempfile.TemporaryDirectory() as folder:
        db = build(Path(folder) / "kith.db", count)
        clock = FixedClock(NOW)
        reminders = ReminderService(db, clock, UTC)
        for n in range(1, 201):
            reminders.follow_up(n, NOW.date() + timedelta(days=n % 30), "call back")
        interactions = InteractionService(db, clock)
        contacts = ContactService(db, "GB", clock=clock)
        segments = SegmentService(db, clock)
        quiet = ListQuery(
            filter=segments.filter_for(SmartSegment("q", [Rule(RuleKind.NOT_CONTACTED_DAYS, "90")]))
        )
        due7 = median_ms(lambda: reminders.due(7), repeat)
        due30 = median_ms(lambda: reminders.due(30), repeat)
        notify = median_ms(reminders.to_notify, repeat)
        found = len(reminders.due(7))
        log_one = median_ms(lambda: interactions.log([5], InteractionKind.CALL, "x"), repeat)
        many = list(range(1000, 2000))
        log_many = median_ms(
            lambda: interactions.log(many, InteractionKind.MEETING, "y"), max(1, repeat // 3)
        )
        sort = median_ms(
            lambda: contacts.ids(ListQuery(sort=SortOrder.LAST_CONTACTED), 200), repeat
        )
        rule = median_ms(lambda: contacts.count(quiet), repeat)
        db.close()
    print(
        f"{count:>7} contacts: due(7) {due7:7.1f} ms ({found} items), due(30) {due30:7.1f} ms, "
        f"to_notify {notify:7.1f} ms, log 1 {log_one:6.1f} ms, log 1,000 {log_many:7.1f} ms, "
        f"last-contacted first page {sort:6.1f} ms, not-contacted-90 count {rule:6.1f} ms"
    )


def main() -> None:
    """Parse the arguments and run each size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.repeat)


if __name__ == "__main__":
    main()
