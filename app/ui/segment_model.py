"""The segment pane's item model: built-in segments, tags, stages, smart segments, imports.

Entries and their counts are built on the runner's read lane (`build_entries`; after a change
`recount_entries` counts only the segments the ChangeSet names) and handed to the model in one
piece; headings are rows that cannot be selected.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.core.services.contacts import ContactService
from app.core.services.queries import ListQuery
from app.core.services.segment_catalogue import DUE, list_segments
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
    """Every entry of the pane with its count (runs on the runner's read lane)."""
    tags = contacts.tag_counts()
    entries = _entries_without_counts(tags, segments.smart_segments(), segments)
    return _counted(entries, segments, tags, {}, frozenset())


def recount_entries(
    contacts: ContactService,
    segments: SegmentService,
    shown: Sequence[SegmentEntry],
    keys: frozenset[str],
) -> list[SegmentEntry]:
    """The entries `shown`, with only the segments `keys` names counted again.

    A key of a tag or an import may add or remove a line (a new tag, an undone import): then the
    tags and imports are read again, and a line that is new is counted too; "due" makes the lines
    again too. Every other line
    keeps the count it has.
    """
    tags: list[tuple[str, int]] | None = None
    entries: Sequence[SegmentEntry] = shown
    if any(k.startswith(("tag:", "import:")) for k in keys) or DUE in keys:
        # The Due segment's members are worked out by the reminder service when its line is
        # made (not a SQL rule), so a change that may move them makes the lines again.
        tags = contacts.tag_counts()
        smart = [e.smart for e in shown if e.smart is not None]
        entries = _entries_without_counts(tags, smart, segments)
    old = {e.key: e.count for e in shown if not e.is_heading}
    return _counted(entries, segments, tags, old, keys)


def _counted(
    entries: Sequence[SegmentEntry],
    segments: SegmentService,
    tags: Sequence[tuple[str, int]] | None,
    old: dict[str, int],
    keys: frozenset[str],
) -> list[SegmentEntry]:
    """`entries` with counts: tags from `tags`, the rest counted when named or new, else `old`."""
    tag_count = dict(tags) if tags is not None else {}

    def is_tag(e: SegmentEntry) -> bool:
        return e.key.startswith("tag:") and tags is not None

    recount = [
        e
        for e in entries
        if e.query is not None and not is_tag(e) and (e.key in keys or e.key not in old)
    ]
    queries = [e.query for e in recount if e.query is not None]
    counted = dict(zip([e.key for e in recount], segments.counts(queries), strict=True))
    out = []
    for e in entries:
        if e.query is None:
            out.append(e)
            continue
        if is_tag(e):
            count = tag_count.get(e.title, 0)
        else:
            count = counted[e.key] if e.key in counted else old[e.key]
        out.append(SegmentEntry(e.key, e.title, e.query, count, e.smart))
    return out


class SegmentCounts:
    """The pane's entries with their counts, kept between recounts (on the runner's reader).

    Each recount starts from the entries the last one made, under a lock, and is numbered, so
    that the window shows only the newest result however the threads deliver them.
    """

    def __init__(self, contacts: ContactService, segments: SegmentService) -> None:
        self._contacts = contacts
        self._segments = segments
        self._lock = threading.Lock()
        self._latest: list[SegmentEntry] = []
        self._made = 0

    def count(self, keys: frozenset[str] | None) -> tuple[int, list[SegmentEntry]]:
        """Recount the segments `keys` names (None: build every entry and count it).

        Returns:
            The number of this result (higher is newer) and the entries.
        """
        with self._lock:
            if keys is None or not self._latest:
                entries = build_entries(self._contacts, self._segments)
            else:
                entries = recount_entries(self._contacts, self._segments, self._latest, keys)
            self._latest = entries
            self._made += 1
            return self._made, entries


class SegmentModel(QAbstractListModel):
    """The entries of the segment pane.

    A line may show another number than its contacts (`set_count`): Duplicates shows its
    groups once a scan has found them; recounts of the entries keep that number.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[SegmentEntry] = []
        self._counts: dict[str, tuple[int, str]] = {}

    def set_count(self, key: str, count: int | None, tip: str = "") -> None:
        """Show `count` beside the line `key`, with `tip` as its tooltip (None: its contacts)."""
        if count is None:
            changed = self._counts.pop(key, None) is not None
        else:
            changed = self._counts.get(key) != (count, tip)
            self._counts[key] = (count, tip)
        row = self.row_of(key)
        if changed and row is not None:
            self.dataChanged.emit(self.index(row), self.index(row))

    def set_entries(self, entries: list[SegmentEntry]) -> None:
        """Show these entries; when only the counts changed, the selection stays put."""
        if [e.key for e in entries] == [e.key for e in self._entries]:
            before, self._entries = self._entries, entries
            for row, (old, new) in enumerate(zip(before, entries, strict=True)):
                if old != new:
                    self.dataChanged.emit(self.index(row), self.index(row))
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
        shown = self._counts.get(e.key)
        if role == Qt.ItemDataRole.ToolTipRole and not e.is_heading:
            if shown is not None:
                return f"{e.title}: {shown[1]}"
            return f"{e.title}: {e.count:,} contact{'s' if e.count != 1 else ''}"
        if role == SegmentRole.KEY:
            return e.key
        if role == SegmentRole.COUNT:
            if e.is_heading:
                return None
            return e.count if shown is None else shown[0]
        if role == Qt.ItemDataRole.FontRole and e.is_heading:
            font = QFont()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 0.9)
            return font
        return None
