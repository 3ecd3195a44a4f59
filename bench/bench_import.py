"""Import benchmark: a whole import of generated vCards against bare vobject over the same file.

The import is what `kith import` does, end to end: read and repair, parse, normalise (phones to
E.164, names folded), match against the store, store and index, in one transaction and one
journal operation. Bare vobject is `vobject.readComponents` over the same file, in the same run.
Peak RSS is the importing process's (the parsing workers hold a chunk each).

Run: .venv/bin/python bench/bench_import.py [--sizes 10000 100000] [--runs 3] [--window]
Prints medians of the runs, the ratio import/vobject and peak RSS; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import vobject

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.services import import_preview, importer
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from bench.vcard_gen import write_vcards


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare_vobject(path: Path) -> float:
    """Seconds `vobject.readComponents` takes to read every card of `path`."""
    start = time.perf_counter()
    with path.open(encoding="utf-8") as stream:
        for _ in vobject.readComponents(stream):
            pass
    return time.perf_counter() - start


def _fresh(db_path: Path) -> Database:
    db_path.unlink(missing_ok=True)
    return Database.create(db_path, DatabaseKey(raw=bytes(range(32))))  # the keyring's raw key


def kith_import(path: Path, db_path: Path) -> tuple[float, int]:
    """Seconds `kith import` takes (`importer.run`: parse and store in one pass), and cards."""
    db = _fresh(db_path)
    try:
        start = time.perf_counter()
        _, result = importer.run(db, path, region="GB")
        elapsed = time.perf_counter() - start
    finally:
        db.close()
    gc.collect()
    return elapsed, result.created


def window_import(path: Path, db_path: Path) -> tuple[float, float]:
    """Seconds of the window's two steps: the preview (the import's dry run, with the table's
    bounded sample), then (after the user's OK) the import itself, as `kith import` runs it."""
    db = _fresh(db_path)
    try:
        start = time.perf_counter()
        plan, _ = importer.import_file(
            db, path, region="GB", dry_run=True, rows=import_preview.PREVIEW_TABLE
        )
        middle = time.perf_counter()
        importer.import_file(db, path, region="GB", expected=plan.total)
        end = time.perf_counter()
    finally:
        db.close()
    del plan
    gc.collect()
    return middle - start, end - middle


PREVIEW_RSS = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from app.core.services import import_preview, importer
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
db = Database.open(Path({db!r}), DatabaseKey(raw=bytes(range(32))))
if {kept}:
    plan = importer.preview(db, Path({path!r}), region="GB")  # every record, for commit()
else:
    plan, _ = importer.import_file(
        db, Path({path!r}), region="GB", dry_run=True, rows=import_preview.PREVIEW_TABLE
    )
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec.
status = Path("/proc/self/status").read_text()
hwm = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
print(int(hwm) / 1024, len(plan.rows))
"""


def preview_rss_mb(path: Path, db_path: Path, *, keep_records: bool) -> tuple[float, int]:
    """Peak RSS of a process that previews `path` (parsing workers not counted), and rows."""
    _fresh(db_path).close()
    root = str(Path(__file__).resolve().parents[1])
    code = PREVIEW_RSS.format(root=root, db=str(db_path), path=str(path), kept=keep_records)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    rss, rows = out.stdout.split()
    return float(rss), int(rows)


def run(size: int, runs: int, window: bool) -> None:
    """Time `runs` rounds of bare vobject and of the import over one file of `size` cards."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cards.vcf"
        db_path = Path(tmp) / "bench.db"
        nbytes = write_vcards(path, size)
        bare, totals, ratios = [], [], []
        created = 0
        for _ in range(runs):
            bare.append(bare_vobject(path))
            elapsed, created = kith_import(path, db_path)
            totals.append(elapsed)
            ratios.append(elapsed / bare[-1])
        t_bare, t_total = statistics.median(bare), statistics.median(totals)
        print(f"\n== {size:,} cards ({nbytes / 2**20:.1f} MB), median of {runs} runs ==")
        print(f"vobject.readComponents:  {t_bare:7.2f} s  {size / t_bare:8,.0f} cards/s")
        print(f"kith import, end to end: {t_total:7.2f} s  {created / t_total:8,.0f} cards/s")
        print(
            f"ratio import/vobject:    {statistics.median(ratios):7.2f}  (per run: "
            + ", ".join(f"{r:.2f}" for r in ratios)
            + ")"
        )
        print(f"peak RSS so far:         {peak_rss_mb():7.0f} MB")
        if window:
            steps = [window_import(path, db_path) for _ in range(runs)]
            print(f"window, preview:         {statistics.median(s[0] for s in steps):7.2f} s")
            print(f"window, import:          {statistics.median(s[1] for s in steps):7.2f} s")
            print(f"peak RSS so far:         {peak_rss_mb():7.0f} MB")
            for keep, what in (
                (False, "window preview (dry run)"),
                (True, "preview kept to commit"),
            ):
                rss, rows = preview_rss_mb(path, db_path, keep_records=keep)
                print(f"{what}: {rss:7.0f} MB peak RSS, {rows:,} rows held")


def main() -> None:
    """Parse arguments and run the benchmark for each size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--window", action="store_true", help="also time the window's preview and commit steps"
    )
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.runs, args.window)


if __name__ == "__main__":
    main()
