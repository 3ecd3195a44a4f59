"""The incremental duplicate check: one new or edited contact against the address book.

Builds a real encrypted database of 10,000 and 100,000 generated contacts with about 5%
duplicates (`bench/dedupe_gen.py`, labelled), then times `DedupeService.check([id])` for 300
contacts that have a duplicate and 300 that have none, as the window does after a card is
saved: first with no scan yet (the typical weights), then after a full scan (the weights it
learnt). Prints the median, 95th percentile and worst time (the goal: under 50 ms), and how many
of the duplicates' true partners the check found (its recall) and how many pairs it reported
that are not one person. Figures are printed, never asserted; quote medians.

Run: .venv/bin/python bench/bench_dedupe_check.py [--sizes 10000 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.services.dedupe import DedupeService
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from bench.bench_store import fill
from bench.dedupe_gen import generate

KEY = DatabaseKey(raw=bytes(range(32)))
SAMPLE = 300


def _open(folder: Path, size: int) -> tuple[Database, list[int]]:
    """The database of `size` contacts (built once per folder) and each contact's person."""
    book = generate(size)
    path = folder / f"check-{size}.db"
    if not path.exists():
        db = Database.create(path, KEY)
        for c in book.contacts:
            c.id = None
        t = time.perf_counter()
        fill(db, book.contacts)
        print(f"  built {size:,} contacts in {time.perf_counter() - t:.0f} s")
        db.close()
    return Database.open(path, KEY), book.entity


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    median = statistics.median(ordered)
    return f"median {median:5.1f} ms, p95 {p95:5.1f} ms, worst {ordered[-1]:6.1f} ms"


def run(folder: Path, size: int) -> None:
    db, entity = _open(folder, size)
    members: dict[int, list[int]] = defaultdict(list)
    for position, person in enumerate(entity):
        members[person].append(position + 1)  # ids are given in order from 1
    rng = random.Random(5)
    dedupe = DedupeService(db)
    dedupe.check([1])  # the matcher's first import and caches
    _sample(dedupe, size, entity, members, rng, "")
    dedupe.groups()  # a full scan: the check then weighs with the model it learnt
    _sample(dedupe, size, entity, members, rng, "after a scan, ")
    db.close()


def _sample(  # noqa: PLR0917 - a benchmark's one helper
    dedupe: DedupeService,
    size: int,
    entity: list[int],
    members: dict[int, list[int]],
    rng: random.Random,
    when: str,
) -> None:
    twinned = [i for ids in members.values() if len(ids) > 1 for i in ids]
    single = [ids[0] for ids in members.values() if len(ids) == 1]
    for name, chosen in (
        (f"{when}with a duplicate", rng.sample(twinned, SAMPLE)),
        (f"{when}without one", rng.sample(single, SAMPLE)),
    ):
        times, found, missed, wrong = [], 0, 0, 0
        for contact_id in chosen:
            start = time.perf_counter()
            groups = dedupe.check([contact_id])
            times.append((time.perf_counter() - start) * 1000)
            partners = set(members[entity[contact_id - 1]]) - {contact_id}
            reported = {i for g in groups for i in g.ids} - {contact_id}
            found += len(partners & reported)
            missed += len(partners - reported)
            wrong += len(reported - partners)
        recall = f", recall {found / (found + missed):.3f}" if found + missed else ""
        print(f"  {size:>7,} contacts, {name:<30} {_ms(times)}{recall}, {wrong} wrong pairs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", type=Path, help="build the databases here once and reuse them")
    args = parser.parse_args()
    print(f"DedupeService.check of one contact, {SAMPLE} contacts each (real encrypted db)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            run(folder, size)


if __name__ == "__main__":
    main()
