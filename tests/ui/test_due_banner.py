"""Where no tray shows, the reminders due appear in a banner above the panes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.clock import FixedClock
from app.core.domain.contact import Contact, Name
from app.core.domain.dates import PartialDate
from app.core.services.contacts import ContactService
from app.core.services.reminders import ReminderService
from app.core.services.session import Database
from app.ui.close_to_tray import start_reminders
from app.ui.context import ICONS
from app.ui.main_window import MainWindow
from app.ui.tray import Tray
from tests.ui.conftest import wait_idle


@pytest.fixture
def hidden_tray(qapp: QApplication) -> Iterator[Tray]:
    """A tray icon that is not showing: the desktop has no tray."""
    made = Tray(QIcon(str(ICONS / "kith.svg")))
    made.hide()
    yield made
    made.menu.deleteLater()
    made.deleteLater()


def test_without_a_tray_what_is_due_shows_in_the_window(
    qtbot: QtBot, window: MainWindow, hidden_tray: Tray, service: ContactService, db: Database
) -> None:
    today = date.today()  # the window's Due segment counts from the system's day
    clock = FixedClock(datetime.combine(today, time(10), tzinfo=UTC))
    birthday = PartialDate(1986, today.month, today.day)
    ada = service.add(Contact(name=Name(given="Ada", family="Lovelace"), birthday=birthday))
    bo = service.add(Contact(name=Name(given="Bo", family="Later"))).added[0]
    window.ctx.hub.publish(ada)
    wait_idle(qtbot, window)
    assert not hidden_tray.icon.isVisible() and not window.due_banner.isVisible()

    scheduler = start_reminders(window, hidden_tray, ReminderService(db, clock, UTC), clock)
    try:
        qtbot.waitUntil(window.due_banner.isVisible)
        assert window.due_banner.text.text().startswith("Due today: Ada Lovelace")
        qtbot.mouseClick(window.due_banner.show_button, Qt.MouseButton.LeftButton)
        rows = window.list_model
        # The Due segment: Ada (and any generated contact born today), never Bo.
        qtbot.waitUntil(lambda: rows.row_of(ada.added[0]) is not None and rows.row_of(bo) is None)
        assert window.segments.current_entry().key == "due"
        qtbot.mouseClick(window.due_banner.dismiss_button, Qt.MouseButton.LeftButton)
        assert not window.due_banner.isVisible()
        scheduler.check()  # the same reminders again: dismissed stays dismissed
        wait_idle(qtbot, window)
        assert not window.due_banner.isVisible()
    finally:
        scheduler.stop()


def test_where_the_tray_shows_the_banner_stays_hidden(
    qtbot: QtBot, window: MainWindow, hidden_tray: Tray, service: ContactService, db: Database
) -> None:
    today = date.today()
    clock = FixedClock(datetime.combine(today, time(10), tzinfo=UTC))
    birthday = PartialDate(None, today.month, today.day)
    service.add(Contact(name=Name(given="Ada"), birthday=birthday))
    scheduler = start_reminders(window, hidden_tray, ReminderService(db, clock, UTC), clock)
    window.tray_shown = lambda: True  # as on a desktop whose tray shows the icon
    try:
        qtbot.waitUntil(lambda: scheduler.checks >= 1)
        scheduler.check()
        wait_idle(qtbot, window)
        assert hidden_tray.reminder_actions and not window.due_banner.isVisible()
    finally:
        scheduler.stop()
