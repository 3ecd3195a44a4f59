"""Log a call, email, meeting, message or note with one or several contacts ("Log…")."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import Clock
from app.core.errors import UserFacingError
from app.core.services.contacts import ChangeSet
from app.ui.changes import ChangeHub
from app.ui.theme import mark_problem
from app.ui.worker import Worker

LogInteraction = Callable[[Sequence[int], Any, str, datetime], ChangeSet]
"""Logs one interaction (kind, summary, when) with these contacts, as one undoable operation
(the interaction service's `log`)."""


class LogDialog(QDialog):
    """Asks what kind of interaction, when, and what it was about.

    Args:
        names: who it was with (shown, not edited).
        kinds: the kinds of interaction (the interaction service's enum members).
        now: the current time; the default "when" and the latest one allowed.
    """

    def __init__(
        self,
        names: Sequence[str],
        kinds: Sequence[enum.Enum],
        now: datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Log an interaction")
        self.setObjectName("log-interaction")
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        self.who = QLabel(shown, self)
        self.kind = QComboBox(self)
        # Qt would keep a str enum as a plain str: the combo holds titles, the list the members.
        self._kinds = list(kinds)
        for kind in kinds:
            self.kind.addItem(str(kind.value).capitalize())
        local = QDateTime.fromSecsSinceEpoch(int(now.timestamp()))  # shown in local time
        self.when = QDateTimeEdit(local, self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setMaximumDateTime(local)
        self.summary = QLineEdit(self)
        self.summary.setPlaceholderText("What it was about")
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        mark_problem(self.problem)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("With", self.who)
        form.addRow("Kind", self.kind)
        form.addRow("When", self.when)
        form.addRow("About", self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.summary.setFocus()

    def values(self) -> tuple[enum.Enum, datetime, str]:
        """The kind, the time (aware, in the machine's zone) and the summary."""
        when = self.when.dateTime().toPython()
        assert isinstance(when, datetime)
        kind = self._kinds[max(0, self.kind.currentIndex())]
        return kind, when.astimezone(), self.summary.text().strip()

    def choose_kind(self, kind: enum.Enum) -> None:
        """Choose this kind."""
        self.kind.setCurrentIndex(self._kinds.index(kind))

    def show_problem(self, text: str) -> None:
        """Say why the interaction could not be logged (the dialog stays open)."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


class InteractionLogger:
    """Asks with a `LogDialog`, logs on the worker, and publishes what changed.

    A problem the user can fix (a time in the future, a summary too long) is shown in the
    dialog, which stays open; anything else is reported as a bug.
    """

    def __init__(
        self,
        parent: QWidget,
        worker: Worker,
        hub: ChangeHub,
        log: LogInteraction,
        *,
        kinds: Sequence[enum.Enum],
        clock: Clock,
    ) -> None:
        self._parent, self._worker, self._hub, self._log = parent, worker, hub, log
        self._kinds = list(kinds)
        self._clock = clock
        self.dialog: LogDialog | None = None

    def ask(self, contacts: Sequence[tuple[int, str]]) -> LogDialog:
        """Open the dialog for these (id, name) contacts; OK logs it with all of them."""
        ids = [cid for cid, _name in contacts]
        dialog = self.dialog = LogDialog(
            [name for _cid, name in contacts], self._kinds, self._clock.now(), self._parent
        )
        log = self._log
        open_to_save(
            dialog,
            self._worker,
            self._hub,
            lambda kind, at, summary: log(ids, kind, summary, at),
            self._closed,
        )
        return dialog

    def _closed(self) -> None:
        self.dialog = None


Save = Callable[[enum.Enum, datetime, str], ChangeSet]
"""What OK does with the dialog's kind, time and summary (on the worker)."""


def open_to_save(
    dialog: LogDialog, worker: Worker, hub: ChangeHub, save: Save, closed: Callable[[], None]
) -> None:
    """Open `dialog`; its OK runs `save(kind, when, summary)` on the worker.

    Then the dialog closes and what changed is published (the card reads the contact again,
    timeline and all); or it stays open with a problem the user can fix; or it closes and a
    bug is reported. `closed` is called when the dialog is gone, however it ended.
    """

    def failed(exc: Exception) -> None:
        if isinstance(exc, UserFacingError):
            dialog.show_problem(str(exc))
            return
        dialog.reject()
        worker.report(exc)

    def done(change: ChangeSet) -> None:
        dialog.accept()
        hub.publish(change)

    def accept() -> None:
        kind, at, summary = dialog.values()
        worker.submit(lambda: save(kind, at, summary), done, failed)

    dialog.buttons.accepted.disconnect()
    dialog.buttons.accepted.connect(accept)
    dialog.finished.connect(closed)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
