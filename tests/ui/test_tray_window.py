"""Closing the window keeps Kith running where a tray shows; the tray brings it back or quits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.clock import FixedClock
from app.core.domain.contact import Contact, Name
from app.core.domain.dates import PartialDate
from app.core.services import reminders
from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.ui.close_to_tray import CloseToTray, keep_running_in_the_tray, start_reminders
from app.ui.context import ICONS
from app.ui.main_window import MainWindow
from app.ui.preferences import TRAY_KEY
from app.ui.tray import Tray
from tests.ui.conftest import answer_next_question, wait_idle
from tests.ui.test_detail_pane import open_contact


@pytest.fixture
def tray(qapp: QApplication) -> Iterator[Tray]:
    made = Tray(QIcon(str(ICONS / "kith.svg")))
    yield made
    qapp.setQuitOnLastWindowClosed(True)
    made.hide()
    made.menu.deleteLater()
    made.deleteLater()


@pytest.fixture
def quits(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records the application's quit instead of ending the test's event loop."""
    calls: list[bool] = []
    monkeypatch.setattr(qapp, "quit", lambda: calls.append(True))
    return calls


@pytest.fixture
def running(qapp: QApplication, window: MainWindow, tray: Tray, settings: QSettings) -> CloseToTray:
    """Kith over the window, as on a desktop whose tray shows the icon (offscreen has none)."""
    return CloseToTray(qapp, window, tray, settings, tray_shown=lambda: True)


RAISE = pytest.mark.qt_log_ignore("propagateSizeHints", "support raise")
"""The offscreen platform cannot raise a window; that is no bug of ours."""


@RAISE
def test_closing_the_window_keeps_kith_running_and_saves_the_edit(
    qtbot: QtBot,
    running: CloseToTray,
    qapp: QApplication,
    service: ContactService,
    filled: list[int],
) -> None:
    window, tray = running.window, running.tray
    assert not qapp.quitOnLastWindowClosed()
    open_contact(qtbot, window, filled[0])
    window.detail.form.fields["title"].setText("Still running")
    window.close()
    assert not window.isVisible()
    wait_idle(qtbot, window)
    stored = service.get(filled[0])
    assert stored is not None and stored.title == "Still running"
    # the workers still work: the window's services answer while it is hidden
    answers: list[int] = []
    window.ctx.worker.submit(lambda: len(service.get_many(filled[:3])), answers.append)
    qtbot.waitUntil(lambda: answers == [3])
    with qtbot.waitSignal(tray.open_requested):
        tray.open_action.trigger()
    assert window.isVisible()


@RAISE
def test_a_reminder_in_the_tray_opens_its_contact(
    qtbot: QtBot, running: CloseToTray, filled: list[int]
) -> None:
    window, tray = running.window, running.tray
    window.list.search.setText("no such person at all")
    qtbot.waitUntil(window.list.empty.isVisible)
    window.close()
    tray.contact_requested.emit(filled[9])
    assert window.isVisible()
    qtbot.waitUntil(lambda: window.detail.contact_id == filled[9])
    assert window.list.current_id() == filled[9] and window.list.search.text() == ""


def test_with_the_setting_off_closing_quits(
    qtbot: QtBot, qapp: QApplication, window: MainWindow, tray: Tray, settings: QSettings
) -> None:
    settings.setValue(TRAY_KEY, "false")
    running = CloseToTray(qapp, window, tray, settings, tray_shown=lambda: True)
    assert not running.keeps_running() and qapp.quitOnLastWindowClosed()
    window.close()
    assert not window.isVisible()
    assert window.ctx.worker.pending == 0  # closed for real: its workers were shut down


def test_quit_in_the_tray_closes_for_real_asking_about_a_problem_first(
    qtbot: QtBot,
    running: CloseToTray,
    service: ContactService,
    filled: list[int],
    quits: list[bool],
) -> None:
    window, tray = running.window, running.tray
    open_contact(qtbot, window, filled[2])
    window.detail.form.fields["title"].setText("Last words")
    window.detail.form.birthday.setText("not a date")
    seen: list[str] = []
    answer_next_question(qtbot, "Keep editing", seen)
    tray.quit_action.trigger()
    assert seen and window.isVisible() and quits == []
    answer_next_question(qtbot, "Save the rest", seen)
    tray.quit_action.trigger()
    assert not window.isVisible() and quits == [True]

    # The save runs on the application's writer, which outlives the window: quitting the
    # application (KithApp.quit) waits for it; here the test waits for it to land.
    def saved() -> bool:
        stored = service.get(filled[2])
        return stored is not None and stored.title == "Last words"

    qtbot.waitUntil(saved)


def test_no_tray_no_keeping_running(
    qapp: QApplication, window: MainWindow, tray: Tray, settings: QSettings
) -> None:
    if Tray.available():
        pytest.skip("this desktop has a tray")
    assert keep_running_in_the_tray(qapp, window, settings, tray) is None
    assert not tray.icon.isVisible()


def test_a_birthday_today_fills_the_menu_and_notifies_once_across_restarts(
    qtbot: QtBot, window: MainWindow, tray: Tray, service: ContactService, db: Database
) -> None:
    clock = FixedClock(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    change = service.add(
        Contact(name=Name(given="Ada", family="Birthday"), birthday=PartialDate(1986, 12, 1))
    )
    ada = change.added[0]
    source = reminders.ReminderService(db, clock, UTC)
    first = start_reminders(window, tray, source, clock)
    qtbot.waitUntil(lambda: len(tray.shown_messages) == 1)
    wait_idle(qtbot, window)
    assert "Ada Birthday" in tray.shown_messages[0][1]
    assert [a.text() for a in tray.reminder_actions] == [tray.shown_messages[0][1]]
    with qtbot.waitSignal(tray.contact_requested) as opened:
        tray.icon.messageClicked.emit()
    assert opened.args == [ada]
    first.stop()
    # Kith starts again: the occurrence was recorded as notified, so it is not shown again
    again = start_reminders(window, tray, reminders.ReminderService(db, clock, UTC), clock)
    qtbot.waitUntil(lambda: again.checks == 1 and window.ctx.worker.pending == 0)
    again.check()
    wait_idle(qtbot, window)
    assert len(tray.shown_messages) == 1
    again.stop()
