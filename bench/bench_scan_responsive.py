"""The event loop during a duplicate scan: the review's scan run through the real window.

Opens the window offscreen (as `kith` runs it: KithApp, its task runner) on a real encrypted
database of generated contacts with about 5% duplicates (`bench/dedupe_gen.py`), then asks for
the review as a user does (View > Review duplicates…), which scans as a low-priority task on
the runner's read lane. While it runs, a QTimer ticks every 5 ms on the GUI thread
(bench_responsive's StallMeter): the longest gap between ticks is the longest the event loop
stalled (the goal: under 50 ms). Prints that, the p99 gap, the scan's time (asked to groups
shown), the groups found, and the process's peak memory before and after the scan; and first
the same meter for 5 s with no task running, since other programs on the machine stall it too.
Each size runs in a process of its own, so that its peak memory is its own. Figures are
printed, never asserted.

Run: .venv/bin/python bench/bench_scan_responsive.py [--sizes 10000 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_responsive import StallMeter, _gaps, open_window


class PlacedStallMeter(StallMeter):
    """The stall meter that also says when (since `start`) the longest gap ended."""

    def start(self) -> None:
        """Forget earlier gaps and start ticking."""
        self.ends: list[float] = []
        self.started = time.perf_counter()
        super().start()

    def _tick(self) -> None:
        super()._tick()
        if hasattr(self, "ends"):
            self.ends.append(time.perf_counter() - self.started)

    def longest_at(self) -> str:
        """When the longest gap ended, in seconds since `start`."""
        worst = max(range(len(self.gaps)), key=self.gaps.__getitem__)
        return f"the longest ended {self.ends[worst]:.1f} s in"


from bench_window import KEY  # noqa: E402 - after the class above, as sys.path is set


def _peak_mb() -> float:
    """The process's peak resident memory so far (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def build(path: Path, size: int) -> None:
    """A database of `size` contacts from the labelled duplicate generator."""
    from bench_store import fill  # noqa: PLC0415
    from dedupe_gen import generate  # noqa: PLC0415

    from app.core.storage.database import Database  # noqa: PLC0415
    from app.core.storage.engine import DatabaseKey  # noqa: PLC0415

    contacts = generate(size).contacts
    for c in contacts:
        c.id = None
    db = Database.create(path, DatabaseKey(raw=KEY))
    fill(db, contacts)
    db.close()


def child(path: Path) -> None:
    """The measured process: open the window, then run the review's scan through it."""
    from PySide6.QtGui import QAction  # noqa: PLC0415

    app, kith, window = open_window(path)
    runner = window.ctx.runner
    meter = PlacedStallMeter()
    meter.start()
    end = time.perf_counter() + 5
    runner.wait(lambda: time.perf_counter() >= end)
    meter.stop()
    print(f"  {'idle (baseline)':<16} 5 s with no task; {_gaps(meter)}")
    view = window.duplicates
    done: list[float] = []
    view.scanned.connect(lambda: done.append(time.perf_counter()))
    before = _peak_mb()
    meter.start()
    start = time.perf_counter()
    review = window.findChild(QAction, "review-duplicates")
    review.trigger()  # View > Review duplicates…
    runner.wait(lambda: bool(done))
    meter.stop()
    after = _peak_mb()
    groups = view.model.rowCount()
    print(
        f"  {'scan':<16} {done[0] - start:6.1f} s, {groups:,} groups; {_gaps(meter)} "
        f"({meter.longest_at()}); "
        f"peak memory {before:,.0f} MB before, {after:,.0f} MB after (+{after - before:,.0f})"
    )
    kith.quit()
    app.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", type=Path, help="build the databases here once and reuse them")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            path = folder / f"scan-{size}.db"
            if not path.exists():
                t = time.perf_counter()
                build(path, size)
                print(f"built {size:,} contacts in {time.perf_counter() - t:.0f} s")
            print(f"{size:,} contacts, the review's scan through the window:", flush=True)
            subprocess.run([sys.executable, __file__, "--child", str(path)], check=True)


if __name__ == "__main__":
    main()
