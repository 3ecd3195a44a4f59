"""What a long use case needs from whoever runs it: report progress, notice a cancel.

Core stays free of Qt: a service that can take long accepts a `TaskControl` and calls
`step(done, total)` between chunks; the window's task runner (`app.ui.tasks`) turns those calls
into signals and sets `cancel()` when the user presses Cancel. The command line passes nothing: a
service given `control=None` makes its own `TaskControl()`, which reports to nobody.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field


class Cancelled(Exception):
    """The user cancelled the task; whatever it wrote was rolled back."""


ProgressFn = Callable[[int, int], None]
"""Called with (done, total) as a task advances; total is 0 when unknown."""


@dataclass(slots=True)
class TaskControl:
    """Progress out, cancel in, shared between a task and the thread that watches it.

    Args:
        on_progress: called from the task's thread with (done, total).
    """

    on_progress: ProgressFn | None = None
    _cancelled: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        """Ask the task to stop at its next step (from any thread)."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancel() was asked for."""
        return self._cancelled.is_set()

    def step(self, done: int, total: int = 0) -> None:
        """Report progress, then raise Cancelled if the user asked to stop.

        Raises:
            Cancelled: cancel() was called; the caller's transaction must roll back.
        """
        if self.on_progress is not None:
            self.on_progress(done, total)
        if self._cancelled.is_set():
            raise Cancelled

