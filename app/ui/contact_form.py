"""The contact card's fields: every part of the domain model, filled from and read into a Contact.

This is layout and conversion only; `DetailPane` decides when to load and save.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.domain.contact import Address, Contact, Email, Event, Phone, Stage, Url
from app.core.domain.dates import PartialDate
from app.core.domain.normalise import is_valid_email, phone_problem
from app.ui.row_editors import PROBLEM_STYLE, RowListEditor, Values

_SIMPLE = (
    ("prefix", "Prefix"),
    ("given", "First name"),
    ("middle", "Middle name"),
    ("family", "Last name"),
    ("suffix", "Suffix"),
    ("nickname", "Nickname"),
    ("org", "Company"),
    ("department", "Department"),
    ("title", "Job title"),
)
_NAME_PARTS = ("prefix", "given", "middle", "family", "suffix")
_DATE_HINT = "YYYY-MM-DD, or --MM-DD without a year"
_LABELS = ("home", "work", "mobile", "other")


class TagCompleter(QCompleter):
    """Completes the last tag of a comma-separated list."""

    def splitPath(self, path: str) -> list[str]:  # noqa: N802
        return [path.rsplit(",", maxsplit=1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        tag = str(super().pathFromIndex(index))
        return f"{typed.rsplit(',', 1)[0]}, {tag}" if "," in typed else tag


def date_problem(text: str) -> str:
    """What is wrong with a typed date, or ""."""
    if not text.strip() or PartialDate.try_parse(text) is not None:
        return ""
    return "Not a date: type 1985-04-23, or --04-23 without a year."


class ContactForm(QWidget):
    """Every field of a contact, with problems shown beside the fields as the user types.

    Signals:
        edited: the user changed something.
    """

    edited = Signal()

    def __init__(
        self,
        region: Callable[[], str],
        open_url: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._region = region
        self.photo = QLabel(self)
        self.photo.setFixedSize(72, 72)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setStyleSheet("border: 1px solid palette(mid); border-radius: 36px;")
        self.photo_bytes: bytes | None = None
        self._initials = ""
        photo_font = self.photo.font()
        photo_font.setPointSizeF(photo_font.pointSizeF() * 1.8)
        self.photo.setFont(photo_font)
        self.photo_mime = ""
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
        self.fields = {name: QLineEdit(self) for name, _ in _SIMPLE}
        for name, edit in self.fields.items():
            edit.setObjectName(name)
        self.birthday = QLineEdit(self)
        self.anniversary = QLineEdit(self)
        self.date_problems = {w: QLabel(self) for w in (self.birthday, self.anniversary)}
        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText("comma-separated, e.g. client, berlin")
        self.tag_names = QStringListModel(self)
        completer = TagCompleter(self.tag_names, self.tags)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags.setCompleter(completer)
        self.emails = RowListEditor(
            "Emails",
            [[("value", "name@example.org")]],
            labels=_LABELS,
            check=lambda v: "" if is_valid_email(v["value"]) else "Not an email address.",
            open_action=("Write", lambda v: open_url(f"mailto:{v['value']}")),
        )
        self.phones = RowListEditor(
            "Phones",
            [[("value", "+49 30 1234567")]],
            labels=_LABELS,
            check=lambda v: phone_problem(v["value"], self._region()),
            open_action=("Call", lambda v: open_url(f"tel:{v['value'].replace(' ', '')}")),
        )
        self.addresses = RowListEditor(
            "Addresses",
            [
                [("street", "Street")],
                [("postal_code", "Postcode"), ("city", "City")],
                [("region", "Region"), ("country", "Country")],
            ],
            item="address",
            labels=("home", "work", "other"),
        )
        self.urls = RowListEditor("Websites", [[("value", "https://…")]], labels=("web", "work"))
        self.events = RowListEditor(
            "Events",
            [[("date", _DATE_HINT)]],
            labels=("met", "contract ends"),
            check=lambda v: date_problem(v["date"]),
        )
        self.custom = RowListEditor("Custom fields", [[("value", "value")]], item="field")
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText("Notes")
        self.notes.setMinimumHeight(90)
        self._layout()
        self._connect()

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
        for name, label in _SIMPLE:
            form.addRow(label, self.fields[name])
        for edit, label in ((self.birthday, "Birthday"), (self.anniversary, "Anniversary")):
            edit.setPlaceholderText(_DATE_HINT)
            problem = self.date_problems[edit]
            problem.setStyleSheet(PROBLEM_STYLE)
            problem.hide()
            box = QVBoxLayout()
            box.setSpacing(0)
            box.addWidget(edit)
            box.addWidget(problem)
            form.addRow(label, box)
        form.addRow("Tags", self.tags)
        for editor in (self.emails, self.phones, self.addresses, self.urls, self.events):
            form.addRow(editor.objectName().capitalize(), editor)
        form.addRow("Custom", self.custom)
        form.addRow("Notes", self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(photo_buttons)
        layout.addLayout(form)
        layout.addStretch(1)

    def _connect(self) -> None:
        for edit in (*self.fields.values(), self.tags):
            edit.textChanged.connect(self._changed)
        for edit in (self.birthday, self.anniversary):
            edit.textChanged.connect(self._check_dates)
            edit.textChanged.connect(self._changed)
        for editor in (
            self.emails,
            self.phones,
            self.addresses,
            self.urls,
            self.events,
            self.custom,
        ):
            editor.edited.connect(self._changed)
        self.notes.textChanged.connect(self._changed)
        self.favourite.toggled.connect(self._changed)
        self.stage.currentIndexChanged.connect(self._changed)

    def _changed(self, *_: object) -> None:
        self.edited.emit()

    def _check_dates(self) -> None:
        for edit, label in self.date_problems.items():
            problem = date_problem(edit.text())
            label.setText(problem)
            label.setVisible(bool(problem))

    def set_tag_names(self, names: Sequence[str]) -> None:
        """The tags to complete from."""
        self.tag_names.setStringList(list(names))

    def set_photo(self, data: bytes | None, mime: str, *, edited: bool = False) -> None:
        """Show a photo (None: no photo)."""
        self.photo_bytes, self.photo_mime = data, mime
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.photo.setPixmap(
                pixmap.scaled(
                    72,
                    72,
                    Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.photo.setPixmap(QPixmap())
            self.photo.setText(self._initials or "?")
        self.remove_photo.setEnabled(data is not None)
        if edited:
            self.edited.emit()

    def problems(self) -> list[str]:
        """Problems that stop the contact from being saved (phone problems only warn)."""
        found = [
            p
            for p in (date_problem(self.birthday.text()), date_problem(self.anniversary.text()))
            if p
        ]
        return found + self.emails.problems() + self.events.problems()

    def fill(self, contact: Contact) -> None:
        """Show `contact` (signals of the fields fire; the pane ignores them while loading)."""
        self.title_label.setText(contact.display_name or "New contact")
        words = (contact.display_name or "").split()
        self._initials = "".join(w[0] for w in words[:2] if w[0].isalnum()).upper()
        self.favourite.setChecked(contact.favourite)
        self.stage.setCurrentIndex(
            max(0, self.stage.findData(contact.stage.value if contact.stage else ""))
        )
        values = {
            **{p: getattr(contact.name, p) for p in _NAME_PARTS},
            **{n: getattr(contact, n) for n, _ in _SIMPLE if n not in _NAME_PARTS},
        }
        for name, edit in self.fields.items():
            if edit.text() != values[name]:
                edit.setText(values[name])
        for edit, value in (
            (self.birthday, contact.birthday),
            (self.anniversary, contact.anniversary),
        ):
            text = value.iso() if value else ""
            if PartialDate.try_parse(edit.text()) != value or not text:
                edit.setText(text)
        tags = ", ".join(contact.tags)
        if self.tags.text() != tags:
            self.tags.setText(tags)
        self.emails.set_values([{"value": e.value, "label": e.label} for e in contact.emails])
        self.phones.set_values([{"value": p.value, "label": p.label} for p in contact.phones])
        self.addresses.set_values([_address_values(a) for a in contact.addresses])
        self.urls.set_values([{"value": u.value, "label": u.label} for u in contact.urls])
        self.events.set_values([{"date": e.date.iso(), "label": e.label} for e in contact.events])
        self.custom.set_values([{"label": k, "value": v} for k, v in contact.custom.items()])
        if self.notes.toPlainText() != contact.notes:
            self.notes.setPlainText(contact.notes)
        self.set_photo(contact.photo, contact.photo_mime)
        self._check_dates()

    def read_into(self, contact: Contact) -> Contact:
        """A copy of `contact` with what the form shows (call when `problems()` is empty)."""
        c = copy.deepcopy(contact)
        for part in _NAME_PARTS:
            setattr(c.name, part, self.fields[part].text().strip())
        for name, _ in _SIMPLE:
            if name not in _NAME_PARTS:
                setattr(c, name, self.fields[name].text().strip())
        c.birthday = PartialDate.try_parse(self.birthday.text())
        c.anniversary = PartialDate.try_parse(self.anniversary.text())
        c.tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        old_e164 = {p.value: p.e164 for p in c.phones}
        c.emails = [Email(v["value"], v["label"]) for v in self.emails.values()]
        c.phones = [
            Phone(v["value"], old_e164.get(v["value"], ""), v["label"])
            for v in self.phones.values()
        ]
        c.addresses = [_address(v) for v in self.addresses.values()]
        c.urls = [Url(v["value"], v["label"]) for v in self.urls.values()]
        c.events = [
            Event(v["label"], date)
            for v in self.events.values()
            if (date := PartialDate.try_parse(v["date"])) is not None
        ]
        c.custom = {v["label"] or "Field": v["value"] for v in self.custom.values()}
        c.notes = self.notes.toPlainText()
        c.favourite = self.favourite.isChecked()
        stage = str(self.stage.currentData() or "")
        c.stage = Stage(stage) if stage else None
        c.photo, c.photo_mime = self.photo_bytes, self.photo_mime
        return c


def _address_values(a: Address) -> Values:
    return {
        "label": a.label,
        "street": a.street,
        "postal_code": a.postal_code,
        "city": a.city,
        "region": a.region,
        "country": a.country,
    }


def _address(v: Values) -> Address:
    return Address(v["label"], v["street"], v["city"], v["region"], v["postal_code"], v["country"])
