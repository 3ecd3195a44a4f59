"""The one signal every change goes through, so that each pane can decide whether it cares."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.core.services.contacts import ChangeSet


class ChangeHub(QObject):
    """Fans out each ChangeSet; panes connect to `changed` and refresh what they show.

    Signals:
        changed: a ChangeSet, after the store has it.
        segments_changed: the saved smart segments changed.
    """

    changed = Signal(object)
    segments_changed = Signal()

    def publish(self, change: ChangeSet | None) -> None:
        """Announce a change (None, from an undo with nothing to undo, is ignored)."""
        if change is not None:
            self.changed.emit(change)
