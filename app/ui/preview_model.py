"""The import preview's item model: one line per record of the file (new, match or problem)."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.core.services.importer import PreviewRow, Status

Index = QModelIndex | QPersistentModelIndex


class PreviewColumn(enum.IntEnum):
    """The preview table's columns."""

    LINE = 0
    NAME = 1
    STATUS = 2
    DETAIL = 3


_HEADERS = ("Line", "Name", "Status", "Detail")
_COLOURS = {Status.NEW: "#2e7d32", Status.MATCH: "#1565c0", Status.PROBLEM: "#c62828"}


class PreviewModel(QAbstractTableModel):
    """The rows of an ImportPreview."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PreviewRow] = []

    def set_rows(self, rows: list[PreviewRow]) -> None:
        """Show these rows."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(PreviewColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (str(row.line), row.display_name, row.status.value, row.detail)
            return values[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == PreviewColumn.STATUS:
            return QColor(_COLOURS[row.status])
        if role == Qt.ItemDataRole.ToolTipRole and column == PreviewColumn.DETAIL:
            return row.detail or None
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section] if 0 <= section < len(_HEADERS) else None
        return None
