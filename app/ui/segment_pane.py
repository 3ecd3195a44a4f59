"""The segment pane (left): a list of segments with their counts, and smart segment actions."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.core.services.segment_catalogue import attention_key
from app.core.services.segments import Attention, SmartSegment
from app.ui.segment_model import SegmentEntry, SegmentModel, SegmentRole

PROBABLE_DUPLICATE = attention_key(Attention.PROBABLE_DUPLICATE)
"""The "Needs attention › Duplicates" line: the window shows the grouped review for it.

Its key is still the probable-duplicate attention key (the contacts that share an email or a
phone, which `kith export --segment` exports); the line is titled "Duplicates".
"""


class CountDelegate(QStyledItemDelegate):
    """Draws an entry's count at the right edge of its line."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        count = index.data(SegmentRole.COUNT)
        if count is None:
            return
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        role = palette.ColorRole.HighlightedText if selected else palette.ColorRole.PlaceholderText
        painter.setPen(palette.color(role))
        rect: QRect = option.rect.adjusted(0, 0, -8, 0)
        painter.drawText(
            rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{count:,}"
        )
        painter.restore()


class SegmentPane(QWidget):
    """Segments on the left; choosing one sets the list's query.

    Signals:
        chosen: the SegmentEntry the user picked.
        new_smart: the user asked for a new smart segment.
        edit_smart: a SmartSegment to edit.
        delete_smart: a SmartSegment to delete.
        review_duplicates: the user asked for the duplicates review from the Duplicates line
            (double-click, or its context menu): the window scans again if contacts changed.
    """

    chosen = Signal(object)
    review_duplicates = Signal()
    new_smart = Signal()
    edit_smart = Signal(object)
    delete_smart = Signal(object)

    def __init__(self, model: SegmentModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = QListView(self)
        self.view.setObjectName("segments")
        self.view.setModel(model)
        self.view.setUniformItemSizes(True)
        self.view.setItemDelegate(CountDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.doubleClicked.connect(self._double_clicked)
        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self._restore)
        self._key = "all"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    @property
    def current_key(self) -> str:
        """The key of the chosen segment."""
        return self._key

    def current_entry(self) -> SegmentEntry | None:
        """The chosen segment, when the model has it."""
        row = self.model.row_of(self._key)
        return None if row is None else self.model.entry(row)

    def select_key(self, key: str) -> None:
        """Choose the segment with this key (e.g. "import:12" after an import)."""
        self._key = key
        row = self.model.row_of(key)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        entry = self.model.entry(current.row())
        if entry.is_heading:
            return
        self._key = entry.key
        self.chosen.emit(entry)

    def _remember(self) -> None:
        self.view.selectionModel().blockSignals(True)

    def _restore(self) -> None:
        # The window compares the chosen entry's query with the list's and updates the list.
        row = self.model.row_of(self._key)
        if row is None:
            self._key, row = "all", self.model.row_of("all")
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row))
        self.view.selectionModel().blockSignals(False)

    def _smart_at(self, index: QModelIndex) -> SmartSegment | None:
        if not index.isValid():
            return None
        return self.model.entry(index.row()).smart

    def _is_duplicates(self, index: QModelIndex) -> bool:
        return index.isValid() and self.model.entry(index.row()).key == PROBABLE_DUPLICATE

    def _double_clicked(self, index: QModelIndex) -> None:
        if self._is_duplicates(index):
            self.review_duplicates.emit()
            return
        smart = self._smart_at(index)
        if smart is not None:
            self.edit_smart.emit(smart)

    def context_menu(self, pos: QPoint) -> QMenu:
        """The menu for the line at `pos` (in the list's viewport), not yet shown."""
        menu = QMenu(self)
        index = self.view.indexAt(pos)
        if self._is_duplicates(index):
            menu.addAction("Review duplicates…", self.review_duplicates.emit)
            menu.addSeparator()
        menu.addAction("New smart segment…", self.new_smart.emit)
        smart = self._smart_at(index)
        if smart is not None:
            menu.addAction("Edit smart segment…", lambda: self.edit_smart.emit(smart))
            menu.addAction("Delete smart segment", lambda: self.delete_smart.emit(smart))
        return menu

    def _menu(self, pos: QPoint) -> None:
        self.context_menu(pos).popup(self.view.viewport().mapToGlobal(pos))
