"""The list pane (middle): search as you type, the sort order, and the contact table.

When the table has no rows, an `EmptyState` takes its place and says why, and what to do.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.services.queries import ListQuery, SortOrder
from app.ui.empty_state import Emptiness, EmptyState
from app.ui.field_edit import SearchEdit
from app.ui.list_model import Column, ContactListModel

SORT_CHOICES = {
    "Name": SortOrder.FIRST_LAST,
    "Company": SortOrder.COMPANY,
    "Last contacted": SortOrder.LAST_CONTACTED,
    "Date added": SortOrder.DATE_ADDED,
}
_RESTORE_LIMIT = 2000


class ContactTable(QTableView):
    """The table, with Enter to open the selected contact."""

    activated_current = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated_current.emit()
            return
        super().keyPressEvent(event)


class ListPane(QWidget):
    """Search box, sort order and the contacts of the chosen segment.

    Signals:
        current_changed: the id of the contact under the cursor, or None.
        import_requested: the empty address book's Import button was clicked.
        add_requested: the empty address book's "Add a contact" was clicked.
        open_current: Enter was pressed on a contact, or it was double-clicked (to edit it).
    """

    current_changed = Signal(object)
    open_current = Signal()
    import_requested = Signal()
    add_requested = Signal()

    def __init__(self, model: ContactListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._segment = ListQuery()
        self._family_first = False
        self.search = SearchEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search names, companies, emails, phones, notes, tags")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._new_search)
        self.search.installEventFilter(self)
        self.sort = QComboBox(self)
        self.sort.setObjectName("sort")
        for label, order in SORT_CHOICES.items():
            self.sort.addItem(label, order)
        self.sort.currentIndexChanged.connect(self._update_query)
        self.count = QLabel(self)
        self.table = ContactTable(self)
        self.table.setObjectName("contacts")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.table.verticalHeader()
        rows.hide()
        # A fixed height lets the view place 100,000 rows without measuring any of them.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        columns = self.table.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setStretchLastSection(False)
        # Stretch follows the view's width, not the rows' contents: still no row is measured.
        columns.setSectionResizeMode(Column.EMAIL, QHeaderView.ResizeMode.Stretch)
        columns.resizeSection(Column.NAME, 190)
        columns.resizeSection(Column.COMPANY, 150)
        columns.resizeSection(Column.PHONE, 130)
        self.table.activated_current.connect(self.open_current.emit)
        self.table.doubleClicked.connect(lambda _index: self.open_current.emit())
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        model.modelAboutToBeReset.connect(self._remember_selection)
        model.modelReset.connect(self._restore_selection)
        model.loaded.connect(self._show_count)
        model.loaded.connect(self._drop_current_if_gone)
        model.first_rows.connect(self._show_first_rows)
        self.empty = EmptyState(self)
        self.empty.import_requested.connect(self.import_requested.emit)
        self.empty.add_requested.connect(self.add_requested.emit)
        self.empty.clear_search_requested.connect(self.search.clear)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        model.first_rows.connect(self._show_table_or_empty)
        model.loaded.connect(self._show_table_or_empty)
        self._remembered: list[int] = []
        self._current_id: int | None = None
        self._fresh = False  # a new search or segment: its first rows show from the top
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.count)

    # Query

    def set_segment(self, query: ListQuery) -> None:
        """Show the contacts of a segment (its tag, filter or trash), keeping the search.

        The selection is cleared: a selection is of what the user sees, and rows of the old
        segment left selected would be what Delete sends to the trash.
        """
        self._segment = query
        self._new_search()

    def _new_search(self) -> None:
        self.table.clearSelection()
        self._remembered = []
        self._fresh = True
        self._update_query()

    @property
    def segment(self) -> ListQuery:
        """The chosen segment's query, without search text or order."""
        return self._segment

    def set_family_first(self, family_first: bool) -> None:
        """Sort names as "Last, First" instead of "First Last"."""
        self._family_first = family_first
        self._update_query()

    def set_sort(self, order: SortOrder) -> None:
        """Choose the sort order (name orders both map to "Name")."""
        if order in (SortOrder.FIRST_LAST, SortOrder.LAST_FIRST):
            order = SortOrder.FIRST_LAST
        self.sort.setCurrentIndex(max(0, self.sort.findData(order)))

    def sort_order(self) -> SortOrder:
        """The order the list is in."""
        order = SortOrder(self.sort.currentData())
        if order is SortOrder.FIRST_LAST and self._family_first:
            return SortOrder.LAST_FIRST
        return order

    def query(self) -> ListQuery:
        """The segment's query with the search text and sort order applied."""
        return dataclasses.replace(self._segment, text=self.search.text(), sort=self.sort_order())

    def _update_query(self) -> None:
        self.model.set_query(self.query())

    def _show_first_rows(self) -> None:
        if self._fresh:
            self._fresh = False
            self.table.scrollToTop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Down, Enter or Return in the search box go to the first hit."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.model.rowCount() > 0
        ):
            self.table.setFocus()
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.table.scrollToTop()
            return True
        return super().eventFilter(watched, event)

    def emptiness(self) -> Emptiness | None:
        """Why the list shows no rows (None: it shows some, or they are on their way)."""
        if self.model.rowCount() > 0:
            return None
        query = self.model.query
        if query.text.strip():
            return Emptiness.NO_MATCH
        if dataclasses.replace(query, sort=ListQuery().sort) == ListQuery():
            return Emptiness.NO_CONTACTS
        return Emptiness.EMPTY_SEGMENT

    def _show_table_or_empty(self) -> None:
        kind = self.emptiness()
        if kind is None:
            self.stack.setCurrentWidget(self.table)
            return
        self.empty.show_kind(kind, self.model.query.text)
        self.stack.setCurrentWidget(self.empty)

    def _show_count(self) -> None:
        n = self.model.rowCount()
        self.count.setText(f"{n:,} contact{'s' if n != 1 else ''}")

    # Selection

    def selected_ids(self) -> list[int]:
        """Ids of the selected contacts, in list order."""
        return self.model.ids_in(self.table.selectionModel().selection())

    def current_id(self) -> int | None:
        """The id of the contact under the cursor."""
        return self._current_id

    def select_id(self, contact_id: int) -> bool:
        """Put the cursor on this contact, if the list shows it."""
        row = self.model.row_of(contact_id)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        new = self.model.id_at(current.row()) if current.isValid() else None
        if new != self._current_id:
            self._current_id = new
            self.current_changed.emit(new)

    def _remember_selection(self) -> None:
        self._remembered = self.selected_ids()[:_RESTORE_LIMIT]

    def _restore_selection(self) -> None:
        selection = QItemSelection()
        for cid in self._remembered:
            row = self.model.row_of(cid)
            if row is not None:
                index = self.model.index(row, 0)
                selection.select(index, index)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        model = self.table.selectionModel()
        model.blockSignals(True)
        model.select(selection, flags)
        row = self.model.row_of(self._current_id) if self._current_id is not None else None
        if row is not None:
            model.setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        model.blockSignals(False)

    def _drop_current_if_gone(self) -> None:
        # The card shows only a contact of the list: one that left it (deleted, moved out of
        # the segment, not matching the search) is cleared from the card.
        if self._current_id is not None and self.model.row_of(self._current_id) is None:
            self._current_id = None
            self.current_changed.emit(None)
