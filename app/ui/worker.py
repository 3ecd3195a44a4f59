"""A simple way onto the task runner for small jobs: `submit(job, done, error)`.

A `Worker` is a view of the application's `TaskRunner` with a fixed lane and priority: the
window's parts that run small jobs (load a card, save it, page the list, count the segments)
hold one and never see the runner's details. A job here takes no arguments; work that reports
progress or can be cancelled goes to `TaskRunner.submit` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from app.core.errors import UserFacingError
from app.core.logging_setup import log_bug
from app.core.tasks import Cancelled
from app.ui.tasks import Lane, Priority, Task, TaskRunner, TaskState, call_back

T = TypeVar("T")


class _Stopped:
    """What a job that raised Cancelled hands back, to reach its caller's `error`."""

    def __init__(self, exc: Cancelled) -> None:
        self.exc = exc


class Worker(QObject):
    """Runs jobs on one lane of a task runner and calls back on the GUI thread.

    Args:
        name: where a failure is said to have happened (in the log's sentence).
        parent: the Qt parent.
        runner: the application's runner; without one the Worker runs its own (tests).
        lane: where its jobs run.
        priority: how urgent its jobs are.

    Signals:
        failed: a sentence for the user, when a job without an error handler fails.
        idle: none of this worker's jobs is waiting or running any more.
    """

    failed = Signal(str)
    idle = Signal()

    def __init__(
        self,
        name: str = "kith-db",
        parent: QObject | None = None,
        *,
        runner: TaskRunner | None = None,
        lane: Lane = Lane.WRITE,
        priority: Priority = Priority.HIGH,
    ) -> None:
        super().__init__(parent)
        self._name = name
        self._owned = runner is None
        self.runner = runner if runner is not None else TaskRunner(parent=self)
        self.lane = lane
        self.priority = priority
        self._pending = 0
        self._tasks: dict[Task, Callable[[Exception], None] | None] = {}
        self.runner.finished.connect(self._ended)

    @property
    def pending(self) -> int:
        """Jobs submitted whose callbacks have not run yet."""
        return self._pending

    def submit(
        self,
        job: Callable[[], T],
        done: Callable[[T], None] | None = None,
        error: Callable[[Exception], None] | None = None,
        *,
        priority: Priority | None = None,
    ) -> Task:
        """Run `job` on the worker's lane, then `done(result)` or `error(exc)` on this thread."""
        self._pending += 1

        def run(_control: object) -> Any:
            try:
                return job()
            except Cancelled as exc:
                # The job watched a TaskControl of its own (a scan's Cancel button): its caller
                # hears of it through `error`, like any other way a job can end early.
                return _Stopped(exc)

        def finished(result: Any) -> None:
            if isinstance(result, _Stopped):
                self._finish(error, result.exc, failed=True)
            else:
                self._finish(done, result)

        task = self.runner.submit(
            run,
            priority=self.priority if priority is None else priority,
            lane=self.lane,
            done=finished,
            failed=lambda exc: self._finish(error, exc, failed=True),
        )
        if self.runner.closed:
            self._pending -= 1
        else:
            self._tasks[task] = error
        return task

    def _ended(self, task: Task) -> None:
        # A task the runner cancelled before it ran (quitting) calls back neither done nor
        # failed: its caller is told through `error`, and the count of pending jobs stays right.
        if task in self._tasks:
            error = self._tasks.pop(task)
            if task.state is TaskState.CANCELLED:
                self._finish(error, Cancelled(), failed=True)

    def _finish(self, callback: Any, value: Any, *, failed: bool = False) -> None:
        self._pending -= 1
        try:
            if callback is not None:
                call_back(callback, value)
            elif failed and not isinstance(value, Cancelled):
                self.report(value)
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

    def shutdown(self) -> None:
        """Stop the runner this Worker made for itself (the application's is not its to stop)."""
        if self._owned:
            self.runner.shutdown()
