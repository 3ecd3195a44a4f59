"""The read card's Done and Snooze beside each reminder, and Edit…/Delete on the timeline."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.core.domain.contact import Contact, Name
from app.core.domain.dates import PartialDate
from app.core.domain.interaction import InteractionKind
from app.core.services.contacts import ContactService
from app.core.services.interactions import InteractionService
from app.core.services.reminders import ReminderService
from app.core.services.session import Database
from app.ui.card_view import SNOOZE_DAYS
from app.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle
from tests.ui.test_detail_pane import open_contact


def test_done_and_snooze_beside_a_reminder(
    qtbot: QtBot, window: MainWindow, service: ContactService, db: Database
) -> None:
    today = date.today()  # the window's reminder service reads the system's day
    birthday = PartialDate(1990, today.month, today.day)
    ada = service.add(Contact(name=Name(given="Ada", family="Ax"), birthday=birthday)).added[0]
    reminders = ReminderService(db)
    reminders.follow_up(ada, today, "send the quote")
    window.list_model.refresh()
    qtbot.waitUntil(lambda: window.list.select_id(ada))
    open_contact(qtbot, window, ada, edit=False)
    card = window.detail.reader
    qtbot.waitUntil(lambda: len(card.reminder_buttons) == 2)
    birthday = next(b for b in card.reminder_buttons if b[0].startswith("birthday:"))
    qtbot.mouseClick(birthday[1], Qt.MouseButton.LeftButton)  # Done
    qtbot.waitUntil(lambda: len(card.reminder_buttons) == 1)
    assert [r.kind.value for r in reminders.due(0) if r.contact_id == ada] == ["follow-up"]
    before = card.upcoming_texts()
    qtbot.mouseClick(card.reminder_buttons[0][2], Qt.MouseButton.LeftButton)  # Snooze
    # Still coming up within the days ahead, on its new day.
    qtbot.waitUntil(lambda: card.upcoming_texts() != before)
    later = [r for r in reminders.due(SNOOZE_DAYS) if r.contact_id == ada]
    assert [(r.kind.value, r.due) for r in later] == [
        ("follow-up", today + timedelta(days=SNOOZE_DAYS))
    ]


def test_an_interaction_is_edited_and_deleted_from_the_timeline_and_undone(
    qtbot: QtBot, window: MainWindow, db: Database, filled: list[int]
) -> None:
    cid = filled[3]
    InteractionService(db).log([cid], InteractionKind.CALL, "First call")
    open_contact(qtbot, window, cid, edit=False)
    card = window.detail.reader
    qtbot.waitUntil(lambda: [e.summary for e in card.entries] == ["First call"])
    entry = card.entries[0]

    def row() -> QLabel:
        found = card.timeline.findChild(QLabel, "timeline-entry")
        assert isinstance(found, QLabel)
        return found

    menu = card._entry_menu(row(), entry.id)
    assert [a.text() for a in menu.actions()] == ["Edit…", "Delete"]
    menu.actions()[0].trigger()
    dialog = window.detail.card_actions.dialog
    assert dialog is not None and dialog.summary.text() == "First call"
    dialog.choose_kind(InteractionKind.MEETING)
    dialog.summary.setText("First meeting")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(
        lambda: [(e.kind, e.summary) for e in card.entries] == [("meeting", "First meeting")]
    )
    card._entry_menu(row(), card.entries[0].id).actions()[1].trigger()  # Delete
    qtbot.waitUntil(lambda: card.entries == [])
    window.undo()  # the delete is one operation of the journal
    qtbot.waitUntil(lambda: [e.summary for e in card.entries] == ["First meeting"])
    wait_idle(qtbot, window)
