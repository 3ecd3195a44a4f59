"""Responsiveness benchmark: a bulk tag of every contact, and its undo, through the real window.

Opens the window offscreen on a generated address book (bench_store's generator), selects all
the rows as a user would (Ctrl+A), tags them through the window's own path (the Contacts menu's
action, as a task on the runner), then undoes it (Ctrl+Z). While each runs, a QTimer fires every
5 ms on the GUI thread and the gaps between its ticks are kept: the longest gap is the longest
the event loop stalled (the goal is under 50 ms). Prints, for each: the task's time (submit to
its ChangeSet published), the time until the panes settled (list and segment counts re-read),
the longest stall, the 99th percentile gap and the number of gaps over 50 ms; and first the
same meter for 10 s with no task running, since other programs on the machine stall it too.
Figures are printed, never asserted.

Run: .venv/bin/python bench/bench_responsive.py [--size 100000] [--keep /tmp/kith-resp.db]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_window import KEY, build

TICK_MS = 5
STALL_MS = 50


class StallMeter:
    """Ticks every TICK_MS on the GUI thread and keeps the gaps between ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer  # noqa: PLC0415

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        """Forget earlier gaps and start ticking."""
        self.gaps = []
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        """Stop ticking (the gap up to now counts)."""
        self._tick()
        self._timer.stop()


def _gaps(meter: StallMeter) -> str:
    gaps = sorted(meter.gaps)
    p99 = statistics.quantiles(gaps, n=100)[-1] if len(gaps) > 1 else gaps[0]
    over = sum(g > STALL_MS for g in gaps)
    return (
        f"longest stall {gaps[-1]:6.1f} ms, p99 gap {p99:5.1f} ms, "
        f"{over} gaps over {STALL_MS} ms ({len(gaps)} ticks)"
    )


def baseline(window: object, seconds: float) -> None:
    """The same meter with no task running: what the machine's load alone costs."""
    from app.ui.main_window import MainWindow  # noqa: PLC0415

    assert isinstance(window, MainWindow)
    meter = StallMeter()
    meter.start()
    end = time.perf_counter() + seconds
    window.ctx.runner.wait(lambda: time.perf_counter() >= end)
    meter.stop()
    print(f"{'idle (baseline)':<22} {seconds:.0f} s with no task; {_gaps(meter)}")


def measure(name: str, window: object, act: Callable[[], object]) -> None:
    """Run `act` (which starts a task), then the event loop until the panes settled."""
    from app.ui.main_window import MainWindow  # noqa: PLC0415

    assert isinstance(window, MainWindow)
    runner = window.ctx.runner
    meter = StallMeter()
    published: list[float] = []
    window.ctx.hub.changed.connect(lambda _c: published.append(time.perf_counter()))
    meter.start()
    start = time.perf_counter()
    act()
    runner.wait(lambda: bool(published))
    runner.wait(lambda: runner.pending == 0 and not window.recount_due)
    settled = time.perf_counter()
    meter.stop()
    print(
        f"{name:<22} task {(published[0] - start):6.2f} s, panes settled "
        f"{settled - start:6.2f} s; {_gaps(meter)}"
    )


def open_window(path: Path) -> tuple[Any, Any, Any]:
    """The application (as `kith` runs it), its window on `path` shown and settled, and the
    QApplication: what every responsiveness benchmark starts from."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from app.core.storage.database import Database  # noqa: PLC0415
    from app.core.storage.engine import DatabaseKey  # noqa: PLC0415
    from app.ui.app import KithApp  # noqa: PLC0415

    app = QApplication([])
    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    db = Database.open(path, DatabaseKey(raw=KEY))
    kith = KithApp(db, settings, region="GB", freeze_heap=True)
    window = kith.open_window()
    window.resize(1300, 820)
    window.show()
    runner = window.ctx.runner
    runner.wait(lambda: window.list_model.complete and window.segment_model.rowCount() > 0)
    runner.wait(lambda: runner.pending == 0 and not window.recount_due)
    return app, kith, window


def run(path: Path) -> None:
    """Open the window on `path`, then tag everything and undo it."""
    app, kith, window = open_window(path)
    window.bulk.confirm = lambda verb, count: True  # type: ignore[method-assign]
    window.list.table.setFocus()
    window.list.table.selectAll()  # Ctrl+A
    count = len(window.bulk.selected_ids())
    print(f"{count:,} contacts selected")
    baseline(window, 10)
    tag = f"bench-{int(time.time())}"
    measure(f"tag all ({tag})", window, lambda: window.bulk.tag(add=[tag]))
    measure("undo the tag", window, window.undo)
    kith.quit()
    app.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the database here once and reuse it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.db"
        if not path.exists():
            t = time.perf_counter()
            build(path, args.size)
            print(f"built {args.size:,} contacts in {time.perf_counter() - t:.0f} s")
        run(path)


if __name__ == "__main__":
    main()
