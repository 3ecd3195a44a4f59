"""The small editor for a smart segment: a name and rules that must all hold."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.domain.contact import Stage
from app.core.errors import UserFacingError
from app.core.services.segments import NEEDS_VALUE, Rule, RuleKind, SmartSegment, rules_filter
from app.ui.theme import mark_problem

_ANY_DAY = date(2000, 1, 1)
"""A day to build rules with when only their validity is asked."""

_HINTS = {
    RuleKind.TAG_IS: "tag name",
    RuleKind.STAGE_IS: "lead, client, friend…",
    RuleKind.COMPANY_CONTAINS: "part of the company name",
    RuleKind.CITY_IS: "city",
    RuleKind.NOT_CONTACTED_DAYS: "days, e.g. 90",
    RuleKind.ADDED_BY_IMPORT: "import number",
}


class RuleRow(QWidget):
    """One rule: what it tests, its value, and a button that removes it."""

    def __init__(self, rule: Rule, tags: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox(self)
        for kind in RuleKind:
            self.kind.addItem(kind.value, kind)
        self.kind.setCurrentIndex(list(RuleKind).index(rule.kind))
        self.value = QLineEdit(rule.value, self)
        self._tags = list(tags)
        self.remove = QPushButton("Remove", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind, 2)
        layout.addWidget(self.value, 3)
        layout.addWidget(self.remove)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = RuleKind(self.kind.currentData())
        self.value.setEnabled(kind in NEEDS_VALUE)
        self.value.setPlaceholderText(_HINTS.get(kind, ""))
        words = {RuleKind.TAG_IS: self._tags, RuleKind.STAGE_IS: [s.value for s in Stage]}
        completer = QCompleter(words.get(kind, []), self.value)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.value.setCompleter(completer)

    def rule(self) -> Rule:
        """The rule as the row shows it."""
        kind = RuleKind(self.kind.currentData())
        return Rule(kind, self.value.text().strip() if kind in NEEDS_VALUE else "")


class RuleEditor(QDialog):
    """Create or edit a smart segment; problems show in the dialog, never in a popup."""

    def __init__(
        self, segment: SmartSegment | None, tags: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit smart segment" if segment else "New smart segment")
        self.setMinimumWidth(520)
        self._id = segment.id if segment else None
        self._tags = tags
        self.name = QLineEdit(segment.name if segment else "", self)
        self.name.setPlaceholderText("e.g. Clients in Berlin")
        self.rows: list[RuleRow] = []
        self._rows_box = QVBoxLayout()
        self.add_button = QPushButton("Add rule", self)
        self.add_button.clicked.connect(lambda: self.add_rule(Rule(RuleKind.TAG_IS)))
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        mark_problem(self.problem)
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Name", self.name)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Contacts that match all of these rules:", self))
        layout.addLayout(self._rows_box)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        for rule in segment.rules if segment else [Rule(RuleKind.TAG_IS)]:
            self.add_rule(rule)

    def add_rule(self, rule: Rule) -> RuleRow:
        """Add a line for `rule`."""
        row = RuleRow(rule, self._tags, self)
        row.remove.clicked.connect(lambda: self._remove(row))
        self.rows.append(row)
        self._rows_box.addWidget(row)
        return row

    def _remove(self, row: RuleRow) -> None:
        self.rows.remove(row)
        row.setParent(None)
        row.deleteLater()

    def segment(self) -> SmartSegment:
        """The segment as the dialog shows it."""
        return SmartSegment(self.name.text().strip(), [r.rule() for r in self.rows], self._id)

    def problem_text(self) -> str:
        """What is wrong with the segment as it stands, or ""."""
        segment = self.segment()
        if not segment.name:
            return "Give the segment a name."
        try:
            # Only whether the rules can be built is asked here; the day does not change that,
            # so no clock is read (the segment service applies the real day when it runs).
            rules_filter(segment.rules, _ANY_DAY)
        except UserFacingError as exc:
            return str(exc)
        return ""

    def accept(self) -> None:
        """Close only when the segment is valid; otherwise say what to fix."""
        problem = self.problem_text()
        self.problem.setText(problem)
        if not problem:
            super().accept()
