"""The contact list's item model: it holds ids only and pages rows in from the store.

The ids of a query come from SQLite in display order (filtering and sorting never happen in
Python); rows are read in blocks of BLOCK as the view asks for them, on the runner's read lane,
and kept in a small cache. A row not read yet shows a placeholder until its block arrives.
After a change, only the rows it names are read again, unless it may have moved rows
(`apply_change`).
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon

from app.core.services.contacts import ChangeSet, ContactService
from app.core.services.queries import ListQuery, ListRow, within
from app.ui.worker import Worker

BLOCK = 200
CACHE_BLOCKS = 64
LOCAL_LIMIT = 200
"""A change touching more contacts than this reads the ids again instead of checking each."""
PLACEHOLDER = "…"
Index = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    """The list's columns."""

    NAME = 0
    COMPANY = 1
    EMAIL = 2
    PHONE = 3


HEADERS = {
    Column.NAME: "Name",
    Column.COMPANY: "Company",
    Column.EMAIL: "Email",
    Column.PHONE: "Phone",
}


class Role(enum.IntEnum):
    """Data roles beyond Qt's own."""

    ID = Qt.ItemDataRole.UserRole + 1
    FAVOURITE = Qt.ItemDataRole.UserRole + 2


def _text(row: ListRow, column: int) -> str:
    if column == Column.NAME:
        return row.display_name
    if column == Column.COMPANY:
        return row.org
    if column == Column.EMAIL:
        return row.email
    return row.phone


class ContactListModel(QAbstractTableModel):
    """Ids of the contacts a ListQuery selects, with their rows paged in on demand.

    Signals:
        first_rows: the first rows of a new query are shown (the rest may follow).
        loaded: every id of the query is in.
    """

    loaded = Signal()
    first_rows = Signal()

    def __init__(
        self,
        service: ContactService,
        worker: Worker,
        star: QIcon | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._worker = worker
        self._star = star
        self._ids: list[int] = []
        self._rows_of: dict[int, int] | None = None
        self._blocks: OrderedDict[int, list[ListRow]] = OrderedDict()
        self._requested: set[int] = set()
        self._generation = 0
        self._complete = True
        self.query = ListQuery()

    # Loading

    def set_query(self, query: ListQuery) -> None:
        """Show what `query` selects; the ids arrive from the reader in two steps.

        The first BLOCK ids (with their rows) come first, from a LIMIT query that SQLite answers
        by walking an index, and are shown at once (`first_rows`); the rest follow and are
        appended (`loaded`), so that a keystroke never waits for 100,000 sorted ids. The second
        read is asked for once the first is in: the reader has two threads, and the two must
        not overtake each other.
        """
        self.query = query
        self._generation += 1
        generation = self._generation
        service = self._service

        def first() -> tuple[list[int], list[ListRow]] | None:
            if generation != self._generation:
                return None  # typed over by a newer keystroke before it started
            ids = service.ids(query, BLOCK)
            return ids, service.rows(ids)

        self._worker.submit(first, partial(self._apply_first, generation))

    def _read_rest(self, generation: int) -> None:
        service, query = self._service, self.query

        def rest() -> list[int] | None:
            if generation != self._generation:
                return None
            return service.ids(query)

        self._worker.submit(rest, partial(self._apply_rest, generation))

    def refresh(self) -> None:
        """Read the current query again after a change, keeping the rows and their positions."""
        self._generation += 1
        generation = self._generation
        service, query = self._service, self.query

        def job() -> tuple[list[int], list[ListRow]] | None:
            if generation != self._generation:
                return None
            ids = service.ids(query)
            return ids, service.rows(ids[:BLOCK])

        self._worker.submit(job, partial(self._apply, generation))

    def apply_change(self, change: ChangeSet) -> None:
        """Refresh what a change touched: its rows in place, or the ids if rows may move.

        For a few contacts, one query asks where the touched contacts and the neighbours of
        those shown now stand. When that is where the list has them (no contact came into or
        left the list, none moved past a neighbour), only the cached rows of the touched
        contacts are read again; otherwise the ids are read again (`refresh`). A change that
        names no contact but may have changed anything (a restored file) reloads the list.
        """
        touched = set(change.ids)
        if not touched:
            if change.segments is None:
                self.refresh()
            return
        if not self._complete:
            self.set_query(self.query)  # still loading: load again, from the changed store
            return
        if len(touched) > LOCAL_LIMIT:
            self.refresh()
            return
        shown = sorted(row for row in map(self.row_of, touched) if row is not None)
        probe = set(touched)
        for row in shown:
            probe.update(self._ids[max(0, row - 1) : row + 2])
        expected = sorted(
            (cid for cid in probe if self.row_of(cid) is not None),
            key=lambda cid: self.row_of(cid) or 0,
        )
        cached = [self._ids[row] for row in shown if row // BLOCK in self._blocks]
        generation = self._generation
        service, query = self._service, within(self.query, sorted(probe))

        def job() -> list[ListRow] | None:
            if generation != self._generation:
                return None
            if service.ids(query) != expected:
                return None
            return service.rows(cached)

        self._worker.submit(job, partial(self._patch, generation))

    def _patch(self, generation: int, rows: list[ListRow] | None) -> None:
        if generation != self._generation:
            return  # a newer query or refresh is on its way
        if rows is None:
            self.refresh()  # a touched contact came, went or moved: read the ids again
            return
        for new in rows:
            row = self.row_of(new.id)
            block = None if row is None else self._blocks.get(row // BLOCK)
            if row is None or block is None:
                continue
            offset = row - (row // BLOCK) * BLOCK
            if offset < len(block) and block[offset].id == new.id:
                block[offset] = new
            else:
                block[:] = [new if r.id == new.id else r for r in block]
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    @property
    def complete(self) -> bool:
        """Whether every id of the query is in (not only the first BLOCK)."""
        return self._complete

    def _apply_first(self, generation: int, result: tuple[list[int], list[ListRow]] | None) -> None:
        if result is None or generation != self._generation:
            return
        ids, rows = result
        self.beginResetModel()
        self._ids = ids
        self._rows_of = None
        self._blocks.clear()
        self._requested.clear()
        self._blocks[0] = rows
        self._complete = len(ids) < BLOCK
        self.endResetModel()
        self.first_rows.emit()
        if self._complete:
            self.loaded.emit()
        else:
            self._read_rest(generation)

    def _apply_rest(self, generation: int, ids: list[int] | None) -> None:
        if ids is None or generation != self._generation:
            return
        shown = len(self._ids)
        if ids[:shown] != self._ids:
            self._apply(generation, (ids, []))
            return
        if len(ids) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
            self._ids = ids
            self._rows_of = None
            self.endInsertRows()
        self._complete = True
        self.loaded.emit()

    def _apply(self, generation: int, result: tuple[list[int], list[ListRow]] | None) -> None:
        if result is None or generation != self._generation:
            return  # a newer query is on its way
        ids, first = result
        self._complete = True
        self._requested.clear()
        if ids == self._ids:
            # The same rows: the cached ones stay on screen until their fresh copies arrive,
            # instead of blinking to placeholders.
            stale = [b for b in self._blocks if b != 0 or not first]
            if first:
                self._store(generation, 0, first)
            for block in stale:
                self._request(block)
            self.loaded.emit()
            return
        self.beginResetModel()
        self._ids = ids
        self._rows_of = None  # built again when asked (100,000 ids: about 10 ms)
        self._blocks.clear()
        if first:
            self._blocks[0] = first
        self.endResetModel()
        self.loaded.emit()

    def _request(self, block: int) -> None:
        if block in self._requested:
            return
        self._requested.add(block)
        generation = self._generation
        chunk = self._ids[block * BLOCK : (block + 1) * BLOCK]
        service = self._service
        self._worker.submit(lambda: service.rows(chunk), partial(self._store, generation, block))

    def _store(self, generation: int, block: int, rows: list[ListRow]) -> None:
        if generation != self._generation:
            return
        self._requested.discard(block)
        self._blocks[block] = rows
        while len(self._blocks) > CACHE_BLOCKS:
            self._blocks.popitem(last=False)
        first = block * BLOCK
        last = min(first + BLOCK, len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(Column) - 1))

    def _row(self, row: int) -> ListRow | None:
        block = row // BLOCK
        rows = self._blocks.get(block)
        if rows is None:
            self._request(block)
            return None
        self._blocks.move_to_end(block)
        found = rows[row - block * BLOCK] if row - block * BLOCK < len(rows) else None
        # A contact deleted between the ids and the rows read: show it as a blank line.
        if found is None or found.id != self._ids[row]:
            return next((r for r in rows if r.id == self._ids[row]), None)
        return found

    # Ids

    @property
    def ids(self) -> Sequence[int]:
        """The ids shown, in order."""
        return self._ids

    def ids_in(self, selection: QItemSelection) -> list[int]:
        """The ids of the rows a selection covers, in list order, read from its ranges.

        A select-all of 100,000 rows is one range: slicing the ids costs nothing, where
        `selectedRows()` asks the model about every cell (3.5 s at 100,000 rows).
        """
        out: list[int] = []
        end = -1
        for top, bottom in sorted((r.top(), r.bottom()) for r in selection.toList()):
            first = max(top, end + 1)  # ranges may overlap (one per column, say)
            if bottom >= first:
                out.extend(self._ids[first : bottom + 1])
                end = bottom
        return out

    def id_at(self, row: int) -> int:
        """The contact id on `row`."""
        return self._ids[row]

    def row_of(self, contact_id: int) -> int | None:
        """The row showing `contact_id`, or None."""
        if self._rows_of is None:
            self._rows_of = {cid: n for n, cid in enumerate(self._ids)}
        return self._rows_of.get(contact_id)

    # Qt's model interface

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == Role.ID:
            return self._ids[index.row()]
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.DecorationRole,
            Role.FAVOURITE,
        ):
            return None
        row = self._row(index.row())
        if role == Role.FAVOURITE:
            return bool(row and row.favourite)
        if role == Qt.ItemDataRole.DecorationRole:
            if index.column() == Column.NAME and row and row.favourite and self._star:
                return self._star
            return None
        if row is None:
            return PLACEHOLDER if index.column() == Column.NAME else ""
        return _text(row, index.column())

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS.get(Column(section)) if 0 <= section < len(Column) else None
        return None
