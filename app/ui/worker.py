"""Work off the GUI thread: one single-thread executor per kind of work, results by signal.

All database work goes through one `Worker` (one thread, so writes never race); file parsing
for import previews goes through another so that a long preview does not hold up paging.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Signal

from app.core.errors import UserFacingError
from app.core.logging_setup import log_bug

T = TypeVar("T")


class Worker(QObject):
    """Runs jobs one at a time on its own thread and calls back on the GUI thread.

    Signals:
        failed: a sentence for the user, when a job without an error handler fails.
        idle: no job is waiting or running any more (tests wait on it).
    """

    failed = Signal(str)
    idle = Signal()
    _finished = Signal(object, object, object)

    def __init__(self, name: str = "kith-db", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._pending = 0
        self._closed = False
        # Emitted from the pool's thread: Qt queues the call to this object's (GUI) thread.
        self._finished.connect(self._deliver)

    @property
    def pending(self) -> int:
        """Jobs submitted whose callbacks have not run yet."""
        return self._pending

    def submit(
        self,
        job: Callable[[], T],
        done: Callable[[T], None] | None = None,
        error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run `job` on the worker thread, then `done(result)` or `error(exc)` on this thread."""
        if self._closed:
            return
        self._pending += 1

        def run() -> None:
            try:
                result = job()
            except Exception as exc:
                self._finished.emit(error, None, exc)
                return
            self._finished.emit(done, result, None)

        self._pool.submit(run)

    def _deliver(self, callback: Any, result: Any, exc: Any) -> None:
        self._pending -= 1
        try:
            if exc is None:
                if callback is not None:
                    callback(result)
            elif callback is not None:
                callback(exc)
            else:
                self.report(exc)
        finally:
            if self._pending == 0:
                self.idle.emit()

    def report(self, exc: BaseException) -> None:
        """Tell the user what went wrong: their error as it is, a bug as a bug."""
        if isinstance(exc, UserFacingError):
            self.failed.emit(str(exc))
            return
        # Logged privately (no contact data), and the sentence says where.
        self.failed.emit(log_bug(exc, f"a job on the {self._name} worker"))

    def drain(self) -> None:
        """Run the event loop until every job submitted so far has finished and called back."""
        if self._pending == 0:
            return
        loop = QEventLoop()
        self.idle.connect(loop.quit)
        try:
            if self._pending:
                loop.exec()
        finally:
            self.idle.disconnect(loop.quit)

    def shutdown(self, *, cancel_waiting: bool = False) -> None:
        """Refuse new jobs and wait for the ones submitted (a save is never thrown away).

        Args:
            cancel_waiting: drop jobs that have not started (for reads nobody will look at).
        """
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=cancel_waiting)
