"""The import dialog: a preview of each record, a column map for generic CSV, then one commit.

Reading the file runs on the background worker with progress and Cancel; the commit runs on the
database worker. The GUI thread never parses the file.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.domain.normalise import parse_region
from app.core.errors import UserFacingError
from app.core.formats import FORMATS, csv_headers
from app.core.formats.csv_dialects import KITH_FIELDS
from app.core.logging_setup import log_bug
from app.core.services import importer
from app.core.services.importer import ImportCancelledError, ImportPreview, ImportResult, OnMatch
from app.ui.context import AppContext
from app.ui.preview_model import PreviewColumn, PreviewModel

IGNORE = "(ignore)"


class ImportDialog(QDialog):
    """Preview and commit the import of one file.

    Signals:
        imported: the ImportResult, after the commit.
    """

    imported = Signal(object)
    _progress = Signal(int)

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = path
        self.preview: ImportPreview | None = None
        self._cancel: threading.Event | None = None
        self._generation = 0
        self.setWindowTitle(f"Import {path.name}")
        self.resize(860, 600)
        self.format = QComboBox(self)
        self.format.addItem("Detect", "auto")
        for fmt in FORMATS:
            self.format.addItem(fmt, fmt)
        self.region = QLineEdit(ctx.contacts.region, self)
        self.region.setMaxLength(2)
        self.region.setFixedWidth(50)
        self.on_match = QComboBox(self)
        self.on_match.addItem("Skip contacts that are already here", OnMatch.SKIP)
        self.on_match.addItem("Update them with what the file has", OnMatch.UPDATE)
        self.on_match.addItem("Import them as new contacts", OnMatch.CREATE)
        self.columns = QTableWidget(0, 2, self)
        self.columns.setHorizontalHeaderLabels(["Column in the file", "Kith field"])
        self.columns.horizontalHeader().setStretchLastSection(True)
        self.columns.verticalHeader().hide()
        self.columns.setMaximumHeight(180)
        self.columns.hide()
        self.reread = QPushButton("Read again", self)
        self.reread.clicked.connect(self.start_preview)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.model = PreviewModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(PreviewColumn.LINE, 60)
        self.table.setColumnWidth(PreviewColumn.NAME, 240)
        self.import_button = QPushButton("Import", self)
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.commit)
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        self._progress.connect(self._show_progress)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._layout(close)
        self.start_preview()

    def _layout(self, close: QPushButton) -> None:
        form = QFormLayout()
        top = QHBoxLayout()
        top.addWidget(self.format)
        top.addWidget(QLabel("Phone region", self))
        top.addWidget(self.region)
        top.addWidget(self.reread)
        top.addStretch(1)
        form.addRow("Format", top)
        form.addRow("Matches", self.on_match)
        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.columns)
        layout.addLayout(running)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    # Column map (generic CSV)

    def _format_changed(self) -> None:
        if self.format.currentData() == "csv":
            path = self.path
            self.ctx.background.submit(lambda: csv_headers(path), self._show_headers)
        else:
            self.columns.hide()
        self.start_preview()

    def _show_headers(self, headers: list[str]) -> None:
        self.columns.setRowCount(len(headers))
        for n, header in enumerate(headers):
            self.columns.setCellWidget(n, 0, QLabel(header, self.columns))
            choice = QComboBox(self.columns)
            choice.addItems([IGNORE, *KITH_FIELDS, f"custom:{header}"])
            guess = header.strip().lower().replace(" ", "_")
            choice.setCurrentText(guess if guess in KITH_FIELDS else IGNORE)
            self.columns.setCellWidget(n, 1, choice)
        self.columns.show()

    def column_map(self) -> dict[str, str] | None:
        """The user's column map, when the format is generic CSV."""
        if self.format.currentData() != "csv" or self.columns.isHidden():
            return None
        mapping = {}
        for n in range(self.columns.rowCount()):
            header, choice = self.columns.cellWidget(n, 0), self.columns.cellWidget(n, 1)
            if (
                isinstance(header, QLabel)
                and isinstance(choice, QComboBox)
                and choice.currentText() != IGNORE
            ):
                mapping[header.text()] = choice.currentText()
        return mapping or None

    # Preview

    def start_preview(self) -> None:
        """Read the file (again) on the background worker."""
        self.cancel()
        self._generation += 1
        generation = self._generation
        cancel = self._cancel = threading.Event()
        db, path = self.ctx.db, self.path
        fmt, mapping = str(self.format.currentData()), self.column_map()
        self.import_button.setEnabled(False)
        try:
            region = (
                parse_region(self.region.text())[0]
                if self.region.text().strip()
                else self.ctx.contacts.region
            )
        except UserFacingError as error:
            self.summary.setText(str(error))
            return
        self.progress.show()
        self.cancel_button.show()
        self.summary.setText("Reading…")

        def job() -> ImportPreview:
            return importer.preview(
                db,
                path,
                format=fmt,
                region=region,
                column_map=mapping,
                cancel=cancel,
                progress=self._progress.emit,
            )

        self.ctx.background.submit(
            job, lambda p: self._previewed(generation, p), lambda e: self._failed(generation, e)
        )

    def _show_progress(self, n: int) -> None:
        self.summary.setText(f"Reading… {n:,} records")

    def _previewed(self, generation: int, preview: ImportPreview) -> None:
        if generation != self._generation:
            return
        self.preview = preview
        self._cancel = None
        self.progress.hide()
        self.cancel_button.hide()
        self.model.set_rows(preview.rows)
        self.summary.setText(
            f"{preview.new:,} new, {preview.matches:,} already here, "
            f"{preview.problems:,} with problems ({preview.format})"
        )
        self.import_button.setEnabled(preview.new + preview.matches > 0)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._cancel = None
        self.progress.hide()
        self.cancel_button.hide()
        if isinstance(exc, ImportCancelledError):
            self.summary.setText("Cancelled: nothing was read or stored.")
        elif isinstance(exc, UserFacingError):
            self.summary.setText(str(exc))
        else:
            self.summary.setText(log_bug(exc, "reading a file to import"))

    def cancel(self) -> None:
        """Stop reading the file."""
        if self._cancel is not None:
            self._cancel.set()

    # Commit

    def commit(self) -> None:
        """Store the previewed import on the database worker, as one undoable operation."""
        if self.preview is None:
            return
        plan, db = self.preview, self.ctx.db
        on_match = OnMatch(self.on_match.currentData())
        self.import_button.setEnabled(False)
        self.summary.setText("Importing…")
        self.ctx.worker.submit(
            lambda: importer.commit(db, plan, on_match), self._committed, self._commit_failed
        )

    def _committed(self, result: ImportResult) -> None:
        self.summary.setText(
            f"Imported: {result.created:,} new, {result.updated:,} updated, "
            f"{result.skipped:,} skipped."
        )
        self.ctx.hub.publish(result.change)
        self.imported.emit(result)
        self.accept()

    def _commit_failed(self, exc: Exception) -> None:
        self.summary.setText(f"Nothing was imported: {exc}")
        self.import_button.setEnabled(True)
        if not isinstance(exc, UserFacingError):
            self.ctx.worker.report(exc)

    def reject(self) -> None:
        """Close, cancelling a preview that is still reading."""
        self.cancel()
        super().reject()
