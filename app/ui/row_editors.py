"""An editor for a list of labelled values (emails, phones, addresses, URLs, events, custom).

Each row has a label, one or more text parts, buttons to move it up or down or remove it, and
a problem shown beside the value as the user types. It never pops up a dialog. A row reads back
exactly what it was filled with until the user changes it (see `FieldEdit`), and keeps the parts
the user does not type (a phone's E.164 form) while its typed parts are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.field_edit import FieldEdit
from app.ui.theme import mark_problem

Values = dict[str, str]
Check = Callable[[Values], str]
"""Says what is wrong with a row's values, or returns ""."""
CheckRows = Callable[[Sequence[Values]], list[str]]
"""Says what is wrong with each row, given all of them (a label used twice), or "" per row."""


class ValueRow(QWidget):
    """One labelled value.

    Signals:
        committed: editing of one of its fields finished (Enter, focus left, a label chosen).
    """

    committed = Signal()

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
        self.label.setMaximumWidth(116)
        self.label.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.label.activated.connect(lambda _index: self.committed.emit())
        label_line = self.label.lineEdit()
        if label_line is not None:
            label_line.editingFinished.connect(self.committed.emit)
        self._filled: Values = {}
        self.parts: dict[str, FieldEdit] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        for line_no, line in enumerate(lines):
            box = QHBoxLayout()
            for name, hint in line:
                edit = FieldEdit(self)
                edit.committed.connect(self.committed.emit)
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
        mark_problem(self.problem)
        self.problem.setWordWrap(True)
        self.problem.hide()
        grid.addWidget(self.problem, len(lines), 1)
        grid.setColumnStretch(1, 1)
        self.setLayout(grid)

    def values(self) -> Values:
        """The label and parts (see `FieldEdit.value`), with untyped parts while unchanged."""
        typed = {name: edit.value() for name, edit in self.parts.items()}
        label = self.label.currentText()
        out = {
            name: value
            for name, value in self._filled.items()
            if name not in typed and all(typed[p] == self._filled.get(p, "") for p in typed)
        }
        out.update(typed)
        out["label"] = label if label == self._filled.get("label", "") else label.strip()
        return out

    def set_values(self, values: Values) -> None:
        """Fill the row."""
        self._filled = dict(values)
        self.label.setCurrentText(values.get("label", ""))
        if (line := self.label.lineEdit()) is not None:
            line.setCursorPosition(0)  # a long label shows its start, not its end
            line.setToolTip(values.get("label", ""))
        for name, edit in self.parts.items():
            edit.show_value(values.get(name, ""))

    def is_blank(self, *, label_counts: bool = False) -> bool:
        """Whether no part is filled (the label counts only where `label_counts`)."""
        if label_counts and self.label.currentText().strip():
            return False
        return not any(edit.text().strip() for edit in self.parts.values())

    def focus_chain(self) -> list[QWidget]:
        """Its fields and buttons in Tab order."""
        chain: list[QWidget] = [self.label, *self.parts.values()]
        if self.open is not None:
            chain.append(self.open)
        return [*chain, self.up, self.down, self.remove]


class RowListEditor(QWidget):
    """A titled list of ValueRows with an "Add" button.

    Signals:
        edited: the user changed, added, moved or removed a row.
        committed: editing finished in a row, or a row was moved or removed: the time to save.
        rows_changed: rows were added or removed (the form redoes its Tab order).
    """

    edited = Signal()
    committed = Signal()
    rows_changed = Signal()

    def __init__(
        self,
        title: str,
        lines: Sequence[Sequence[tuple[str, str]]],
        *,
        item: str = "",
        labels: Sequence[str] = (),
        check: Check | None = None,
        check_rows: CheckRows | None = None,
        label_counts: bool = False,
        open_action: tuple[str, Callable[[Values], None]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(title.lower())
        self._lines = lines
        self._labels = labels
        self._check = check
        self._check_rows = check_rows
        self._label_counts = label_counts
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
        self.rows_changed.emit()

    def add_row(self, values: Values) -> ValueRow:
        """Append a row with these values."""
        open_text = self._open[0] if self._open else None
        row = ValueRow(self._lines, self._labels, open_text, self)
        row.set_values(values)
        row.label.currentTextChanged.connect(self._changed)
        row.committed.connect(self.committed.emit)
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
        self._validate()
        return row

    def set_values(self, values: Sequence[Values]) -> None:
        """Replace every row (rows already showing these values are left alone)."""
        shown = [r.values() for r in self.rows]
        if len(shown) == len(values) and all(
            _full(v, r) == s for v, r, s in zip(values, self.rows, shown, strict=True)
        ):
            for row, v in zip(self.rows, values, strict=True):
                row.set_values(v)  # the same text: remember it (and untyped parts) afresh
            self._validate()
            return
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        for v in values:
            self.add_row(v)
        self.rows_changed.emit()

    def values(self) -> list[Values]:
        """Every row that is not blank, in order."""
        return [r.values() for r in self._filled_rows()]

    def _filled_rows(self) -> list[ValueRow]:
        return [r for r in self.rows if not r.is_blank(label_counts=self._label_counts)]

    def focus_chain(self) -> list[QWidget]:
        """The rows' fields and buttons, then "Add", in Tab order."""
        return [w for row in self.rows for w in row.focus_chain()] + [self.add_button]

    def move_row(self, row: ValueRow, step: int) -> None:
        """Move a row up (-1) or down (+1)."""
        at = self.rows.index(row)
        to = at + step
        if not 0 <= to < len(self.rows):
            return
        self.rows[at], self.rows[to] = self.rows[to], self.rows[at]
        self._box.removeWidget(row)
        self._box.insertWidget(to, row)
        self._validate()
        self.edited.emit()
        self.rows_changed.emit()
        self.committed.emit()

    def remove_row(self, row: ValueRow) -> None:
        """Remove a row."""
        self.rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._validate()
        self.edited.emit()
        self.rows_changed.emit()
        self.committed.emit()

    def problems(self) -> list[str]:
        """The problems shown, one per row that has one."""
        return [r.problem.text() for r in self.rows if r.problem.text()]

    def _changed(self) -> None:
        self._validate()
        self.edited.emit()

    def _validate(self) -> None:
        filled = self._filled_rows()
        across = self._check_rows([r.values() for r in filled]) if self._check_rows else []
        problems = dict(zip(map(id, filled), across, strict=False))
        for row in self.rows:
            problem = ""
            if row in filled:
                problem = problems.get(id(row), "")
                if not problem and self._check is not None:
                    problem = self._check(row.values())
            row.problem.setText(problem)
            row.problem.setVisible(bool(problem))


def _full(values: Values, row: ValueRow) -> Values:
    return {name: values.get(name, "") for name in row.values()}
