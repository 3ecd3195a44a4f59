"""An editor for a list of labelled values (emails, phones, addresses, URLs, events, custom).

Each row has a label, one or more text parts, buttons to move it up or down or remove it, and
a problem shown beside the value as the user types. It never pops up a dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

Values = dict[str, str]
Check = Callable[[Values], str]
"""Says what is wrong with a row's values, or returns ""."""
PROBLEM_STYLE = "color: #c0392b"


class ValueRow(QWidget):
    """One labelled value."""

    def __init__(
        self,
        lines: Sequence[Sequence[tuple[str, str]]],
        labels: Sequence[str],
        open_text: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.label = QComboBox(self)
        self.label.setEditable(True)
        self.label.addItems(list(labels))
        self.label.setCurrentText("")
        self.label.setMinimumContentsLength(6)
        self.label.setMaximumWidth(92)
        self.label.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.parts: dict[str, QLineEdit] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        for line_no, line in enumerate(lines):
            box = QHBoxLayout()
            for name, hint in line:
                edit = QLineEdit(self)
                edit.setPlaceholderText(hint)
                edit.setObjectName(name)
                self.parts[name] = edit
                box.addWidget(edit)
            grid.addLayout(box, line_no, 1)
        grid.addWidget(self.label, 0, 0)
        buttons = QHBoxLayout()
        buttons.setSpacing(0)
        self.open = QToolButton(self) if open_text else None
        if self.open is not None:
            self.open.setText(open_text or "")
            self.open.setToolTip(f"{open_text} with the desktop's application")
            buttons.addWidget(self.open)
        self.up = QToolButton(self)
        self.up.setText("↑")
        self.up.setToolTip("Move up")
        self.down = QToolButton(self)
        self.down.setText("↓")
        self.down.setToolTip("Move down")
        self.remove = QToolButton(self)
        self.remove.setText("✕")
        self.remove.setToolTip("Remove")
        for b in (self.up, self.down, self.remove):
            b.setAutoRaise(True)
            buttons.addWidget(b)
        grid.addLayout(buttons, 0, 2)
        self.problem = QLabel(self)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.setWordWrap(True)
        self.problem.hide()
        grid.addWidget(self.problem, len(lines), 1)
        grid.setColumnStretch(1, 1)
        self.setLayout(grid)

    def values(self) -> Values:
        """The label and parts as typed."""
        out = {name: edit.text().strip() for name, edit in self.parts.items()}
        out["label"] = self.label.currentText().strip()
        return out

    def set_values(self, values: Values) -> None:
        """Fill the row."""
        self.label.setCurrentText(values.get("label", ""))
        for name, edit in self.parts.items():
            edit.setText(values.get(name, ""))
            edit.setCursorPosition(0)  # show the start of a long address, not its end

    def is_blank(self) -> bool:
        """Whether no part is filled (the label alone does not count)."""
        return not any(edit.text().strip() for edit in self.parts.values())


class RowListEditor(QWidget):
    """A titled list of ValueRows with an "Add" button.

    Signals:
        edited: the user changed, added, moved or removed a row.
    """

    edited = Signal()

    def __init__(
        self,
        title: str,
        lines: Sequence[Sequence[tuple[str, str]]],
        *,
        item: str = "",
        labels: Sequence[str] = (),
        check: Check | None = None,
        open_action: tuple[str, Callable[[Values], None]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(title.lower())
        self._lines = lines
        self._labels = labels
        self._check = check
        self._open = open_action
        self.rows: list[ValueRow] = []
        self._box = QVBoxLayout()
        self._box.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(f"Add {item or title.lower().rstrip('s')}", self)
        self.add_button.setFlat(True)
        self.add_button.clicked.connect(self._add_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._box)
        layout.addWidget(self.add_button)

    def _add_clicked(self) -> None:
        row = self.add_row({})
        next(iter(row.parts.values())).setFocus()
        self.edited.emit()

    def add_row(self, values: Values) -> ValueRow:
        """Append a row with these values."""
        open_text = self._open[0] if self._open else None
        row = ValueRow(self._lines, self._labels, open_text, self)
        row.set_values(values)
        row.label.currentTextChanged.connect(self._changed)
        for edit in row.parts.values():
            edit.textChanged.connect(self._changed)
        row.up.clicked.connect(lambda: self.move_row(row, -1))
        row.down.clicked.connect(lambda: self.move_row(row, 1))
        row.remove.clicked.connect(lambda: self.remove_row(row))
        if row.open is not None and self._open is not None:
            action = self._open[1]
            row.open.clicked.connect(lambda: action(row.values()))
        self.rows.append(row)
        self._box.addWidget(row)
        self._validate(row)
        return row

    def set_values(self, values: Sequence[Values]) -> None:
        """Replace every row (rows already showing these values are left alone)."""
        shown = [r.values() for r in self.rows]
        if len(shown) == len(values) and all(
            _full(v, r) == s for v, r, s in zip(values, self.rows, shown, strict=True)
        ):
            return
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        for v in values:
            self.add_row(v)

    def values(self) -> list[Values]:
        """Every row that is not blank, in order."""
        return [r.values() for r in self.rows if not r.is_blank()]

    def move_row(self, row: ValueRow, step: int) -> None:
        """Move a row up (-1) or down (+1)."""
        at = self.rows.index(row)
        to = at + step
        if not 0 <= to < len(self.rows):
            return
        self.rows[at], self.rows[to] = self.rows[to], self.rows[at]
        self._box.removeWidget(row)
        self._box.insertWidget(to, row)
        self.edited.emit()

    def remove_row(self, row: ValueRow) -> None:
        """Remove a row."""
        self.rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self.edited.emit()

    def problems(self) -> list[str]:
        """The problems shown, one per row that has one."""
        return [r.problem.text() for r in self.rows if r.problem.text()]

    def _changed(self) -> None:
        for row in self.rows:
            self._validate(row)
        self.edited.emit()

    def _validate(self, row: ValueRow) -> None:
        problem = "" if self._check is None or row.is_blank() else self._check(row.values())
        row.problem.setText(problem)
        row.problem.setVisible(bool(problem))


def _full(values: Values, row: ValueRow) -> Values:
    return {name: values.get(name, "") for name in row.values()}
