"""The import dialog: a preview of the file, a column map for generic CSV, then the import.

Both go through `importer.import_file`, the path `kith import` takes: the preview is its dry run
(counts, problems, every match and near match, a bounded sample of the rest) on the background
worker, and the import streams the file into one transaction on the database worker, with
progress and Cancel (which rolls it all back). The GUI thread never parses the file. Each row
that matches or shares something with a stored contact shows it, with the score and reasons,
and offers merge / create / skip; the import applies those choices line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Signal
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
    QStyledItemDelegate,
    QStyleOptionViewItem,
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
from app.core.services.import_preview import PREVIEW_TABLE, ImportPreview
from app.core.services.importer import ImportCancelledError, ImportResult, OnMatch
from app.core.tasks import TaskControl
from app.ui.context import AppContext
from app.ui.preview_model import ACTION_WORDS, PreviewColumn, PreviewModel, PreviewRole

IGNORE = "(ignore)"


@dataclass(frozen=True, slots=True)
class ReadWith:
    """How the preview read the file: the import reads it the same way."""

    format: str
    region: str
    column_map: dict[str, str] | None


class ActionDelegate(QStyledItemDelegate):
    """The Action column's editor: a list of the actions the row offers."""

    def createEditor(  # noqa: N802
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = QComboBox(parent)
        for value in index.data(PreviewRole.CHOICES) or []:
            editor.addItem(ACTION_WORDS[OnMatch(value)], value)
        return editor

    def setEditorData(  # noqa: N802
        self, editor: QWidget, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data()))

    def setModelData(  # noqa: N802
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())


class ImportDialog(QDialog):
    """Preview and commit the import of one file.

    Signals:
        imported: the ImportResult, after the commit.
    """

    imported = Signal(object)
    _progress = Signal(int, int)

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = path
        self.preview: ImportPreview | None = None
        self._read_with: ReadWith | None = None
        self._control: TaskControl | None = None
        """The running preview's or import's: Cancel cancels it."""
        self._importing = False
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
        self.on_match.addItem("Merge them, keeping every value of both", OnMatch.MERGE)
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
        self.table.setColumnWidth(PreviewColumn.NAME, 200)
        self.table.setColumnWidth(PreviewColumn.MATCH, 200)
        self.table.setColumnWidth(PreviewColumn.ACTION, 90)
        self.table.setItemDelegateForColumn(PreviewColumn.ACTION, ActionDelegate(self.table))
        self.on_match.currentIndexChanged.connect(
            lambda: self.model.set_match_default(OnMatch(self.on_match.currentData()))
        )
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
        if self._importing:
            return
        self.cancel()
        self._generation += 1
        generation = self._generation
        control = self._control = TaskControl(on_progress=self._progress.emit)
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
        self._running(0)
        self.summary.setText("Reading…")
        read_with = ReadWith(fmt, region, mapping)

        def job() -> ImportPreview:
            # The dry run of the import itself: same reading, same matching, nothing stored.
            plan, _ = importer.import_file(
                db, path, format=fmt, region=region, column_map=mapping, dry_run=True,
                control=control, rows=PREVIEW_TABLE,
            )  # fmt: skip
            return plan

        self.ctx.background.submit(
            job,
            lambda p: self._previewed(generation, p, read_with),
            lambda e: self._failed(generation, e),
        )

    def _running(self, total: int) -> None:
        self.progress.setRange(0, total)  # (0, 0): busy, for a count not known yet
        self.progress.show()
        self.cancel_button.show()

    def _stopped(self) -> None:
        self._control = None
        self.progress.hide()
        self.cancel_button.hide()

    def _show_progress(self, done: int, total: int) -> None:
        if self._importing:
            self.progress.setValue(min(done, total))
            self.summary.setText(f"Importing… {done:,} of {total:,} records")
        else:
            self.summary.setText(f"Reading… {done:,} records")

    def _previewed(self, generation: int, preview: ImportPreview, read_with: ReadWith) -> None:
        if generation != self._generation:
            return
        self.preview = preview
        self._read_with = read_with
        self._stopped()
        self.model.set_rows(preview.rows)
        shown = (
            f" The table shows {len(preview.rows):,} of the {preview.total:,} records: "
            "every one with a problem, and the first of the rest."
            if len(preview.rows) < preview.total
            else ""
        )
        self.summary.setText(
            f"{preview.new:,} new, {preview.matches:,} already here, "
            f"{preview.problems:,} with problems ({preview.format}).{shown}"
        )
        self.import_button.setEnabled(preview.new + preview.matches > 0)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._stopped()
        if isinstance(exc, ImportCancelledError):
            self.summary.setText("Cancelled: nothing was read or stored.")
        elif isinstance(exc, UserFacingError):
            self.summary.setText(str(exc))
        else:
            self.summary.setText(log_bug(exc, "reading a file to import"))

    def cancel(self) -> None:
        """Cancel: stop reading the file, or stop the import (which then stores nothing)."""
        if self._control is not None:
            self._control.cancel()

    def cancel_reading(self) -> None:
        """Stop a preview that is still reading; an import under way runs to its end."""
        if not self._importing:
            self.cancel()

    # Import

    def commit(self) -> None:
        """Import the file as previewed, on the database worker, as one undoable operation.

        The file is read again, as `kith import` reads it: streamed in chunks into one
        transaction, with progress, and Cancel rolls the whole import back.
        """
        if self.preview is None or self._read_with is None or self._importing:
            return
        db, path, read = self.ctx.db, self.path, self._read_with
        on_match = OnMatch(self.on_match.currentData())
        choices = self.model.choices()  # every row shown; the rest follow `on_match`
        expected = self.preview.total
        control = self._control = TaskControl(on_progress=self._progress.emit)
        self._importing = True
        self.import_button.setEnabled(False)
        self.reread.setEnabled(False)
        self._running(expected)
        self.summary.setText("Importing…")

        def job() -> ImportResult | None:
            _, result = importer.import_file(
                db, path, format=read.format, region=read.region, column_map=read.column_map,
                on_match=on_match, control=control, expected=expected, choices=choices,
            )  # fmt: skip
            return result

        self.ctx.worker.submit(job, self._committed, self._commit_failed)

    def _committed(self, result: ImportResult | None) -> None:
        assert result is not None  # not a dry run
        self._importing = False
        self._stopped()
        self.summary.setText(
            f"Imported: {result.created:,} new, {result.updated:,} updated, "
            f"{result.skipped:,} skipped."
        )
        self.ctx.hub.publish(result.change)
        self.imported.emit(result)
        self.accept()

    def _commit_failed(self, exc: Exception) -> None:
        self._importing = False
        self._stopped()
        self.reread.setEnabled(True)
        self.import_button.setEnabled(True)
        if isinstance(exc, ImportCancelledError):
            self.summary.setText("Cancelled: nothing was imported.")
            return
        self.summary.setText(f"Nothing was imported: {exc}")
        if not isinstance(exc, UserFacingError):
            self.ctx.worker.report(exc)

    def reject(self) -> None:
        """Close, cancelling a preview that is still reading (an import runs to its end)."""
        self.cancel_reading()
        super().reject()
