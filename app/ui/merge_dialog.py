"""The merge dialog: contacts side by side, which value of each field wins, and the result.

One column per contact and one for the result. Each single-valued field that any contact has
filled is a row of radio buttons (one per contact: whose value wins); each multi-valued field
shows every contact's items and, under "Result", their union. The first row chooses which card
stays (its id and UID are kept). The dialog only edits a `MergePlan`; whoever opened it merges
with `plan` once it is accepted.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.domain.contact import Contact, Name
from app.core.domain.dates import PartialDate
from app.core.domain.merge import JOINED_TEXT, MULTI_FIELDS, SINGLE_FIELDS, MergePlan, is_empty

EMPTY = "—"
_TITLES = {
    "formatted_name": "Display name",
    "org": "Organisation",
    "urls": "Websites",
    "custom": "Custom fields",
    "extra_vcard": "Other vCard data",
}
_HIDDEN_ITEM_PARTS = frozenset({"label", "e164"})


def field_title(name: str) -> str:
    """The words a field is shown with ("Display name" for formatted_name)."""
    return _TITLES.get(name, name.replace("_", " ").capitalize())


def value_text(value: Any) -> str:
    """A field's value as one short text (`EMPTY` when not filled)."""
    if isinstance(value, Name):
        return " ".join(p for p in dataclasses.astuple(value) if p) or EMPTY
    if is_empty(value):
        return EMPTY
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, bool):
        return "Yes"
    if isinstance(value, bytes):
        return f"Photo ({max(1, len(value) // 1024)} KB)"
    if hasattr(value, "value") and isinstance(value.value, str):  # an enum such as Stage
        return str(value.value)
    return str(value)


def item_text(item: Any) -> str:
    """One item of a multi-valued field as a line: its parts, then its label in brackets."""
    if isinstance(item, str):
        return item
    if dataclasses.is_dataclass(item):
        parts = [
            value_text(getattr(item, f.name))
            for f in dataclasses.fields(item)
            if f.name not in _HIDDEN_ITEM_PARTS and not is_empty(getattr(item, f.name))
        ]
        label = getattr(item, "label", "")
        text = ", ".join(parts)
        return f"{text} ({label})" if label else text
    return str(item)


def items_text(contact: Contact, name: str) -> str:
    """Every item of a multi-valued (or joined text) field, one a line."""
    value = getattr(contact, name)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {v}" for k, v in value.items()) or EMPTY
    if isinstance(value, str):
        return value.strip() or EMPTY
    return "\n".join(item_text(i) for i in value) or EMPTY


class MergeDialog(QDialog):
    """Choose, field by field, what the merged contact keeps; preview it; Merge or Cancel.

    Args:
        plan: the contacts and the default choices (from `MergeService.plan`).
        parent: the window it belongs to.
    """

    def __init__(self, plan: MergePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Merge {len(plan.contacts)} contacts")
        self._plan = plan
        self._explicit: dict[str, int] = {}
        self.survivor_group = QButtonGroup(self)
        self.field_groups: dict[str, QButtonGroup] = {}
        self.result_labels: dict[str, QLabel] = {}
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(6)
        self._build()
        body = QWidget()
        body.setLayout(self.grid)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.buttons = QDialogButtonBox(self)
        self.merge_button = self.buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel(
            "Choose the value that wins in each row. Every email, phone, address, website, "
            "tag, note and custom field of all the contacts is kept. Undo takes a merge back."
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(min(360 + 230 * len(plan.contacts), 1400), 640)
        self._show_result()

    @property
    def plan(self) -> MergePlan:
        """The plan as the user has chosen it so far."""
        return self._plan

    def result_contact(self) -> Contact:
        """The merged contact the plan gives (the preview)."""
        return self._plan.result()

    # Building

    def _build(self) -> None:
        contacts = self._plan.contacts
        result_column = len(contacts) + 1
        bold = QFont()
        bold.setBold(True)
        for column, contact in enumerate(contacts, start=1):
            head = QLabel(f"{contact.display_name or EMPTY}\n(id {contact.id})")
            head.setFont(bold)
            self.grid.addWidget(head, 0, column)
        result_head = QLabel("Result")
        result_head.setFont(bold)
        self.grid.addWidget(result_head, 0, result_column)
        row = 1
        self.grid.addWidget(QLabel("Keep card"), row, 0)
        for column, contact in enumerate(contacts, start=1):
            button = QRadioButton("keeps its id")
            button.setObjectName(f"keep-{contact.id}")
            button.setChecked(contact.id == self._plan.survivor_id)
            self.survivor_group.addButton(button, int(contact.id or 0))
            self.grid.addWidget(button, row, column)
        self.survivor_group.idClicked.connect(self._survivor_chosen)
        row += 1
        for name in SINGLE_FIELDS:
            values = [getattr(c, name) for c in contacts]
            if all(is_empty(v) for v in values):
                continue  # nothing to choose, and nothing to show
            self._single_row(row, name, contacts)
            row += 1
        for name in (*MULTI_FIELDS, *sorted(JOINED_TEXT)):
            if all(items_text(c, name) == EMPTY for c in contacts):
                continue
            self._items_row(row, name, contacts, result_column)
            row += 1
        self.grid.setRowStretch(row, 1)

    def _title(self, row: int, name: str) -> None:
        title = QLabel(field_title(name))
        title.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.grid.addWidget(title, row, 0)

    def _single_row(self, row: int, name: str, contacts: tuple[Contact, ...]) -> None:
        self._title(row, name)
        group = QButtonGroup(self)
        group.setObjectName(name)
        for column, contact in enumerate(contacts, start=1):
            # "&" would underline the next letter as a shortcut: "Smith & Co" must show as is.
            button = QRadioButton(value_text(getattr(contact, name)).replace("&", "&&"))
            button.setObjectName(f"{name}-{contact.id}")
            button.setChecked(self._plan.choices.get(name) == contact.id)
            group.addButton(button, int(contact.id or 0))
            self.grid.addWidget(button, row, column)
        group.idClicked.connect(lambda contact_id, n=name: self._chosen(n, contact_id))
        self.field_groups[name] = group
        self._result_label(row, name, len(contacts) + 1)

    def _items_row(
        self, row: int, name: str, contacts: tuple[Contact, ...], result_column: int
    ) -> None:
        self._title(row, name)
        for column, contact in enumerate(contacts, start=1):
            cell = QLabel(items_text(contact, name))
            cell.setWordWrap(True)
            cell.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.grid.addWidget(cell, row, column)
        self._result_label(row, name, result_column)

    def _result_label(self, row: int, name: str, column: int) -> None:
        label = QLabel()
        label.setObjectName(f"result-{name}")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        self.grid.addWidget(label, row, column)
        self.result_labels[name] = label

    # Behaviour

    def choose(self, name: str, contact_id: int) -> None:
        """Let contact `contact_id`'s value of field `name` win (as clicking its button does)."""
        group = self.field_groups.get(name)
        button = group.button(contact_id) if group is not None else None
        if button is not None:
            button.setChecked(True)
        self._chosen(name, contact_id)

    def choose_survivor(self, contact_id: int) -> None:
        """Keep contact `contact_id`'s card (as clicking its "keeps its id" button does)."""
        button = self.survivor_group.button(contact_id)
        if button is not None:
            button.setChecked(True)
        self._survivor_chosen(contact_id)

    def _chosen(self, name: str, contact_id: int) -> None:
        self._explicit[name] = contact_id
        self._plan = self._plan.choose(name, contact_id)
        self._show_result()

    def _survivor_chosen(self, contact_id: int) -> None:
        # The defaults follow the card kept; what the user chose stays chosen.
        plan = MergePlan.default(self._plan.contacts, contact_id)
        for name, chosen in self._explicit.items():
            plan = plan.choose(name, chosen)
        self._plan = plan
        for name, group in self.field_groups.items():
            button = group.button(plan.choices[name])
            if button is not None:
                button.setChecked(True)
        self._show_result()

    def _show_result(self) -> None:
        merged = self._plan.result()
        for name, label in self.result_labels.items():
            if name in SINGLE_FIELDS:
                label.setText(value_text(getattr(merged, name)))
            else:
                label.setText(items_text(merged, name))
