"""Undo, redo and dry-run at scale: time, peak memory, and the file's size before and after.

Run: .venv/bin/python bench/bench_undo.py [--sizes 10000 100000]
Each measured step runs in a fresh child process. Linux keeps a process's peak RSS across
exec, so a child's figure starts at this process's size when it was started: the peaks printed
are upper bounds. The parse workers of a dry run are not counted. Figures are printed, never
asserted.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.clock import SYSTEM_CLOCK
from app.core.domain.contact import Contact, Email
from app.core.services import importer
from app.core.services.contacts import ContactService
from app.core.storage import contacts_repo, journal
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from bench.bench_store import generate
from bench.vcard_gen import write_vcards

KEY = DatabaseKey(raw=bytes(range(32)))
BATCH = 2000


def _contacts(count: int) -> Iterator[list[Contact]]:
    """`count` contacts a batch at a time, varied from a pool (quick, and memory stays flat)."""
    pool = generate(BATCH)
    for start in range(0, count, BATCH):
        batch = []
        for n in range(start, min(count, start + BATCH)):
            c = copy.copy(pool[n % BATCH])
            c.emails = [Email(f"person{n}@example.org", "work")]
            batch.append(c)
        yield batch


def fill(path: Path, count: int) -> None:
    """Store `count` contacts as one import operation, as `kith import` does."""
    db = Database.create(path, KEY)
    with db.write() as conn:
        now = SYSTEM_CLOCK.now()
        op = journal.begin_operation(conn, "import", "Benchmark import", now)
        new_ids = contacts_repo.next_ids(conn, count)
        ids = iter(new_ids)

        def prepared() -> Iterator[list[Contact]]:
            for batch in _contacts(count):
                yield [contacts_repo.prepare_new(c, next(ids), now) for c in batch]

        contacts_repo.insert_stream(conn, prepared(), import_op=op)
        journal.record_created(conn, op, new_ids)
    db.close()


def _mb(path: Path) -> float:
    total = sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())
    return total / 1e6


def child(step: str, path: Path, cards: Path | None) -> None:
    """Run one step and print its time and peak RSS as JSON (in a fresh process)."""
    gc.collect()
    start = time.perf_counter()
    if step == "preview":
        assert cards is not None
        db = Database.open(path, KEY)
        plan = importer.preview(db, cards, region="GB", keep_records=False, all_rows=False)
        assert plan.new > 0
    else:
        db = Database.open(path, KEY)
        service = ContactService(db, "GB")
        change = service.undo() if step == "undo" else service.redo()
        assert change is not None
    db.close()
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak, "workers_peak_mb": workers}))


def _run_child(step: str, path: Path, cards: Path | None = None) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", step, str(path)]
    if cards is not None:
        args.append(str(cards))
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{step} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def write_small_vcards(path: Path, count: int) -> None:
    """`count` short cards (about 150 bytes each): a million fit under the import's size cap."""
    with path.open("w", encoding="utf-8", newline="") as out:
        for n in range(count):
            out.write(
                f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person{n};Pat;;;\r\nFN:Pat Person{n}\r\n"
                f"EMAIL:person{n}@example.org\r\nTEL:+44 7700 {n % 1000000:06d}\r\n"
                "END:VCARD\r\n"
            )


def run(size: int, steps: list[str]) -> None:
    print(f"\n== {size:,} contacts ==")
    with tempfile.TemporaryDirectory() as tmp:
        if "undo" in steps:
            path = Path(tmp) / "bench.db"
            start = time.perf_counter()
            fill(path, size)
            print(f"fill:      {time.perf_counter() - start:7.1f} s, file {_mb(path):8.1f} MB")
            for step in ("undo", "redo", "undo"):
                before = _mb(path)
                r = _run_child(step, path)
                print(
                    f"{step}:      {r['seconds']:7.1f} s, peak RSS {r['peak_mb']:7.0f} MB, "
                    f"file {before:8.1f} MB -> {_mb(path):8.1f} MB"
                )
        if "dry-run" not in steps:
            return
        cards = Path(tmp) / "cards.vcf"
        # Realistic cards while they fit under the import's 200 MB cap, short ones beyond.
        if size <= 400_000:
            write_vcards(cards, size)
        else:
            write_small_vcards(cards, size)
        empty = Path(tmp) / "empty.db"
        Database.create(empty, KEY).close()
        r = _run_child("preview", empty, cards)
        print(
            f"dry run:   {r['seconds']:7.1f} s, peak RSS {r['peak_mb']:7.0f} MB "
            f"(parse workers {r['workers_peak_mb']:.0f} MB each at most), "
            f"{cards.stat().st_size / 1e6:.0f} MB of vCards"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--steps", nargs="+", choices=["undo", "dry-run"], default=["undo", "dry-run"]
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        step, path, *rest = args.child
        child(step, Path(path), Path(rest[0]) if rest else None)
        return
    for size in args.sizes:
        run(size, args.steps)


if __name__ == "__main__":
    main()
