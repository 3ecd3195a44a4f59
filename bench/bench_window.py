"""Window benchmark: drives the real window offscreen on a generated address book.

Prints: process start to a usable window (list filled and painted), search keystroke to an
updated list (median, p90), a scroll from top to bottom (slowest step, time until the rows are
filled), and resident memory. Figures are printed, never asserted.

Run: .venv/bin/python bench/bench_window.py [--size 100000] [--keep /tmp/kith-bench.db]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

KEY = bytes(range(32))  # what the keyring holds: a raw key, no key derivation
TYPED = ["m", "ma", "mar", "mart", "marti", "martin", "marti", "mart", "mar", "ma", "m", ""]
TYPED += ["s", "sc", "sch", "schm", "schmi", "schmid", "", "berlin", "", "client", ""]


def build(path: Path, size: int) -> None:
    """A database of `size` generated contacts (bench_store's generator)."""
    from bench_store import fill, generate  # noqa: PLC0415

    from app.core.storage.database import Database  # noqa: PLC0415
    from app.core.storage.engine import DatabaseKey  # noqa: PLC0415

    db = Database.create(path, DatabaseKey(raw=KEY))
    fill(db, generate(size))
    db.close()


def rss_mb() -> float:
    """Resident memory of this process."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(path: Path, started: float) -> None:
    """The measured process: opens the window as the app does, then drives it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from app.core.storage.database import Database  # noqa: PLC0415
    from app.core.storage.engine import DatabaseKey  # noqa: PLC0415
    from app.ui.app import build_window  # noqa: PLC0415
    from app.ui.list_model import PLACEHOLDER  # noqa: PLC0415

    imported = time.time() - started
    app = QApplication([])
    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    db = Database.open(path, DatabaseKey(raw=KEY))
    window = build_window(db, settings, region="GB")
    window.resize(1300, 820)
    window.show()
    shown = time.time() - started
    model, table = window.list_model, window.list.table

    def spin_until(done: object, limit: float = 30.0) -> None:
        end = time.perf_counter() + limit
        while not done() and time.perf_counter() < end:  # type: ignore[operator]
            app.processEvents()

    spin_until(lambda: model.rowCount() > 0)
    table.viewport().repaint()
    usable = time.time() - started
    print(
        f"start to usable window: {usable * 1000:8.0f} ms ({model.rowCount():,} rows shown; "
        f"imports done at {imported * 1000:.0f} ms, window shown at {shown * 1000:.0f} ms)"
    )
    spin_until(lambda: window.segment_model.rowCount() > 0)
    print(f"start to segment counts:{(time.time() - started) * 1000:8.0f} ms")
    spin_until(lambda: window.ctx.runner.pending == 0)

    times, complete = [], []
    shown: list[float] = []
    model.first_rows.connect(lambda: shown.append(time.perf_counter()))
    for text in TYPED * 2:
        shown.clear()
        start = time.perf_counter()
        window.list.search.setText(text)
        spin_until(lambda: bool(shown))
        table.viewport().repaint()
        times.append((time.perf_counter() - start) * 1000)
        spin_until(lambda: window.ctx.runner.pending == 0)
        complete.append((time.perf_counter() - start) * 1000)
    quantiles = statistics.quantiles(times, n=10)
    print(
        f"keystroke to list:      {statistics.median(times):8.1f} ms median, "
        f"{quantiles[-1]:.1f} ms p90 ({len(times)} keystrokes, first rows painted); "
        f"all ids in {statistics.median(complete):.1f} ms median"
    )

    window.list.search.setText("")
    spin_until(lambda: window.ctx.runner.pending == 0)
    bar = table.verticalScrollBar()
    steps, gui_ms, filled_ms = 0, [], []
    value = 0
    while value < bar.maximum():
        value = min(bar.maximum(), value + bar.pageStep() * 3)
        start = time.perf_counter()
        bar.setValue(value)
        table.viewport().repaint()
        gui_ms.append((time.perf_counter() - start) * 1000)
        top = table.rowAt(0)
        spin_until(lambda top=top: model.index(top, 0).data() != PLACEHOLDER)
        filled_ms.append((time.perf_counter() - start) * 1000)
        steps += 1
    print(
        f"scroll top to bottom:   {steps} steps of 3 pages; GUI thread per step "
        f"{statistics.median(gui_ms):.1f} ms median, {max(gui_ms):.1f} ms max; rows filled "
        f"{statistics.median(filled_ms):.1f} ms median, {max(filled_ms):.1f} ms max"
    )
    print(f"resident memory:        {rss_mb():8.0f} MB")
    window.close()
    window.ctx.runner.shutdown()
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the database here once and reuse it")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.started)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.db"
        if not path.exists():
            t = time.perf_counter()
            build(path, args.size)
            print(f"built {args.size:,} contacts in {time.perf_counter() - t:.0f} s")
        for run in range(args.runs):
            print(f"-- run {run + 1} --")
            started = time.time()
            subprocess.run(
                [sys.executable, __file__, "--child", str(path), "--started", str(started)],
                check=True,
            )


if __name__ == "__main__":
    main()
