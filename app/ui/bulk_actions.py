"""Actions on the selected contacts: tag, untag, set stage, delete, restore, export.

Each runs as a task on the application's runner (normal priority, on the writer), with its
label, progress and Cancel in the status bar; its ChangeSet is published when it ends.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCompleter, QInputDialog, QLineEdit, QMenu, QMessageBox

from app.core.domain.contact import Stage
from app.core.services.contacts import ChangeSet
from app.core.tasks import TaskControl
from app.ui.segment_model import SegmentEntry
from app.ui.tasks import Priority, Task

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


NAMED = 3
"""Selected contacts the log dialog names (it counts the others)."""


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
        self.log_action = self.menu.addAction("&Log interaction…", self.log_interaction)
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

    def _stage_setter(self, stage: Stage) -> Callable[[], object]:
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

    def selected_ids(self) -> list[int]:
        """The selected ids in list order (from the selection's ranges: a select-all is cheap)."""
        return self._w.list_model.ids_in(self._w.list.table.selectionModel().selection())

    def _ids(self, verb: str = "") -> list[int]:
        """The selected ids; with `verb`, only once the user agreed to act on more than one."""
        ids = self.selected_ids()
        if not ids:
            self._w.show_message("Select contacts first.")
            return []
        if verb and len(ids) > 1 and not self.confirm(verb, len(ids)):
            return []
        return ids

    def log_interaction(self) -> None:
        """Log one call, meeting, ... with every selected contact (one undoable operation)."""
        logger = self._w.detail.logger
        ids = self._ids()
        if logger is None or not ids:
            return
        model = self._w.list_model

        def name(cid: int) -> str:
            row = model.row_of(cid)
            text = model.data(model.index(row, 0)) if row is not None else None
            return str(text) if text else f"contact {cid}"

        # The dialog names the first few and counts the rest: only those are looked up.
        logger.ask([(cid, name(cid) if n < NAMED else "") for n, cid in enumerate(ids)])

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

    def _run(self, label: str, job: Callable[[TaskControl], ChangeSet]) -> Task:
        self._w.detail.flush()  # the card's last edit is saved first, and so comes first
        return self._w.ctx.runner.submit(job, label=label, priority=Priority.NORMAL, publish=True)

    def tag(self, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Task | None:
        """Add and remove tags on the selected contacts."""
        ids = self._ids("Tag" if add else "Untag")
        if not ids:
            return None
        contacts, add, remove = self._w.ctx.contacts, list(add), list(remove)
        verb = "Tag" if add else "Untag"
        return self._run(
            f"{verb} {_contacts(len(ids))}",
            lambda control: with_control(contacts.tag, control, ids, add=add, remove=remove),
        )

    def set_stage(self, stage: Stage | None) -> Task | None:
        """Set the stage of the selected contacts."""
        ids = self._ids("Set the stage of")
        if not ids:
            return None
        contacts = self._w.ctx.contacts
        return self._run(
            f"Set the stage of {_contacts(len(ids))}",
            lambda control: with_control(contacts.set_stage, control, ids, stage),
        )

    def delete(self) -> Task | None:
        """Move the selected contacts to the trash."""
        ids = self._ids("Move to the trash")
        if not ids:
            return None
        contacts = self._w.ctx.contacts
        return self._run(
            f"Move {_contacts(len(ids))} to the trash",
            lambda control: with_control(contacts.delete, control, ids),
        )

    def restore(self) -> Task | None:
        """Take the selected contacts out of the trash."""
        ids = self._ids()
        if not ids:
            return None
        contacts = self._w.ctx.contacts
        return self._run(
            f"Restore {_contacts(len(ids))}",
            lambda control: with_control(contacts.restore_deleted, control, ids),
        )

    def export(self) -> None:
        """Export the selected contacts (a task with progress, once the file is chosen)."""
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
        if self.selected_ids() and (tags := self._ask("Tag contacts")):
            self.tag(add=tags)

    def ask_untag(self) -> None:
        """Ask which tags to remove from the selection."""
        if self.selected_ids() and (tags := self._ask("Untag contacts")):
            self.tag(remove=tags)


def _contacts(n: int) -> str:
    return f"{n:,} contact{'s' if n != 1 else ''}"


def with_control(
    method: Callable[..., ChangeSet], control: TaskControl, *args: Any, **kwargs: Any
) -> ChangeSet:
    """Call a service method with `control=` when it takes one.

    The set-based bulk services take `control` (progress and Cancel); until every one does,
    a method without it runs whole, and Cancel stops it only before it starts.
    """
    if "control" in inspect.signature(method).parameters:
        kwargs["control"] = control
    return method(*args, **kwargs)
