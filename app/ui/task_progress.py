"""The status bar's progress display: the running task's label, a bar, and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.ui.tasks import Task, TaskRunner, TaskState


class TaskProgress(QWidget):
    """Shows the labelled task that runs (tasks without a label are too small to show).

    Hidden while no labelled task runs. Cancel asks the task to stop; a task that stops says
    so in the status bar through `told`.

    Signals:
        told: a sentence for the status bar (a task was cancelled).
    """

    told = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._shown: list[Task] = []
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(180)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancel-task")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        runner.started.connect(self._started)
        runner.progress.connect(self._progress)
        runner.finished.connect(self._finished)
        self.hide()

    @property
    def task(self) -> Task | None:
        """The task shown (the oldest labelled task still running)."""
        return self._shown[0] if self._shown else None

    def cancel(self) -> None:
        """Ask the shown task to stop."""
        if self.task is not None:
            self.task.cancel()
            self.label.setText(f"Cancelling: {self.task.label}…")
            self.cancel_button.setEnabled(False)

    def _started(self, task: Task) -> None:
        if not task.label:
            return
        self._shown.append(task)
        if len(self._shown) == 1:
            self._show(task)

    def _show(self, task: Task) -> None:
        self.label.setText(f"{task.label}…")
        done, total = task.progress
        self.bar.setRange(0, total)  # 0, 0: busy, with no known end
        self.bar.setValue(min(done, total))
        self.cancel_button.setEnabled(not task.control.cancelled)
        self.show()

    def _progress(self, task: Task, done: int, total: int) -> None:
        if task is self.task:
            if self.bar.maximum() != total:
                self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def _finished(self, task: Task) -> None:
        if task not in self._shown:
            return
        self._shown.remove(task)
        if task.state is TaskState.CANCELLED:
            self.told.emit(f"Cancelled: {task.label}. Nothing was changed.")
        if self._shown:
            self._show(self._shown[0])
        else:
            self.hide()
