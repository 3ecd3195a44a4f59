"""The import preview's item model: one line per record of the file (new, match or problem).

Each record that is, or shares something with, a stored contact shows that contact, the score
and the reasons in the Match column, and a choice in the Action column: merge into it (keeping
every value), create a new contact, or skip. Probable matches default to merge (or what the
dialog's "Matches" choice says), the rest to create.
"""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.core.services.import_preview import PreviewRow, Status
from app.core.services.importer import OnMatch

Index = QModelIndex | QPersistentModelIndex


class PreviewColumn(enum.IntEnum):
    """The preview table's columns."""

    LINE = 0
    NAME = 1
    STATUS = 2
    MATCH = 3
    ACTION = 4
    DETAIL = 5


class PreviewRole(enum.IntEnum):
    """Data roles beyond Qt's own."""

    CHOICES = Qt.ItemDataRole.UserRole + 1
    """The Action column's options for a row: a list of OnMatch."""


_HEADERS = ("Line", "Name", "Status", "Match", "Action", "Detail")
_COLOURS = {Status.NEW: "#2e7d32", Status.MATCH: "#1565c0", Status.PROBLEM: "#c62828"}
ACTION_WORDS = {
    OnMatch.MERGE: "Merge",
    OnMatch.UPDATE: "Update",
    OnMatch.CREATE: "Create",
    OnMatch.SKIP: "Skip",
}
"""What the Action column says for each choice."""


def match_text(row: PreviewRow) -> str:
    """The Match column: the stored contact and the score, or the earlier record of the file."""
    if row.candidate_id is not None and row.score is not None:
        return f"{row.candidate_name} ({row.score:.0%})"
    if row.file_match is not None:
        twin = row.file_match
        return f"line {twin.line}: {twin.display_name} ({twin.score:.0%})"
    return ""


def match_tooltip(row: PreviewRow) -> str:
    """The reasons, in words, for the Match column's tooltip."""
    said = []
    if row.candidate_id is not None:
        said.append(f"{row.candidate_name}: " + ", ".join(row.reasons))
    if row.file_match is not None:
        twin = row.file_match
        said.append(f"line {twin.line} of this file: " + ", ".join(twin.reasons))
    return "\n".join(said)


class PreviewModel(QAbstractTableModel):
    """The rows of an ImportPreview, and the action chosen for each."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PreviewRow] = []
        self._chosen: dict[int, OnMatch] = {}
        self._match_default = OnMatch.MERGE

    def set_rows(self, rows: list[PreviewRow]) -> None:
        """Show these rows (and forget the choices made for the previous ones)."""
        self.beginResetModel()
        self._rows = rows
        self._chosen = {}
        self.endResetModel()

    def set_match_default(self, choice: OnMatch) -> None:
        """What a probable match does unless its row says otherwise."""
        self._match_default = choice
        if self._rows:
            top = self.index(0, PreviewColumn.ACTION)
            bottom = self.index(len(self._rows) - 1, PreviewColumn.ACTION)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    @staticmethod
    def options(row: PreviewRow) -> list[OnMatch]:
        """The actions a row offers: merge only where there is a contact to merge into."""
        if row.status is Status.PROBLEM:
            return []
        if row.candidate_id is not None:
            return [OnMatch.MERGE, OnMatch.CREATE, OnMatch.SKIP]
        return [OnMatch.CREATE, OnMatch.SKIP]

    def choice(self, n: int) -> OnMatch | None:
        """The action for row `n` (None for a record that could not be read)."""
        row = self._rows[n]
        if row.status is Status.PROBLEM:
            return None
        if row.line in self._chosen:
            return self._chosen[row.line]
        return self._match_default if row.status is Status.MATCH else OnMatch.CREATE

    def choices(self) -> dict[int, OnMatch]:
        """The action of every record shown, by its line (what `import_file` takes)."""
        found = {}
        for n, row in enumerate(self._rows):
            choice = self.choice(n)
            if choice is not None:
                found[row.line] = choice
        return found

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(PreviewColumn)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if (
            index.isValid()
            and index.column() == PreviewColumn.ACTION
            and 0 <= index.row() < len(self._rows)
            and self.options(self._rows[index.row()])
        ):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == PreviewColumn.ACTION:
                choice = self.choice(index.row())
                return "" if choice is None else ACTION_WORDS[choice]
            values = (str(row.line), row.display_name, row.status.value, match_text(row))
            return values[column] if column < len(values) else row.detail
        if role == PreviewRole.CHOICES and column == PreviewColumn.ACTION:
            return [o.value for o in self.options(row)]
        if role == Qt.ItemDataRole.ForegroundRole and column == PreviewColumn.STATUS:
            return QColor(_COLOURS[row.status])
        if role == Qt.ItemDataRole.ToolTipRole and column == PreviewColumn.DETAIL:
            return row.detail or None
        if role == Qt.ItemDataRole.ToolTipRole and column == PreviewColumn.MATCH:
            return match_tooltip(row) or None
        return None

    def setData(  # noqa: N802
        self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        """Choose a row's action: an OnMatch, its value ("merge") or its word ("Merge")."""
        if role != Qt.ItemDataRole.EditRole or index.column() != PreviewColumn.ACTION:
            return False
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        row = self._rows[index.row()]
        words = {w.lower(): c for c, w in ACTION_WORDS.items()}
        text = str(value).lower()
        choice = words.get(text) or next((o for o in OnMatch if o.value == text), None)
        if choice is None or choice not in self.options(row):
            return False
        self._chosen[row.line] = choice
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        return True

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section] if 0 <= section < len(_HEADERS) else None
        return None
