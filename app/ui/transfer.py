"""Import, export and change passphrase, as the window starts them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app.core.services import exporter
from app.core.services.importer import ImportResult
from app.core.services.session import change_passphrase
from app.ui.import_dialog import ImportDialog
from app.ui.tasks import Lane
from app.ui.unlock_dialog import PassphraseDialog

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

EXPORT_FILTERS = {
    "vCard 3.0 (*.vcf)": "vcard",
    "vCard 4.0 (*.vcf)": "vcard4",
    "Outlook CSV (*.csv)": "outlook-csv",
    "Google CSV (*.csv)": "google-csv",
}
CHANGE_PASSPHRASE = (
    "Choose a new passphrase. Kith re-encrypts your contacts with it; from now on you type it "
    "when Kith starts (any key kept in your keyring for this database is removed)."
)


class Transfer:
    """Starts imports (dialog), exports (worker) and passphrase changes for the window."""

    def __init__(self, window: MainWindow) -> None:
        self._w = window
        self.dialog: ImportDialog | None = None
        self.confirm: QMessageBox | None = None
        """The last export's question of what its format cannot carry."""

    def choose_import(self) -> None:
        """Ctrl+I: pick a file, then preview it."""
        name, _ = QFileDialog.getOpenFileName(
            self._w, "Import contacts", "", "Contacts (*.vcf *.vcard *.csv);;All files (*)"
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> ImportDialog:
        """Open the import dialog on `path` (non-modal; the window stays usable)."""
        self.cancel()
        self.dialog = ImportDialog(self._w.ctx, path, self._w)
        self.dialog.imported.connect(self._imported)
        self.dialog.show()
        return self.dialog

    def _imported(self, result: ImportResult) -> None:
        if result.operation_id is not None:
            self._w.segments.select_key(f"import:{result.operation_id}")
            self._w.refresh_segments()

    def cancel(self) -> None:
        """Stop a preview that is still reading (an import under way runs to its end)."""
        if self.dialog is not None:
            self.dialog.cancel_reading()

    def choose_export(self, ids: Sequence[int] | None = None) -> None:
        """Ctrl+E: export the selection, else the whole list as shown."""
        if ids is None:
            ids = self._w.list.selected_ids() or list(self._w.list_model.ids)
        name, chosen = QFileDialog.getSaveFileName(
            self._w, f"Export {len(ids):,} contacts", "contacts.vcf", ";;".join(EXPORT_FILTERS)
        )
        if name:
            self.export(list(ids), Path(name), EXPORT_FILTERS.get(chosen, "vcard"))

    def export(self, ids: list[int], path: Path, fmt: str) -> None:
        """Say what `fmt` cannot carry of these contacts, ask, then write them to `path`."""
        db = self._w.ctx.db
        self._w.ctx.worker.submit(
            lambda: exporter.carry_report(db, ids, fmt),
            lambda report: self._confirm_export(report, ids, path, fmt),
        )

    def _confirm_export(self, report: str, ids: list[int], path: Path, fmt: str) -> None:
        if not report:
            self._write_export(ids, path, fmt)
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Export contacts",
            f"{report}\n\nWrite {path.name} without them?",
            QMessageBox.StandardButton.Cancel,
            self._w,
        )
        write = box.addButton("Export", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(_: int) -> None:
            if box.clickedButton() is write:
                self._write_export(ids, path, fmt)

        box.finished.connect(answered)
        self.confirm = box
        box.open()  # not exec(): the window and its tray keep running while it asks

    def _write_export(self, ids: list[int], path: Path, fmt: str) -> None:
        db = self._w.ctx.db
        warnings: list[str] = []

        def done(n: int) -> None:
            self._w.show_message(" ".join([f"Exported {n:,} contacts to {path.name}.", *warnings]))

        # A task with progress and Cancel, on the read lane: edits go on while it writes.
        self._w.ctx.runner.submit(
            lambda control: exporter.export(db, ids, fmt, path, warnings, control=control),
            label=f"Export {len(ids):,} contacts",
            lane=Lane.READ,
            done=done,
        )

    def change_passphrase(self) -> None:
        """Ask for a new passphrase and re-encrypt the database with it."""
        dialog = PassphraseDialog(True, CHANGE_PASSPHRASE, "Change passphrase", self._w)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_passphrase(dialog.passphrase())

    def set_passphrase(self, passphrase: str) -> None:
        """Re-encrypt under `passphrase` on the database worker."""
        ctx = self._w.ctx
        ctx.worker.submit(
            lambda: change_passphrase(ctx.db, ctx.key_store, passphrase),
            lambda _: self._w.show_message("The passphrase is changed."),
        )
