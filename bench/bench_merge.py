"""Bulk merge at scale: "merge all groups above S" as one operation, its undo and its redo.

Run: .venv/bin/python bench/bench_merge.py [--sizes 10000 100000]
Each address book has 5% duplicates (pairs and triples); every group is merged in one
operation, then undone and redone. Figures are printed, never asserted; quote medians. The
merge's CPU time is printed beside its wall time: on a shared machine it is the steadier one.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.services.contacts import ContactService
from app.core.services.merge import MergeService
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.search import ListQuery
from bench.bench_store import fill, generate

KEY = DatabaseKey(raw=bytes(range(32)))


def groups_of(ids: list[int]) -> list[list[int]]:
    """5% of the contacts in groups: pairs, and a triple every fourth group."""
    out, n, size = [], 0, len(ids) * 5 // 100
    while sum(len(g) for g in out) < size:
        width = 3 if len(out) % 4 == 3 else 2
        out.append(ids[n : n + width])
        n += width + 7  # groups apart from each other
    return out


def run(size: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.create(Path(tmp) / "kith.db", KEY)
        fill(db, generate(size, seed=3))
        contacts = ContactService(db, "GB")
        ids = contacts.ids(ListQuery())
        ids.sort()
        groups = groups_of(ids)
        merged = sum(len(g) for g in groups)
        cpu = time.process_time()
        start = time.perf_counter()
        change = MergeService(db).merge_groups(groups)
        merge_s = time.perf_counter() - start
        merge_cpu = time.process_time() - cpu
        start = time.perf_counter()
        contacts.undo()
        undo_s = time.perf_counter() - start
        start = time.perf_counter()
        contacts.redo()
        redo_s = time.perf_counter() - start
        assert contacts.count(ListQuery()) == size - len(change.removed)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{size:>7} contacts, {len(groups):>5} groups ({merged} contacts): "
            f"merge {merge_s:.2f} s ({merge_cpu:.2f} s CPU)"
            f" ({len(groups) / merge_s:,.0f} groups/s), undo {undo_s:.2f} s, redo {redo_s:.2f} s,"
            f" peak RSS {peak_mb:.0f} MB"
        )
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    for size in parser.parse_args().sizes:
        run(size)


if __name__ == "__main__":
    main()
