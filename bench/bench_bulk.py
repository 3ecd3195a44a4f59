"""Bulk actions at scale: tag all, undo, redo, untag, stage, delete, restore, and their undo.

Run: .venv/bin/python bench/bench_bulk.py [--sizes 10000 100000] [--repeat 3]
Each size gets one encrypted database filled as one import (as `kith import` stores it); each
round runs every step over all its contacts through `ContactService`, as the window does.
Prints the median and the spread of each step's wall time over the rounds, and its median CPU
time (this process's, SQLite included: what the step costs when the machine is not shared).
Figures are printed, never asserted; the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.domain.contact import Stage
from app.core.services.contacts import ChangeSet, ContactService
from app.core.services.queries import ListQuery
from app.core.storage.database import Database
from bench.bench_undo import KEY, fill


def _steps(service: ContactService, ids: list[int]) -> list[tuple[str, Callable[[], object]]]:
    def must(change: ChangeSet | None) -> ChangeSet:
        assert change is not None and change.ids, "the step changed nothing"
        return change

    return [
        ("tag all", lambda: must(service.tag(ids, add=["bench"]))),
        ("undo tag", lambda: must(service.undo())),
        ("redo tag", lambda: must(service.redo())),
        ("untag all", lambda: must(service.tag(ids, remove=["bench"]))),
        ("undo untag", lambda: must(service.undo())),
        ("stage all", lambda: must(service.set_stage(ids, Stage.FORMER_CLIENT))),
        ("undo stage", lambda: must(service.undo())),
        ("delete all", lambda: must(service.delete(ids))),
        ("undo delete", lambda: must(service.undo())),
        ("delete again", lambda: must(service.delete(ids))),
        ("restore all", lambda: must(service.restore_deleted(ids))),
    ]


def run(size: int, repeat: int, folder: Path) -> None:
    """Fill a database with `size` contacts and time each step `repeat` times."""
    path = folder / f"bulk-{size}.db"
    started = time.perf_counter()
    fill(path, size)
    print(f"\n{size:,} contacts (filled in {time.perf_counter() - started:.1f} s)")
    db = Database.open(path, KEY)
    try:
        service = ContactService(db, "GB")
        ids = service.ids(ListQuery())
        times: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        for _ in range(repeat):
            for name, step in _steps(service, ids):
                start, start_cpu = time.perf_counter(), time.process_time()
                step()
                times.setdefault(name, []).append(time.perf_counter() - start)
                cpu.setdefault(name, []).append(time.process_time() - start_cpu)
            service.tag(ids, remove=["bench"])  # as it was, for the next round
        for name, values in times.items():
            print(
                f"  {name:<13} median {statistics.median(values):6.2f} s"
                f"  (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"
                f"  cpu {statistics.median(cpu[name]):5.2f} s"
            )
    finally:
        db.close()


def main() -> None:
    """Parse the sizes and run each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kith-bench-bulk-") as folder:
        for size in args.sizes:
            run(size, args.repeat, Path(folder))


if __name__ == "__main__":
    main()
