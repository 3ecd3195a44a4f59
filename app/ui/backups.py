"""File > Back up… and File > Restore…: the store's backup and restore, as the window runs them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from app.core.services.contacts import ChangeSet
from app.core.services.store import BackupKeyError, back_up, default_backup_path, restore_backup
from app.ui.tasks import Priority
from app.ui.unlock_dialog import PassphraseDialog

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

MADE_UNDER = (
    "{name} was made under another passphrase (before the last change of passphrase). "
    "Type the passphrase it was made under to restore it."
)


class FileChooser:
    """Asks which file to read or write, with Qt's file dialogs (tests give their own answers)."""

    def open_file(self, parent: QWidget, title: str, folder: Path) -> Path | None:
        """A file to read, or None when the user cancels."""
        name, _ = QFileDialog.getOpenFileName(parent, title, str(folder), "All files (*)")
        return Path(name) if name else None

    def save_file(self, parent: QWidget, title: str, suggested: Path) -> Path | None:
        """Where to write, or None when the user cancels."""
        name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), "All files (*)")
        return Path(name) if name else None


class Backups:
    """Backs up (on the writer) and restores (alone, once the readers are done) the database."""

    def __init__(self, window: MainWindow, chooser: FileChooser | None = None) -> None:
        self._w = window
        self.chooser = chooser or FileChooser()

    def choose_backup(self) -> None:
        """File > Back up…: pick where, then write an encrypted backup there."""
        dest = self.chooser.save_file(
            self._w, "Back up your contacts", default_backup_path(self._w.ctx.db.path)
        )
        if dest is not None:
            self.back_up(dest)

    def back_up(self, dest: Path) -> None:
        """Write an encrypted, verified backup of the database to `dest`."""
        db = self._w.ctx.db
        self._w.ctx.worker.submit(
            lambda: back_up(db, dest),
            lambda written: self._w.show_message(f"Backed up to {written}."),
        )

    def choose_restore(self) -> None:
        """File > Restore…: pick a backup, then put its contacts in place of the current ones."""
        source = self.chooser.open_file(
            self._w, "Restore from a backup", self._w.ctx.db.path.parent / "backups"
        )
        if source is not None:
            self.restore(source)

    def restore(self, source: Path, made_under: str | None = None) -> None:
        """Restore `source` over the database; the current state is kept as a backup first.

        The store closes the window's own connections, replaces the file and reopens it; every
        pane then reloads what it shows. Another Kith holding the database makes it refuse,
        with the store's sentence in the status bar.
        """
        ctx = self._w.ctx
        self._w.detail.flush()  # an edit in the card is saved before the file is replaced
        kept = ctx.db.path.parent / "backups"

        def restored(_: None) -> None:
            ctx.hub.publish(
                ChangeSet(f"Restored {source.name}; the previous state is kept in {kept}.")
            )

        def failed(exc: Exception) -> None:
            if isinstance(exc, BackupKeyError) and made_under is None:
                self._ask_made_under(source)
            else:
                ctx.worker.report(exc)

        # Exclusive: the store closes the connections and replaces the file, so no read of the
        # list or the counts may be running on the old one; they wait until it is done.
        ctx.runner.submit(
            lambda _control: restore_backup(ctx.db, source, made_under),
            label=f"Restore {source.name}",
            priority=Priority.HIGH,
            exclusive=True,
            done=restored,
            failed=failed,
        )

    def _ask_made_under(self, source: Path) -> None:
        dialog = PassphraseDialog(
            False, MADE_UNDER.format(name=source.name), "Restore from a backup", self._w
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.restore(source, dialog.passphrase())
