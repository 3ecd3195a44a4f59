"""The task runner: every piece of background work, with a priority, progress and Cancel.

One `TaskRunner` belongs to the application object (`app.ui.app.KithApp`), not to a window, so
work and the database connection outlive a closed window. Work runs on lanes of threads:

- `Lane.WRITE`: one thread, the one writer. Every task that writes runs here, so writes never
  race; the card's reads run here too, so that they see the card's own saves in order.
- `Lane.READ`: two threads for reads (paging the list, counts, exports, scans). The second
  takes high-priority work, and short counts only while the first runs long work (a scan, an
  export): a page of the list never waits behind long work, and counts never wait for it.
- `Lane.FILES`: one thread for reading files (import previews), apart from the database work.

Within a lane a task with a higher priority starts first (the order of submission breaks ties):
a user's edit queued behind a scan starts before it. A running task is never interrupted; a
long one calls `TaskControl.step` between chunks, which reports progress and raises `Cancelled`
when the user pressed Cancel (its transaction then rolls back).

Results come back to the GUI thread by a queued signal; a task's callbacks run there. A task
that returns a `ChangeSet` and was submitted with `publish=True` has it published on the hub.
"""

from __future__ import annotations

import enum
import heapq
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

from app.core.errors import UserFacingError
from app.core.logging_setup import log_bug
from app.core.services.contacts import ChangeSet
from app.core.tasks import Cancelled, TaskControl
from app.ui.changes import ChangeHub

PROGRESS_EVERY_S = 0.05
"""Progress reaches the GUI thread at most this often (a chunked task may step far faster)."""

Job = Callable[[TaskControl], Any]
Done = Callable[[Any], None]
Failed = Callable[[Exception], None]


class Priority(enum.IntEnum):
    """How urgent a task is; lower values start first."""

    HIGH = 0
    """What the user is waiting for: an edit, undo, a page of the list, a card."""
    NORMAL = 1
    """Counts, bulk actions, exports."""
    LOW = 2
    """Scans and notifications; cancelled rather than waited for when Kith quits."""


class Lane(enum.Enum):
    """Which threads a task runs on."""

    WRITE = "write"
    READ = "read"
    FILES = "files"


_THREADS = {Lane.WRITE: 1, Lane.READ: 2, Lane.FILES: 1}


class TaskState(enum.Enum):
    """Where a task is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(eq=False)
class Task:
    """One piece of work handed to the runner.

    Attributes:
        label: what the user is told it is ("Tag 1,200 contacts"); empty for small work.
        priority: how urgent it is.
        lane: where it runs.
        exclusive: it needs the database alone (a restore): reads wait for it, it for them.
        control: progress out, cancel in.
        state: queued, running, done, failed or cancelled.
        result: what the job returned (once done).
        error: what it raised (once failed).
    """

    job: Job
    label: str = ""
    priority: Priority = Priority.NORMAL
    lane: Lane = Lane.WRITE
    exclusive: bool = False
    publish: bool = False
    done: Done | None = None
    failed: Failed | None = None
    control: TaskControl = field(default_factory=TaskControl)
    state: TaskState = TaskState.QUEUED
    result: Any = None
    error: Exception | None = None
    progress: tuple[int, int] = (0, 0)
    _last_progress: float = 0.0

    def cancel(self) -> None:
        """Ask the task to stop: a queued one never starts, a running one stops at its next step."""
        self.control.cancel()

    @property
    def finished(self) -> bool:
        """Whether the task has ended (done, failed or cancelled)."""
        return self.state in (TaskState.DONE, TaskState.FAILED, TaskState.CANCELLED)


class TaskRunner(QObject):
    """Runs tasks on lanes of threads by priority, and reports them on the GUI thread.

    Signals:
        started: a Task began to run.
        progress: a Task, done, total (total 0: unknown); at most every PROGRESS_EVERY_S.
        finished: a Task ended (its state says how), after its callbacks ran.
        failed: a sentence for the user, when a task without an error handler fails.
        idle: no task is queued or running any more, and every callback has run.
    """

    started = Signal(object)
    progress = Signal(object, int, int)
    finished = Signal(object)
    failed = Signal(str)
    idle = Signal()
    _started = Signal(object)
    _progressed = Signal(object, int, int)
    _ended = Signal(object)

    def __init__(self, hub: ChangeHub | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hub = hub
        self._cond = threading.Condition()
        self._queues: dict[Lane, list[tuple[int, int, Task]]] = {lane: [] for lane in Lane}
        self._running: dict[Lane, list[Task]] = {lane: [] for lane in Lane}
        self._order = itertools.count()
        self._pending = 0
        self._closed = False
        self._stopping = False
        self._exclusive_waiting = 0
        self._exclusive_running = False
        # Emitted from the lanes' threads: Qt queues each call to this object's (GUI) thread.
        self._started.connect(self._deliver_started)
        self._progressed.connect(self._deliver_progress)
        self._ended.connect(self._deliver)
        self._threads = [
            threading.Thread(target=self._loop, args=(lane, n), name=f"kith-{lane.value}-{n}")
            for lane, count in _THREADS.items()
            for n in range(count)
        ]
        for thread in self._threads:
            # Daemon only as a last resort: quitting waits for writes (see shutdown).
            thread.daemon = True
            thread.start()

    # Submitting

    def submit(
        self,
        job: Job,
        *,
        label: str = "",
        priority: Priority = Priority.NORMAL,
        lane: Lane = Lane.WRITE,
        done: Done | None = None,
        failed: Failed | None = None,
        publish: bool = False,
        exclusive: bool = False,
    ) -> Task:
        """Queue `job(control)`; `done(result)` or `failed(exc)` then run on the GUI thread.

        Args:
            job: the work; it is given the task's TaskControl (pass it to the service).
            label: what to tell the user while it runs (empty: a task too small to show).
            priority: how urgent it is.
            lane: which threads run it (WRITE for anything that writes).
            done: called with the result; a callback of a deleted widget is skipped.
            failed: called with the exception; without it, the user is told (`failed` signal).
            publish: a ChangeSet the job returns is published on the hub.
            exclusive: the task needs the database alone (restore): it waits for running
                reads, and no read starts until it ends.

        Returns:
            The Task, to cancel it or to match it in the runner's signals.
        """
        task = Task(job, label, priority, lane, exclusive, publish, done, failed)
        task.control.on_progress = lambda d, t: self._on_progress(task, d, t)
        if self._closed:
            task.state = TaskState.CANCELLED
            return task
        with self._cond:
            self._pending += 1
            heapq.heappush(self._queues[lane], (int(priority), next(self._order), task))
            if exclusive:
                self._exclusive_waiting += 1
            self._cond.notify_all()
        return task

    @property
    def pending(self) -> int:
        """Tasks submitted whose callbacks have not run yet."""
        return self._pending

    # The lanes' threads

    def _take(self, lane: Lane, thread_no: int) -> Task | None:
        """The next task this thread may start, or None (called with the lock held)."""
        queue = self._queues[lane]
        if not queue:
            return None
        _, _, task = queue[0]
        if lane is Lane.WRITE and task.exclusive:
            reading = any(self._running[other] for other in (Lane.READ, Lane.FILES))
            if reading:
                return None
            self._exclusive_running = True
        elif lane is not Lane.WRITE and (self._exclusive_running or self._exclusive_waiting):
            return None  # a restore is waiting for the readers, or running
        elif thread_no > 0 and not self._second_reader_may_take(task):
            return None
        heapq.heappop(queue)
        return task

    def _second_reader_may_take(self, task: Task) -> bool:
        """The second reader is kept for short work (called with the lock held).

        It takes what the user waits for, and short counts while the first reader is busy with
        long work (a scan, or a labelled task such as an export), so that counts never wait for
        either; it never takes long work itself, so a page of the list never waits long.
        """
        if task.priority is Priority.HIGH:
            return True
        if task.priority is Priority.LOW or task.label:
            return False
        return any(t.priority is Priority.LOW or t.label for t in self._running[Lane.READ])

    def _loop(self, lane: Lane, thread_no: int) -> None:
        while True:
            with self._cond:
                task = self._take(lane, thread_no)
                while task is None:
                    if self._stopping and not self._queues[lane]:
                        return
                    self._cond.wait()
                    task = self._take(lane, thread_no)
                self._running[lane].append(task)
            self._execute(task)
            with self._cond:
                self._running[lane].remove(task)
                if task.exclusive:
                    self._exclusive_running = False
                    self._exclusive_waiting -= 1
                self._cond.notify_all()

    def _execute(self, task: Task) -> None:
        if task.control.cancelled:
            task.state = TaskState.CANCELLED
            self._ended.emit(task)
            return
        task.state = TaskState.RUNNING
        self._started.emit(task)
        try:
            task.result = task.job(task.control)
        except Cancelled:
            task.state = TaskState.CANCELLED
        except Exception as exc:
            task.error = exc
            task.state = TaskState.FAILED
        else:
            task.state = TaskState.DONE
        self._ended.emit(task)

    def _on_progress(self, task: Task, done: int, total: int) -> None:
        # Called on the task's thread; only some of the steps cross to the GUI thread.
        now = time.monotonic()
        if now - task._last_progress >= PROGRESS_EVERY_S or (total and done >= total):
            task._last_progress = now
            task.progress = (done, total)
            self._progressed.emit(task, done, total)

    # The GUI thread

    def _deliver_started(self, task: Task) -> None:
        self.started.emit(task)

    def _deliver_progress(self, task: Task, done: int, total: int) -> None:
        # Queued from the task's thread before its end, so it arrives before `finished`.
        self.progress.emit(task, done, total)

    def _deliver(self, task: Task) -> None:
        try:
            if task.state is TaskState.DONE:
                if task.publish and isinstance(task.result, ChangeSet) and self._hub is not None:
                    self._hub.publish(task.result)
                call_back(task.done, task.result)
            elif task.state is TaskState.FAILED:
                assert task.error is not None
                if task.failed is not None:
                    call_back(task.failed, task.error)
                else:
                    self.report(task.error, task.label or f"a task on the {task.lane.value} lane")
        finally:
            self._pending -= 1
            self.finished.emit(task)
            if self._pending == 0:
                self.idle.emit()

    def report(self, exc: BaseException, where: str = "a background task") -> None:
        """Tell the user what went wrong: their error as it is, a bug as a bug (logged)."""
        if isinstance(exc, UserFacingError):
            self.failed.emit(str(exc))
            return
        # Logged privately (no contact data), and the sentence says where.
        self.failed.emit(log_bug(exc, where))

    # Waiting and quitting

    def busy(self, lanes: frozenset[Lane] | None = None, *, below: Priority | None = None) -> bool:
        """Whether tasks are queued or running on `lanes` (all by default).

        Args:
            lanes: the lanes to look at.
            below: count only tasks more urgent than this priority.
        """
        with self._cond:
            for lane in lanes or frozenset(Lane):
                tasks = self._running[lane] + [t for _, _, t in self._queues[lane]]
                if any(below is None or t.priority < below for t in tasks):
                    return True
        return False

    def wait(self, until: Callable[[], bool] | None = None, timeout_ms: int = 0) -> bool:
        """Run the event loop until `until()` holds (default: nothing pending), or the timeout.

        Returns:
            Whether the condition holds.
        """
        done = until or (lambda: self._pending == 0)
        if done():
            return True
        loop = QEventLoop()
        check = QTimer()
        check.setInterval(10)
        check.timeout.connect(lambda: loop.quit() if done() else None)
        self.finished.connect(loop.quit)
        if timeout_ms:
            QTimer.singleShot(timeout_ms, loop.quit)
        check.start()
        try:
            while not done():
                loop.exec()
                if timeout_ms and not done():
                    break
        finally:
            check.stop()
            self.finished.disconnect(loop.quit)
        return done()

    def shutdown(self) -> None:
        """Refuse new tasks, cancel low-priority and queued reads, finish the writes, stop.

        A queued or running write of normal or high priority (the last edit, a bulk action the
        user asked for) runs to its end: a save is never thrown away. Low-priority tasks (scans)
        are cancelled, and so are queued reads that nobody will look at.
        """
        self._closed = True
        with self._cond:
            for lane in Lane:
                for _, _, task in self._queues[lane]:
                    if lane is not Lane.WRITE or task.priority is Priority.LOW:
                        task.cancel()
                for task in self._running[lane]:
                    if task.priority is Priority.LOW:
                        task.cancel()
            self._stopping = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()

    @property
    def closed(self) -> bool:
        """Whether shutdown() was called."""
        return self._closed


def call_back(callback: Callable[[Any], None] | None, value: Any) -> None:
    """Call back, unless the callback is a method of a Qt object already deleted (a window)."""
    if callback is None:
        return
    owner = getattr(getattr(callback, "func", callback), "__self__", None)  # a partial's too
    if isinstance(owner, QObject) and not shiboken6.isValid(owner):
        return
    callback(value)
