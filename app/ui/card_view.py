"""The read card: a contact as a person reads it, before anyone edits it.

A large avatar, the name and company, then only the fields that are filled, with emails, phones
and web addresses as links; what is coming up (reminders), when the user last spoke to the
contact, and the timeline of interactions. Edit (the button, Enter, or a double-click) asks the
pane to switch to the form; this widget never changes the contact itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import Clock
from app.core.domain.contact import Contact
from app.core.domain.dates import PartialDate
from app.ui.avatar import avatar
from app.ui.card_text import (
    CardRow,
    TimelineEntry,
    Upcoming,
    card_rows,
    last_contacted_text,
    long_date,
    subtitle,
    timeline_of,
)

AVATAR_SIZE = 96
SNOOZE_DAYS = 7
"""How long Snooze on the card hides a reminder."""
LINK_STYLE = (
    "QPushButton { border: none; padding: 0; text-align: left; color: palette(link); }"
    "QPushButton:hover { text-decoration: underline; }"
)


def _label(
    text: str,
    parent: QWidget,
    *,
    dim: bool = False,
    scale: float = 1.0,
    selectable: bool = False,
) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # imported values are never markup
    if selectable:
        # Values can be selected and copied; a double-click on one selects a word, so the
        # double-click that edits is on the header, the labels or the space around them.
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if dim:
        # The palette's placeholder colour: secondary in light and dark alike.
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    if scale != 1.0:
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    return label


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class LinkButton(QPushButton):
    """A value that opens something (mailto:, tel:, a web page), drawn as a link."""

    def __init__(self, text: str, url: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.url = url
        self.setFlat(True)
        self.setAutoDefault(False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(LINK_STYLE)
        self.setToolTip(url)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)


class CardView(QWidget):
    """The read-only card of one contact.

    Signals:
        edit_requested: the user asked to edit (Edit, Enter, double-click).
        log_requested: the user asked to log an interaction ("Log…").
        reminder_done: Done beside a reminder under "Coming up" (its id).
        reminder_snoozed: Snooze beside a reminder (its id).
        interaction_edit: Edit… in a timeline entry's menu (the interaction's id).
        interaction_delete: Delete in a timeline entry's menu (the interaction's id).
    """

    edit_requested = Signal()
    log_requested = Signal()
    reminder_done = Signal(str)
    reminder_snoozed = Signal(str)
    interaction_edit = Signal(str)
    interaction_delete = Signal(str)

    def __init__(
        self, clock: Clock, open_url: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card-view")
        self._clock = clock
        self._open_url = open_url
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.avatar = QLabel(self)
        self.avatar.setObjectName("avatar")
        self.avatar.setFixedSize(AVATAR_SIZE, AVATAR_SIZE)
        self.name = _label("", self, scale=1.7)
        self.name.setObjectName("card-name")
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.subtitle = _label("", self, scale=1.1)
        self.nickname = _label("", self, dim=True)
        self.flags = _label("", self, dim=True)
        self.edit_button = QPushButton("Edit", self)
        self.edit_button.setObjectName("edit")
        self.edit_button.setToolTip("Edit this contact (Enter)")
        self.edit_button.clicked.connect(self.edit_requested.emit)
        self.fields = QWidget(self)
        self.fields.setObjectName("card-fields")
        self._grid = QGridLayout(self.fields)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(16)
        self._grid.setColumnStretch(1, 1)
        self.coming_up = QWidget(self)
        self.coming_up.setObjectName("coming-up")
        self._coming = QVBoxLayout(self.coming_up)
        self._coming.setContentsMargins(0, 0, 0, 0)
        self.log_button = QPushButton("Log…", self)
        self.log_button.setObjectName("log")
        self.log_button.setToolTip("Log a call, email, meeting, message or note")
        self.log_button.clicked.connect(self.log_requested.emit)
        self.log_button.hide()  # shown where interactions can be logged
        self.last_contacted = _label("", self)
        self.last_contacted.setObjectName("last-contacted")
        self.timeline = QWidget(self)
        self.timeline.setObjectName("timeline")
        self._timeline = QVBoxLayout(self.timeline)
        self._timeline.setContentsMargins(0, 0, 0, 0)
        self.rows: list[CardRow] = []
        self.links: list[LinkButton] = []
        self.labels: list[QLabel] = []
        self._upcoming: list[str] = []
        self.reminder_buttons: list[tuple[str, QPushButton, QPushButton]] = []
        self._contact_id: int | None = -1
        self.entries: list[TimelineEntry] = []
        self._layout()

    def _layout(self) -> None:
        titles = QVBoxLayout()
        titles.setSpacing(2)
        for widget in (self.name, self.subtitle, self.nickname, self.flags):
            titles.addWidget(widget)
        titles.addStretch(1)
        header = QHBoxLayout()
        header.setSpacing(16)
        header.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(titles, 1)
        header.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(line)
        layout.addWidget(self.fields)
        layout.addWidget(self.coming_up)
        keeping = QHBoxLayout()
        keeping.addWidget(_heading("Keeping in touch", self))
        keeping.addStretch(1)
        keeping.addWidget(self.log_button)
        layout.addLayout(keeping)
        layout.addWidget(self.last_contacted)
        layout.addWidget(self.timeline)
        layout.addStretch(1)

    # Filling

    def show_contact(self, contact: Contact) -> None:
        """Show `contact` (its filled fields only)."""
        name = contact.display_name or "New contact"
        dpr = self.devicePixelRatioF()
        # Initials of the person's given and family names, not of "Mr" and "Jr".
        person = " ".join(p for p in (contact.name.given, contact.name.family) if p) or name
        self.avatar.setPixmap(avatar(person, contact.photo, AVATAR_SIZE, dpr))
        self.avatar.setToolTip("Photo" if contact.photo else "")
        self.name.setText(name)
        self.subtitle.setText(subtitle(contact))
        self.subtitle.setVisible(bool(self.subtitle.text()))
        nickname = contact.nickname.strip()
        self.nickname.setText(f"“{nickname}”" if nickname and nickname != name else "")
        self.nickname.setVisible(bool(self.nickname.text()))
        flags = [
            "★ Favourite" if contact.favourite else "",
            contact.stage.value.capitalize() if contact.stage else "",
        ]
        self.flags.setText(" · ".join(f for f in flags if f))
        self.flags.setVisible(bool(self.flags.text()))
        self._fill_fields(card_rows(contact, self._clock.today()))
        if contact.id != self._contact_id:
            self.set_upcoming([])  # another contact's reminders must not linger
        self._contact_id = contact.id
        now = self._clock.now()
        self.last_contacted.setText(last_contacted_text(contact, now))
        self._fill_timeline(timeline_of(contact), now)

    def _clear(self, layout: QGridLayout | QVBoxLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _fill_fields(self, rows: Sequence[CardRow]) -> None:
        self._clear(self._grid)
        self.rows = list(rows)
        self.links = []
        self.labels = []
        for n, row in enumerate(rows):
            label = _label(row.label, self.fields, dim=True)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.labels.append(label)
            self._grid.addWidget(label, n, 0)
            value: QWidget
            if row.url is not None:
                link = LinkButton(row.text, row.url, self.fields)
                link.clicked.connect(lambda _=False, url=row.url: self._open_url(url))
                self.links.append(link)
                value = link
            else:
                value = _label(row.text, self.fields, selectable=True)
            self._grid.addWidget(value, n, 1, Qt.AlignmentFlag.AlignTop)
        self.fields.setVisible(bool(rows))

    def set_upcoming(self, items: Sequence[Upcoming]) -> None:
        """The reminders coming up for this contact (the section hides when there are none)."""
        self._clear(self._coming)
        self._upcoming = [f"{long_date_of(item)} — {item.label}" for item in items]
        if items:
            self._coming.addWidget(_heading("Coming up", self.coming_up))
        self.reminder_buttons = []
        for text, item in zip(self._upcoming, items, strict=True):
            line = QHBoxLayout()
            line.addWidget(_label(text, self.coming_up), 1)
            done = QPushButton("Done", self.coming_up)
            done.setToolTip("Mark this reminder done")
            done.clicked.connect(lambda _=False, rid=item.id: self.reminder_done.emit(rid))
            snooze = QPushButton("Snooze", self.coming_up)
            snooze.setToolTip(f"Remind me again in {SNOOZE_DAYS} days")
            snooze.clicked.connect(lambda _=False, rid=item.id: self.reminder_snoozed.emit(rid))
            line.addWidget(done)
            line.addWidget(snooze)
            self._coming.addLayout(line)
            self.reminder_buttons.append((item.id, done, snooze))
        self.coming_up.setVisible(bool(items))

    def upcoming_texts(self) -> list[str]:
        """The lines of the "Coming up" section, as shown."""
        return list(self._upcoming)

    def _fill_timeline(self, entries: Sequence[TimelineEntry], now: datetime) -> None:
        self._clear(self._timeline)
        self.entries = list(entries)
        for entry in entries:
            when = entry.when.astimezone().strftime("%d %b %Y, %H:%M")
            row = _label(f"{when} · {entry.kind}\n{entry.summary}", self.timeline, selectable=True)
            row.setObjectName("timeline-entry")
            row.setToolTip("Right-click to edit or delete")
            row.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            row.customContextMenuRequested.connect(
                lambda pos, r=row, iid=entry.id: self._entry_menu(r, iid).popup(r.mapToGlobal(pos))
            )
            self._timeline.addWidget(row)
        if not entries:
            self._timeline.addWidget(
                _label("No calls, emails or meetings logged yet.", self.timeline, dim=True)
            )

    def _entry_menu(self, row: QLabel, interaction_id: str) -> QMenu:
        """Edit… and Delete for one timeline entry (both undoable)."""
        menu = QMenu(row)
        menu.addAction("Edit…", lambda: self.interaction_edit.emit(interaction_id))
        menu.addAction("Delete", lambda: self.interaction_delete.emit(interaction_id))
        menu.aboutToHide.connect(menu.deleteLater)
        return menu

    # Asking to edit

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_requested.emit()
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.edit_requested.emit()
            return
        super().mouseDoubleClickEvent(event)


def long_date_of(item: Upcoming) -> str:
    """The due day of a reminder as the card writes it ("Tue 3 March 2027")."""
    day = PartialDate(item.due.year, item.due.month, item.due.day)
    return f"{item.due.strftime('%a')} {long_date(day)}"
