"""The detail pane (right): the read card of the current contact, and the form that edits it.

A contact opens on its read card (`CardView`); Edit, Enter or a double-click switches to the
form, and Done or Escape goes back, saving as below. A new contact opens in the form.

Edits are saved as the user works (no Save button): when editing a field is finished (Enter,
focus leaving it, a choice made in a list), when another contact is chosen, and when the window
closes; never on a pause in typing, which would store half a word. A field with a problem (an
email that is not one, a date that is not a date) is marked beside it and stops the save; a
phone the default region cannot read only warns. Leaving a card that has a problem asks what to
do with its edits instead of dropping them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.domain.contact import PHOTO_MAX_BYTES, Contact
from app.core.errors import UserFacingError
from app.core.services.contacts import ChangeSet, ContactService
from app.ui.card_actions import CardActions, InteractionActions, ReminderActions
from app.ui.card_text import Upcoming
from app.ui.card_view import CardView
from app.ui.changes import ChangeHub
from app.ui.contact_form import ContactForm
from app.ui.log_dialog import InteractionLogger, LogInteraction
from app.ui.worker import Worker

RETRY_MS = 200
"""How soon to try again to save while the previous save is still on its way."""


class Leave(enum.Enum):
    """What to do with the edits of a card that has a problem, when the user leaves it."""

    SAVE_REST = "Save the rest"
    KEEP_EDITING = "Keep editing"
    DISCARD = "Discard changes"


def _read_photo(path: Path) -> tuple[bytes, str]:
    data = path.read_bytes()
    if len(data) > PHOTO_MAX_BYTES:
        raise UserFacingError(
            f"{path.name} is {len(data) // 1024} KB; choose a picture under "
            f"{PHOTO_MAX_BYTES // 1024} KB."
        )
    mime = "image/png" if data[:4] == b"\x89PNG" else "image/jpeg"
    return data, mime


class DetailPane(QWidget):
    """The card of one contact: read first, edited in place on request.

    Signals:
        status: a short sentence for the status line ("Saved", a problem).
        created: the id of a contact this pane added (so the list can select it).
        stayed: the id of the contact the user chose to keep editing (the list goes back to it).
    """

    status = Signal(str)
    created = Signal(int)
    stayed = Signal(int)

    def __init__(
        self,
        service: ContactService,
        worker: Worker,
        hub: ChangeHub,
        open_url: Callable[[QUrl], object],
        parent: QWidget | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        upcoming: Callable[[int], Sequence[Upcoming]] | None = None,
        log_interaction: LogInteraction | None = None,
        interaction_kinds: Sequence[enum.Enum] = (),
        reminders: ReminderActions | None = None,
        interactions: InteractionActions | None = None,
    ) -> None:
        """Build the pane.

        Args:
            service: the contact use cases.
            worker: the thread database work runs on.
            hub: where saved changes are published, and other changes come from.
            open_url: opens mailto:/tel:/web links.
            parent: the owning widget.
            clock: today's date for ages, and "now" for "last contacted 3 days ago".
            upcoming: the reminders coming up for a contact (run on the worker), if known.
            log_interaction: logs an interaction (the interaction service's `log`; run on
                the worker); with `interaction_kinds`, the card offers "Log…".
            interaction_kinds: the kinds of interaction to choose from.
            reminders: Done and Snooze beside the card's reminders (run on the worker).
            interactions: Edit… and Delete of the timeline's entries (run on the worker).
        """
        super().__init__(parent)
        self._service = service
        self._upcoming = upcoming
        self.logger = (
            InteractionLogger(
                self, worker, hub, log_interaction, kinds=interaction_kinds, clock=clock
            )
            if log_interaction is not None and interaction_kinds
            else None
        )
        self._worker = worker
        self._hub = hub
        self._open_url = open_url
        self._contact: Contact | None = None
        self._dirty = False
        self._loading = False
        self._saving = False
        self._own_ops: set[int] = set()
        self._choice: Leave | None = None  # what the user chose the last time a card was left
        self._load_generation = 0
        self.message = QLabel(self)
        self.message.setObjectName("save-status")
        self.message.setWordWrap(True)
        self.form = ContactForm(lambda: service.region, self._open)
        self.form.edited.connect(self._edited)
        self.form.committed.connect(self._committed)
        self.form.link_refused.connect(self.message.setText)
        self.form.choose_photo.clicked.connect(self._choose_photo)
        self.empty = QLabel("Choose a contact, or press Ctrl+N to add one.", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card = QScrollArea(self)
        self.card.setWidgetResizable(True)
        self.card.setWidget(self.form)
        self.reader = CardView(clock, self._open, self)
        self.reader.edit_requested.connect(self.edit)
        self.reader.log_requested.connect(self.log)
        self.reader.log_button.setVisible(self.logger is not None)
        self.card_actions = CardActions(
            self.reader,
            self._shown_contact,
            lambda: self._show_read(self._contact) if self._contact is not None else None,
            worker,
            hub,
            reminders=reminders,
            interactions=interactions,
            kinds=interaction_kinds,
            clock=clock,
            parent=self,
        )
        self.read_page = QScrollArea(self)
        self.read_page.setObjectName("read-card")
        self.read_page.setWidgetResizable(True)
        self.read_page.setWidget(self.reader)
        self.done_button = QPushButton("Done", self)
        self.done_button.setObjectName("done")
        self.done_button.setToolTip("Save and go back to the card (Escape)")
        self.done_button.clicked.connect(self.done_editing)
        self.edit_page = QWidget(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 0)
        bar.addStretch(1)
        bar.addWidget(self.done_button)
        edit_layout = QVBoxLayout(self.edit_page)
        edit_layout.setContentsMargins(0, 0, 0, 0)
        edit_layout.addLayout(bar)
        edit_layout.addWidget(self.card, 1)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.edit_page)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.done_editing)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.read_page)
        self.stack.addWidget(self.edit_page)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RETRY_MS)
        self._timer.timeout.connect(self.flush)
        hub.changed.connect(self._on_change)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        self._show_card(False)

    @property
    def contact_id(self) -> int | None:
        """The id of the contact shown (None for none, or a new one not saved yet)."""
        return self._contact.id if self._contact else None

    @property
    def showing_new(self) -> bool:
        """Whether the card is a new contact not stored yet."""
        return self._contact is not None and self._contact.id is None

    @property
    def dirty(self) -> bool:
        """Whether there are edits not saved yet."""
        return self._dirty

    @property
    def editing(self) -> bool:
        """Whether the form is shown (False: the read card, or nothing)."""
        return self.stack.isVisibleTo(self) and self.stack.currentWidget() is self.edit_page

    def _show_card(self, shown: bool) -> None:
        self.stack.setVisible(shown)
        self.empty.setVisible(not shown)

    # Reading and editing

    def edit(self) -> None:
        """Switch the card shown to the form (Edit, Enter, a double-click)."""
        if self._contact is None:
            return
        self.stack.setCurrentWidget(self.edit_page)
        self.form.fields["given"].setFocus()

    def done_editing(self) -> bool:
        """Save the form's edits and go back to the read card (Done, Escape).

        Returns False when the user chose to keep editing a card that has a problem.
        """
        if self._contact is None or not self.editing:
            return True
        problems = self.form.field_problems() if self._dirty else {}
        self._choice = None
        if not self.leave():
            return False
        if self._choice is Leave.DISCARD:
            shown = self._contact
        else:
            keep: frozenset[str] = (
                frozenset(problems) if self._choice is Leave.SAVE_REST else frozenset()
            )
            shown = self.form.read_into(self._contact, keep=keep)
        if shown.id is None and not self._saving and not shown.display_name:
            self._dirty = False  # a new card left without a name is not kept
            self.message.setText("")
            self.show_contact(None)
            return True
        if not self._saving:
            self._contact = shown
        self._loading = True
        try:
            self.form.fill(shown)
        finally:
            self._loading = False
        self._show_read(shown)
        return True

    def _show_read(self, contact: Contact) -> None:
        self.reader.show_contact(contact)
        had_focus = self.edit_page.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        self.stack.setCurrentWidget(self.read_page)
        if had_focus:
            self.reader.setFocus()
        if self._upcoming is not None and contact.id is not None:
            upcoming, cid, generation = self._upcoming, contact.id, self._load_generation
            self._worker.submit(
                lambda: list(upcoming(cid)),
                lambda items: self._show_upcoming(generation, items),
            )
        else:
            self.reader.set_upcoming([])

    def _shown_contact(self) -> tuple[int, str] | None:
        contact = self._contact
        if contact is None or contact.id is None:
            return None
        return contact.id, contact.display_name

    def _show_upcoming(self, generation: int, items: list[Upcoming]) -> None:
        if generation == self._load_generation:
            self.reader.set_upcoming(items)

    def _open(self, url: str) -> None:
        self._open_url(QUrl(url))

    # Loading

    def show_contact(self, contact_id: int | None) -> bool:
        """Save any edits, then show this contact (None: show nothing).

        Returns False when the user chose to keep editing the card shown (it has a problem);
        `stayed` then names that contact.
        """
        if self._contact is not None and contact_id == self._contact.id and contact_id:
            return True
        if not self.leave():
            stay = self.contact_id
            if stay is not None:
                QTimer.singleShot(0, lambda: self.stayed.emit(stay))
            return False
        self._load_generation += 1
        if contact_id is None:
            self._contact = None
            self._dirty = False
            self._show_card(False)
            return True
        generation = self._load_generation
        self._worker.submit(
            lambda: self._service.get(contact_id),
            lambda c: self._loaded(generation, c),
        )
        return True

    def new_contact(self) -> None:
        """Show an empty card; it is stored once it has a name."""
        if not self.leave():
            return
        self._load_generation += 1
        self._loaded(self._load_generation, Contact())
        self.edit()

    def _loaded(self, generation: int, contact: Contact | None) -> None:
        if generation != self._load_generation:
            return
        # The same contact read again (an undo, a change elsewhere) stays in the view it was
        # in; another contact opens on its read card.
        same = contact is not None and self.contact_id is not None and contact.id == self.contact_id
        self._contact = contact
        self._dirty = False
        if contact is None:
            self._show_card(False)
            return
        self._loading = True
        try:
            self.form.fill(contact)
        finally:
            self._loading = False
        self.message.setText("In the trash" if contact.deleted_at else "")
        if not (same and self.editing):
            self._show_read(contact)
        else:
            self.reader.show_contact(contact)
        self._show_card(True)

    def _on_change(self, change: ChangeSet) -> None:
        if self._contact is None or self._contact.id not in change.ids or self._dirty:
            return
        if change.operation_id is not None and change.operation_id in self._own_ops:
            return
        generation = self._load_generation
        cid = self._contact.id
        assert cid is not None
        self._worker.submit(lambda: self._service.get(cid), lambda c: self._loaded(generation, c))

    # Saving

    def _edited(self) -> None:
        if self._loading or self._contact is None:
            return
        self._dirty = True
        self.message.setText("")

    def _committed(self) -> None:
        if not self._loading:
            self.flush()

    def leave(self) -> bool:
        """Save the card's edits before it is left; ask first when a field has a problem.

        Returns whether the card may be left (False: the user keeps editing it).
        """
        if not self._dirty or self._contact is None:
            return True
        problems = self.form.field_problems()
        if not problems:
            self.flush()
            return True
        choice = self._choice = self.ask_leave(list(problems.values()))
        if choice is Leave.KEEP_EDITING:
            return False
        if choice is Leave.SAVE_REST:
            self.flush(keep=frozenset(problems))
        self._dirty = False
        return True

    def ask_leave(self, problems: list[str]) -> Leave:
        """Ask what to do with the edits of a card that cannot be saved whole."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Unsaved changes")
        box.setText(f"This card has a problem: {problems[0]}")
        box.setInformativeText(
            "Save the rest keeps every other change and leaves the fields with a problem as "
            "they were stored. Keep editing lets you fix them."
        )
        roles = {
            Leave.SAVE_REST: QMessageBox.ButtonRole.AcceptRole,
            Leave.KEEP_EDITING: QMessageBox.ButtonRole.RejectRole,
            Leave.DISCARD: QMessageBox.ButtonRole.DestructiveRole,
        }
        buttons = {choice: box.addButton(choice.value, role) for choice, role in roles.items()}
        box.setDefaultButton(buttons[Leave.KEEP_EDITING])
        box.setEscapeButton(buttons[Leave.KEEP_EDITING])
        box.exec()
        clicked = box.clickedButton()
        return next((c for c, b in buttons.items() if b is clicked), Leave.KEEP_EDITING)

    def flush(self, *, keep: frozenset[str] = frozenset()) -> None:
        """Save the edits now, if there are any and nothing stops it.

        Args:
            keep: fields to save as they are stored, not as the card shows them (the fields
                with a problem, when the user chose to save the rest).
        """
        self._timer.stop()
        if not self._dirty or self._contact is None:
            return
        if self._saving and self._contact.id is None:
            self._timer.start()  # being added: its id is on its way (updates simply queue)
            return
        problems = [p for f, p in self.form.field_problems().items() if f not in keep]
        if problems:
            self.message.setText(f"Not saved: {problems[0]}")
            return
        contact = self.form.read_into(self._contact, keep=keep)
        if contact == self._contact:
            self._dirty = False  # typed and taken back: nothing to store, no undo step
            return
        if not contact.display_name:
            self.message.setText("Not saved yet: type a name, a company, an email or a phone.")
            return
        self._dirty = False
        self._saving = True
        self.form.title_label.setText(contact.display_name)
        service = self._service
        if contact.id is None:
            self._worker.submit(lambda: service.add(contact), self._added, self._failed)
        else:
            self._contact = contact
            self._worker.submit(lambda: service.update(contact), self._saved, self._failed)

    def _added(self, change: ChangeSet) -> None:
        if self._contact is not None and self._contact.id is None and change.added:
            self._contact.id = change.added[0]
            if self._dirty:
                self._timer.start()  # typed on while it was being added: save that too
        self._saved(change)
        if change.added:
            self.created.emit(change.added[0])

    def _saved(self, change: ChangeSet) -> None:
        self._saving = False
        if change.operation_id is not None:
            self._own_ops.add(change.operation_id)
        self.message.setText("Saved")
        self._hub.publish(change)

    def _failed(self, exc: Exception) -> None:
        self._saving = False
        self._dirty = True
        if isinstance(exc, UserFacingError):
            self.message.setText(f"Not saved: {exc}")
        else:
            self._worker.report(exc)

    def _choose_photo(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose a photo", "", "Pictures (*.png *.jpg *.jpeg)"
        )
        if name:
            self.set_photo_file(Path(name))

    def set_photo_file(self, path: Path) -> None:
        """Read a picture off the GUI thread and put it on the card."""
        self._worker.submit(
            lambda: _read_photo(path),
            lambda result: self.form.set_photo(*result, edited=True),
            lambda exc: self.message.setText(f"Photo not set: {exc}"),
        )

    # Logging an interaction

    def log(self) -> None:
        """ "Log…": ask what happened with the contact shown, then log it."""
        contact = self._contact
        if contact is not None and contact.id is not None and self.logger is not None:
            self.logger.ask([(contact.id, contact.display_name)])
