"""Creating, editing and deleting smart segments from the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from app.core.services.segments import SmartSegment
from app.ui.rule_editor import RuleEditor

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class SmartSegmentActions:
    """Opens the rule editor and stores what it gives on the worker."""

    def __init__(self, window: MainWindow) -> None:
        self._w = window
        self.new_action = QAction("New &smart segment…", window)
        self.new_action.triggered.connect(lambda: self.edit(None))
        window.segments.new_smart.connect(lambda: self.edit(None))
        window.segments.edit_smart.connect(self.edit)
        window.segments.delete_smart.connect(self.delete)

    def editor(self, segment: SmartSegment | None) -> RuleEditor:
        """A rule editor for `segment` (None: a new one), with the tags to complete from."""
        tags = [e.title for e in self._w.segment_model.entries if e.key.startswith("tag:")]
        return RuleEditor(segment, tags, self._w)

    def edit(self, segment: SmartSegment | None) -> None:
        """Open the editor; save when the user does."""
        dialog = self.editor(segment)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.save(dialog.segment())

    def save(self, segment: SmartSegment) -> None:
        """Store a segment, then show it."""
        segments = self._w.ctx.segments
        self._w.ctx.worker.submit(lambda: segments.save(segment), self._saved)

    def _saved(self, segment: SmartSegment) -> None:
        self._w.segments.select_key(f"smart:{segment.id}")
        self._w.ctx.hub.segments_changed.emit()

    def delete(self, segment: SmartSegment) -> None:
        """Remove a segment (its contacts stay)."""
        if segment.id is None:
            return
        segment_id = segment.id
        segments = self._w.ctx.segments
        self._w.ctx.worker.submit(
            lambda: segments.delete(segment_id), lambda _: self._w.ctx.hub.segments_changed.emit()
        )
