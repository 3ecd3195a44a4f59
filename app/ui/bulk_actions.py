"""Actions on the selected contacts: tag, untag, set stage, delete, restore, export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCompleter, QInputDialog, QLineEdit, QMenu, QMessageBox

from app.core.domain.contact import Stage
from app.ui.segment_model import SegmentEntry

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class BulkActions:
    """The Contacts menu and the list's context menu, acting on the list's selection."""

    def __init__(self, window: MainWindow) -> None:
        self._w = window
        self._tags: list[str] = []
        self.menu = QMenu("&Contacts", window)
        self.tag_action = self.menu.addAction("&Tag…", self.ask_tag)
        self.untag_action = self.menu.addAction("&Untag…", self.ask_untag)
        stage_menu = self.menu.addMenu("Set &stage")
        stage_menu.addAction("No stage", lambda: self.set_stage(None))
        for stage in Stage:
            stage_menu.addAction(stage.value.capitalize(), self._stage_setter(stage))
        self.menu.addSeparator()
        self.delete_action = QAction("&Delete", window)
        self.delete_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        # Only in the list: Delete in a text field deletes text, not contacts.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete)
        window.list.table.addAction(self.delete_action)
        self.menu.addAction(self.delete_action)
        self.restore_action = self.menu.addAction("&Restore from trash", self.restore)
        self.restore_action.setVisible(False)
        self.menu.addSeparator()
        self.export_action = self.menu.addAction("E&xport selection…", self.export)

    def _stage_setter(self, stage: Stage) -> Callable[[], None]:
        return lambda: self.set_stage(stage)

    def popup(self, pos: QPoint) -> None:
        """The context menu of the list."""
        self.menu.popup(self._w.list.table.viewport().mapToGlobal(pos))

    def set_tag_names(self, names: Sequence[str]) -> None:
        """Tags to complete from."""
        self._tags = list(names)

    def update_for_segment(self, entry: SegmentEntry) -> None:
        """In the trash, offer Restore instead of Delete."""
        trash = entry.key == "trash"
        self.restore_action.setVisible(trash)
        self.delete_action.setVisible(not trash)

    def _ids(self, verb: str = "") -> list[int]:
        """The selected ids; with `verb`, only once the user agreed to act on more than one."""
        ids = self._w.list.selected_ids()
        if not ids:
            self._w.show_message("Select contacts first.")
            return []
        if verb and len(ids) > 1 and not self.confirm(verb, len(ids)):
            return []
        return ids

    def confirm(self, verb: str, count: int) -> bool:
        """Ask before acting on several contacts, saying how many."""
        box = QMessageBox(self._w)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Kith")
        what = f"{verb} {count:,} contacts"
        box.setText(f"{what}?")
        box.setInformativeText("You can take it back with Undo.")
        go = box.addButton(what, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is go

    def _run(self, job: object) -> None:
        self._w.detail.flush()
        self._w.ctx.worker.submit(job, self._w.ctx.hub.publish)  # type: ignore[arg-type]

    def tag(self, add: Sequence[str] = (), remove: Sequence[str] = ()) -> None:
        """Add and remove tags on the selected contacts."""
        ids = self._ids("Tag" if add else "Untag")
        if ids:
            contacts = self._w.ctx.contacts
            self._run(lambda: contacts.tag(ids, add=list(add), remove=list(remove)))

    def set_stage(self, stage: Stage | None) -> None:
        """Set the stage of the selected contacts."""
        ids = self._ids("Set the stage of")
        if ids:
            contacts = self._w.ctx.contacts
            self._run(lambda: contacts.set_stage(ids, stage))

    def delete(self) -> None:
        """Move the selected contacts to the trash."""
        ids = self._ids("Move to the trash")
        if ids:
            contacts = self._w.ctx.contacts
            self._run(lambda: contacts.delete(ids))

    def restore(self) -> None:
        """Take the selected contacts out of the trash."""
        ids = self._ids()
        if ids:
            contacts = self._w.ctx.contacts
            self._run(lambda: contacts.restore_deleted(ids))

    def export(self) -> None:
        """Export the selected contacts."""
        ids = self._ids()
        if ids:
            self._w.transfer.choose_export(ids)

    def _ask(self, title: str) -> list[str]:
        dialog = QInputDialog(self._w)
        dialog.setWindowTitle(title)
        dialog.setLabelText("Tags (comma-separated):")
        line = dialog.findChild(QLineEdit)
        if line is not None:
            completer = QCompleter(self._tags, line)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            line.setCompleter(completer)
        if not dialog.exec():
            return []
        return [t.strip() for t in dialog.textValue().split(",") if t.strip()]

    def ask_tag(self) -> None:
        """Ask which tags to add to the selection."""
        if self._w.list.selected_ids() and (tags := self._ask("Tag contacts")):
            self.tag(add=tags)

    def ask_untag(self) -> None:
        """Ask which tags to remove from the selection."""
        if self._w.list.selected_ids() and (tags := self._ask("Untag contacts")):
            self.tag(remove=tags)
