"""The segment pane's item model: built-in segments, tags, stages, smart segments, imports.

Entries and their counts are built on the database worker (`build_entries`) and handed to the
model in one piece; headings are rows that cannot be selected.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.core.services.contacts import ContactService
from app.core.services.queries import ListQuery
from app.core.services.segment_catalogue import list_segments
from app.core.services.segments import (
    Attention,
    SegmentService,
    SmartSegment,
    attention_filter,
)

Index = QModelIndex | QPersistentModelIndex


class SegmentRole(enum.IntEnum):
    """Data roles beyond Qt's own."""

    KEY = Qt.ItemDataRole.UserRole + 1
    COUNT = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True, slots=True)
class SegmentEntry:
    """One line of the segment pane; a heading has no query."""

    key: str
    title: str
    query: ListQuery | None = None
    count: int = 0
    smart: SmartSegment | None = None

    @property
    def is_heading(self) -> bool:
        """Whether this line is a section title."""
        return self.query is None


def _entries_without_counts(
    tags: Sequence[tuple[str, int]], smart: Sequence[SmartSegment], segments: SegmentService
) -> list[SegmentEntry]:
    # The segments are defined in core (the command line exports the same ones).
    listed = list_segments([name for name, _ in tags], smart, segments)
    return [SegmentEntry(s.key, s.title, s.query, smart=s.smart) for s in listed]


def _attention(reason: Attention) -> ListQuery:
    return ListQuery(filter=attention_filter(reason))


def build_entries(contacts: ContactService, segments: SegmentService) -> list[SegmentEntry]:
    """Every entry of the pane with its count (runs on the database worker)."""
    tags = contacts.tag_counts()
    entries = _entries_without_counts(tags, segments.smart_segments(), segments)
    queries = [e.query for e in entries if e.query is not None and not e.key.startswith("tag:")]
    counts = iter(segments.counts(queries))
    tag_count = dict(tags)
    out = []
    for e in entries:
        if e.query is None:
            out.append(e)
        elif e.key.startswith("tag:"):
            out.append(SegmentEntry(e.key, e.title, e.query, tag_count[e.title]))
        else:
            out.append(SegmentEntry(e.key, e.title, e.query, next(counts), e.smart))
    return out


class SegmentModel(QAbstractListModel):
    """The entries of the segment pane."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[SegmentEntry] = []

    def set_entries(self, entries: list[SegmentEntry]) -> None:
        """Show these entries; when only the counts changed, the selection stays put."""
        if [e.key for e in entries] == [e.key for e in self._entries]:
            self._entries = entries
            if entries:
                self.dataChanged.emit(self.index(0), self.index(len(entries) - 1))
            return
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    @property
    def entries(self) -> Sequence[SegmentEntry]:
        """The entries shown."""
        return self._entries

    def entry(self, row: int) -> SegmentEntry:
        """The entry on `row`."""
        return self._entries[row]

    def row_of(self, key: str) -> int | None:
        """The row of the entry with this key, or None."""
        return next((n for n, e in enumerate(self._entries) if e.key == key), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._entries)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._entries[index.row()].is_heading:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        e = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return e.title
        if role == Qt.ItemDataRole.ToolTipRole and not e.is_heading:
            return f"{e.title}: {e.count:,} contact{'s' if e.count != 1 else ''}"
        if role == SegmentRole.KEY:
            return e.key
        if role == SegmentRole.COUNT:
            return None if e.is_heading else e.count
        if role == Qt.ItemDataRole.FontRole and e.is_heading:
            font = QFont()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 0.9)
            return font
        return None
