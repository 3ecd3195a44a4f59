"""The duplicates review's item model: groups of likely duplicates, best first, with reasons.

A scan at 100,000 contacts finds about 5,000 groups, handed over in one piece on the GUI thread:
setting them is one reset, and the view asks only about the rows it shows (its columns and
rows have fixed sizes, see `DuplicatesView`), so nothing walks every group there.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.core.services.dedupe import DuplicateGroup

Index = QModelIndex | QPersistentModelIndex
REMOVE_ONE_BY_ONE = 20
"""Settling more groups than this at once (merge all) resets the model instead."""


class GroupColumn(enum.IntEnum):
    """The columns of the duplicates list."""

    SCORE = 0
    CONTACTS = 1
    REASONS = 2


_HEADERS = {
    GroupColumn.SCORE: "Score",
    GroupColumn.CONTACTS: "Contacts",
    GroupColumn.REASONS: "Why",
}


class DuplicateGroupsModel(QAbstractTableModel):
    """The groups found by the last scan, best first, with the contacts' names."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[DuplicateGroup] = []
        self._names: dict[int, str] = {}
        self._members: set[int] = set()

    def set_groups(self, groups: Sequence[DuplicateGroup], names: dict[int, str]) -> None:
        """Show these groups; `names` gives each contact's display name."""
        self.beginResetModel()
        self._groups = list(groups)
        self._names = names
        self._members = {i for g in self._groups for i in g.ids}
        self.endResetModel()

    @property
    def groups(self) -> Sequence[DuplicateGroup]:
        """The groups shown."""
        return self._groups

    def group(self, row: int) -> DuplicateGroup:
        """The group on `row`."""
        return self._groups[row]

    def holds_any(self, ids: Iterable[int]) -> bool:
        """Whether a group shown holds any of these contacts."""
        return not self._members.isdisjoint(ids)

    def drop_touching(self, ids: Sequence[int]) -> None:
        """Remove the groups that hold any of these contacts (merged or decided)."""
        gone = set(ids)
        rows = [r for r, g in enumerate(self._groups) if not gone.isdisjoint(g.ids)]
        if len(rows) > REMOVE_ONE_BY_ONE:  # a row at a time would move the rest each time
            kept = [g for g in self._groups if gone.isdisjoint(g.ids)]
            self.set_groups(kept, self._names)
            return
        for row in reversed(rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            self._members.difference_update(self._groups[row].ids)
            del self._groups[row]
            self.endRemoveRows()

    def names(self, group: DuplicateGroup) -> str:
        """The group's contacts, as "Ann Lee, Anne Lee"."""
        return ", ".join(self._names.get(i, f"#{i}") for i in group.ids)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._groups)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(GroupColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(GroupColumn):
            return _HEADERS[GroupColumn(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._groups):
            return None
        group = self._groups[index.row()]
        column = GroupColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column is GroupColumn.SCORE:
                return f"{group.score:.2f}"
            if column is GroupColumn.CONTACTS:
                return self.names(group)
            separator = "\n" if role == Qt.ItemDataRole.ToolTipRole else "; "
            return separator.join(group.reasons)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is GroupColumn.SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
