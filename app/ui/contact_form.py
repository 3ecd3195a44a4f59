"""The contact card's fields, built from `form_mapping.FORM_FIELDS`, filled from a Contact and
read back into one.

This is layout and conversion only; `DetailPane` decides when to load and save. No field of the
model is listed by hand here: the widgets are made per field kind, and the tables below only
give titles, hints and order.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.domain.contact import Contact, Name, Stage
from app.core.domain.dates import PartialDate
from app.core.domain.normalise import is_valid_email, phone_problem
from app.ui.avatar import avatar
from app.ui.field_edit import FieldEdit, NotesEdit
from app.ui.form_mapping import (
    FORM_FIELDS,
    NAME_PARTS,
    Kind,
    custom_problems,
    date_problem,
    from_values,
    has_dates,
    parse_tags,
    row_parts,
    row_problem,
    row_type,
    tags_text,
    to_values,
)
from app.ui.links import mailto_url, tel_url
from app.ui.row_editors import RowListEditor, Values
from app.ui.theme import mark_problem

__all__ = ["FIELD_ORDER", "PART_LINES", "ContactForm", "date_problem", "field_title"]

PHOTO_SIZE = 72
_DATE_HINT = "YYYY-MM-DD, or --MM-DD without a year"
_LABELS = ("home", "work", "mobile", "other")
_TITLES = {
    "prefix": "Prefix",
    "given": "First name",
    "middle": "Middle name",
    "family": "Last name",
    "suffix": "Suffix",
    "formatted_name": "Display as",
    "org": "Company",
    "title": "Job title",
    "urls": "Websites",
}
FIELD_ORDER = (
    "name",
    "formatted_name",
    "nickname",
    "org",
    "department",
    "title",
    "birthday",
    "anniversary",
    "tags",
    "emails",
    "phones",
    "addresses",
    "urls",
    "events",
    "custom",
    "notes",
)
"""The order of the card; a field of the model not named here follows at the end."""
_HINTS = {
    "formatted_name": "as the list shows it, if not the name above",
    "tags": "comma-separated, e.g. client, berlin",
    "emails.value": "name@example.org",
    "phones.value": "+49 30 1234567",
    "urls.value": "https://…",
    "events.date": _DATE_HINT,
    "custom.value": "value",
    "addresses.street": "Street",
    "addresses.extended": "Flat, floor, building",
    "addresses.po_box": "PO box",
    "addresses.postal_code": "Postcode",
    "addresses.city": "City",
    "addresses.region": "Region",
    "addresses.country": "Country",
}
PART_LINES = {
    "addresses": (
        ("street",),
        ("extended",),
        ("po_box",),
        ("postal_code", "city"),
        ("region", "country"),
    )
}
"""Parts that share a line; other parts each get a line of their own, in the model's order."""
_ROW_LABELS = {
    "emails": _LABELS,
    "phones": _LABELS,
    "addresses": ("home", "work", "other"),
    "urls": ("web", "work"),
    "events": ("met", "contract ends"),
}


def field_title(name: str) -> str:
    """The title the card gives a field or a part of one ("org" -> "Company")."""
    return _TITLES.get(name, name.replace("_", " ").capitalize())


def _lines(field: str, parts: Sequence[str]) -> list[list[tuple[str, str]]]:
    grouped = PART_LINES.get(field, ())
    lines = [list(group) for group in grouped]
    placed = {p for group in grouped for p in group}
    lines += [[p] for p in parts if p not in placed]
    return [[(p, _HINTS.get(f"{field}.{p}", field_title(p))) for p in line] for line in lines]


class TagCompleter(QCompleter):
    """Completes the last tag of a comma-separated list."""

    def splitPath(self, path: str) -> list[str]:  # noqa: N802
        return [path.rsplit(",", maxsplit=1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        tag = str(super().pathFromIndex(index))
        return f"{typed.rsplit(',', 1)[0]}, {tag}" if "," in typed else tag


class ContactForm(QWidget):
    """Every field of a contact, with problems shown beside the fields as the user types.

    Signals:
        edited: the user changed something (not saved yet).
        committed: the user finished editing a field (Enter, focus left, a choice made).
        link_refused: a sentence, when a stored email or phone cannot be opened safely.
    """

    edited = Signal()
    committed = Signal()
    link_refused = Signal(str)

    def __init__(
        self,
        region: Callable[[], str],
        open_url: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._region = region
        self._open_url = open_url
        self._build_header()
        self.fields: dict[str, FieldEdit] = {}
        self.dates: dict[str, FieldEdit] = {}
        self._date_values: dict[str, PartialDate | None] = {}
        self.date_problems: dict[QWidget, QLabel] = {}
        self.editors: dict[str, RowListEditor] = {}
        self.tags = FieldEdit(self)
        self.notes = NotesEdit(self)
        self._rows: list[tuple[str, QWidget | QVBoxLayout]] = []
        for name in [*FIELD_ORDER, *(n for n in FORM_FIELDS if n not in FIELD_ORDER)]:
            self._build_field(name, FORM_FIELDS[name])
        self.birthday, self.anniversary = self.dates["birthday"], self.dates["anniversary"]
        self.emails, self.phones = self.editors["emails"], self.editors["phones"]
        self.addresses, self.urls = self.editors["addresses"], self.editors["urls"]
        self.events, self.custom = self.editors["events"], self.editors["custom"]
        self._layout()
        self._connect()
        self.update_tab_order()

    # Building

    def _build_header(self) -> None:
        self.photo = QLabel(self)
        self.photo.setFixedSize(PHOTO_SIZE, PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_bytes: bytes | None = None
        self.photo_mime = ""
        self._avatar_name = ""
        self.choose_photo = QPushButton("Photo…", self)
        self.remove_photo = QPushButton("Remove photo", self)
        self.remove_photo.clicked.connect(lambda: self.set_photo(None, "", edited=True))
        self.title_label = QLabel(self)
        self.title_label.setObjectName("title")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.favourite = QCheckBox("Favourite", self)
        self.stage = QComboBox(self)
        self.stage.addItem("No stage", "")
        for s in Stage:
            self.stage.addItem(s.value.capitalize(), s.value)

    def _line(self, name: str) -> FieldEdit:
        edit = FieldEdit(self)
        edit.setObjectName(name)
        if name in _HINTS:
            edit.setPlaceholderText(_HINTS[name])
        return edit

    def _build_field(self, name: str, kind: Kind) -> None:
        if kind is Kind.NAME:
            for part in NAME_PARTS:
                self.fields[part] = self._line(part)
                self._rows.append((field_title(part), self.fields[part]))
        elif kind is Kind.TEXT:
            self.fields[name] = self._line(name)
            self._rows.append((field_title(name), self.fields[name]))
        elif kind is Kind.DATE:
            edit = self.dates[name] = self._line(name)
            edit.setPlaceholderText(_DATE_HINT)
            problem = self.date_problems[edit] = QLabel(self)
            mark_problem(problem)
            problem.hide()
            box = QVBoxLayout()
            box.setSpacing(0)
            box.addWidget(edit)
            box.addWidget(problem)
            self._rows.append((field_title(name), box))
        elif kind is Kind.TAGS:
            self.tags.setObjectName(name)
            self.tags.setPlaceholderText(_HINTS["tags"])
            self.tag_names = QStringListModel(self)
            completer = TagCompleter(self.tag_names, self.tags)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.tags.setCompleter(completer)
            self._rows.append((field_title(name), self.tags))
        elif kind is Kind.ROWS or kind is Kind.CUSTOM:
            self.editors[name] = self._row_editor(name, kind)
            self._rows.append((field_title(name), self.editors[name]))
        elif kind is Kind.LONG_TEXT:
            self.notes.setObjectName(name)
            self.notes.setPlaceholderText(field_title(name))
            self.notes.setMinimumHeight(90)
            self._rows.append((field_title(name), self.notes))
        # PHOTO, STAGE and FLAG live in the header.

    def _row_editor(self, name: str, kind: Kind) -> RowListEditor:
        if kind is Kind.CUSTOM:
            return RowListEditor(
                "Custom fields",
                _lines(name, ["value"]),
                item="field",
                check_rows=custom_problems,
                label_counts=True,
            )
        item_type = row_type(name)
        open_action: tuple[str, Callable[[Values], None]] | None = None
        check: Callable[[Values], str] | None = None
        if name == "emails":
            open_action = ("Write", lambda v: self._open(mailto_url(v["value"]), v["value"]))
            check = lambda v: "" if is_valid_email(v["value"]) else "Not an email address."  # noqa: E731
        elif name == "phones":
            open_action = ("Call", lambda v: self._open(tel_url(v["value"]), v["value"]))
            check = lambda v: phone_problem(v["value"], self._region())  # noqa: E731
        elif has_dates(item_type):
            check = lambda v: row_problem(item_type, v)  # noqa: E731
        editor = RowListEditor(
            field_title(name),
            _lines(name, row_parts(item_type)),
            item="address" if name == "addresses" else "",
            labels=_ROW_LABELS.get(name, ()),
            check=check,
            label_counts=has_dates(item_type),
            open_action=open_action,
        )
        editor.setObjectName(name)
        return editor

    def _open(self, url: str | None, shown: str) -> None:
        if url is None:
            self.link_refused.emit(f"{shown!r} cannot be opened safely: correct it first.")
        else:
            self._open_url(url)

    def _layout(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.photo)
        titles = QVBoxLayout()
        titles.addWidget(self.title_label)
        flags = QHBoxLayout()
        flags.addWidget(self.favourite)
        flags.addWidget(self.stage)
        flags.addStretch(1)
        titles.addLayout(flags)
        header.addLayout(titles, 1)
        photo_buttons = QHBoxLayout()
        photo_buttons.addWidget(self.choose_photo)
        photo_buttons.addWidget(self.remove_photo)
        photo_buttons.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for title, widget in self._rows:
            form.addRow(title, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(photo_buttons)
        layout.addLayout(form)
        layout.addStretch(1)

    def _connect(self) -> None:
        for line in (*self.fields.values(), *self.dates.values(), self.tags):
            line.textChanged.connect(self._changed)
            line.committed.connect(self.committed.emit)
        self.notes.textChanged.connect(self._changed)
        self.notes.committed.connect(self.committed.emit)
        for edit in self.dates.values():
            edit.textChanged.connect(self._check_dates)
        for editor in self.editors.values():
            editor.edited.connect(self._changed)
            editor.committed.connect(self.committed.emit)
            editor.rows_changed.connect(self.update_tab_order)
        for flag in (self.favourite.toggled, self.stage.currentIndexChanged):
            flag.connect(self._changed)
            flag.connect(lambda *_: self.committed.emit())

    def _changed(self, *_: object) -> None:
        self.edited.emit()

    def _check_dates(self) -> None:
        for edit, label in self.date_problems.items():
            assert isinstance(edit, QLineEdit)
            problem = date_problem(edit.text())
            label.setText(problem)
            label.setVisible(bool(problem))

    # Keyboard

    def tab_chain(self) -> list[QWidget]:
        """Every focusable field and button in the card's order."""
        chain: list[QWidget] = [self.favourite, self.stage, self.choose_photo, self.remove_photo]
        for _title_text, widget in self._rows:
            if isinstance(widget, RowListEditor):
                chain += widget.focus_chain()
            elif isinstance(widget, QVBoxLayout):
                chain += [w for w in self.dates.values() if widget.indexOf(w) >= 0]
            else:
                chain.append(widget)
        return chain

    def update_tab_order(self) -> None:
        """Set Tab to follow the card's order (rows made later would otherwise come last)."""
        chain = self.tab_chain()
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # Filling and reading

    def set_tag_names(self, names: Sequence[str]) -> None:
        """The tags to complete from."""
        self.tag_names.setStringList(list(names))

    def set_photo(self, data: bytes | None, mime: str, *, edited: bool = False) -> None:
        """Show a photo (None: no photo)."""
        self.photo_bytes, self.photo_mime = data, mime
        # The same avatar as the read card: the photo in a circle, else the initials on the
        # name's colour.
        self.photo.setPixmap(
            avatar(self._avatar_name, data, PHOTO_SIZE, self.photo.devicePixelRatioF())
        )
        self.remove_photo.setEnabled(data is not None)
        if edited:
            self.edited.emit()
            self.committed.emit()

    def field_problems(self) -> dict[str, str]:
        """Per field of the model, the first problem that stops it being saved."""
        found: dict[str, str] = {}
        for name, edit in self.dates.items():
            if problem := date_problem(edit.text()):
                found[name] = problem
        for name, editor in self.editors.items():
            if name != "phones" and (problems := editor.problems()):
                found[name] = problems[0]  # a phone the region cannot read only warns
        return found

    def problems(self) -> list[str]:
        """Problems that stop the contact from being saved."""
        return list(self.field_problems().values())

    def fill(self, contact: Contact) -> None:
        """Show `contact` (signals of the fields fire; the pane ignores them while loading)."""
        self.title_label.setText(contact.display_name or "New contact")
        self._avatar_name = contact.display_name
        for name, kind in FORM_FIELDS.items():
            self._fill(name, kind, getattr(contact, name), contact)
        self._check_dates()
        self.update_tab_order()

    def _fill(self, name: str, kind: Kind, value: Any, contact: Contact) -> None:
        if kind is Kind.NAME:
            for part in NAME_PARTS:
                self.fields[part].show_value(getattr(value, part))
        elif kind is Kind.TEXT:
            self.fields[name].show_value(value)
        elif kind is Kind.LONG_TEXT:
            self.notes.show_value(value)
        elif kind is Kind.DATE:
            self._date_values[name] = value
            self.dates[name].show_value(value.iso() if value else "")
        elif kind is Kind.TAGS:
            self.tags.show_value(tags_text(value))
        elif kind is Kind.ROWS:
            self.editors[name].set_values([to_values(item) for item in value])
        elif kind is Kind.CUSTOM:
            self.editors[name].set_values([{"label": k, "value": v} for k, v in value.items()])
        elif kind is Kind.PHOTO:
            self.set_photo(value, contact.photo_mime)
        elif kind is Kind.STAGE:
            self.stage.setCurrentIndex(max(0, self.stage.findData(value.value if value else "")))
        elif kind is Kind.FLAG:
            self.favourite.setChecked(bool(value))

    def read_into(self, contact: Contact, *, keep: frozenset[str] = frozenset()) -> Contact:
        """A copy of `contact` with what the form shows, but for the fields named in `keep`.

        Call with the fields of `field_problems()` in `keep` (or none): a field with a problem
        cannot be read.
        """
        changes: dict[str, Any] = {}
        for name, kind in FORM_FIELDS.items():
            if name not in keep:
                changes.update(self._read(name, kind))
        return dataclasses.replace(contact, **changes)

    def _read(self, name: str, kind: Kind) -> dict[str, Any]:
        if kind is Kind.NAME:
            return {name: Name(**{p: self.fields[p].value() for p in NAME_PARTS})}
        if kind is Kind.TEXT:
            return {name: self.fields[name].value()}
        if kind is Kind.LONG_TEXT:
            return {name: self.notes.value()}
        if kind is Kind.DATE:
            edit = self.dates[name]
            if edit.untouched():
                return {name: self._date_values.get(name)}
            return {name: PartialDate.try_parse(edit.text())}
        if kind is Kind.TAGS:
            return {name: parse_tags(self.tags.value())}
        if kind is Kind.ROWS:
            item_type = row_type(name)
            return {name: [from_values(item_type, v) for v in self.editors[name].values()]}
        if kind is Kind.CUSTOM:
            return {name: {v["label"]: v["value"] for v in self.editors[name].values()}}
        if kind is Kind.PHOTO:
            return {name: self.photo_bytes, "photo_mime": self.photo_mime}
        if kind is Kind.STAGE:
            stage = str(self.stage.currentData() or "")
            return {name: Stage(stage) if stage else None}
        return {name: self.favourite.isChecked()}
