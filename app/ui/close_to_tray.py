"""Closing the window keeps Kith running in the tray; Quit in the tray's menu ends it.

`start_reminders` connects the reminder service to the tray: the scheduler's checks fill the
tray's menu and raise its notifications.

Where a tray shows and the user has not turned it off in Preferences, closing the main window
saves its edits and settings and hides it: the database, the workers and the reminder scheduler
keep running, and the tray brings the window back (or a contact, from a reminder). Where there
is no tray, closing the window quits, as it always did. Quitting from the tray closes the window
for real, so that its last edit is saved exactly as a close saves it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.services.contacts import ChangeSet
from app.core.services.segment_catalogue import DUE
from app.ui.preferences import keep_running_in_tray
from app.ui.reminder_scheduler import ReminderScheduler
from app.ui.tray import NOTIFIED, DueItem, Tray
from app.ui.worker import Worker

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger("kith")

DUE_MOVED = ChangeSet("", segments=frozenset({DUE}))
"""What a reminder check tells the panes: only the Due segment may have changed."""


class CloseToTray(QObject):
    """Watches the main window's close, and answers the tray's Open, contact and Quit.

    Args:
        app: the application (it must not quit when the window hides).
        window: the main window.
        tray: the tray icon.
        settings: where "keep running in the tray" is remembered.
        tray_shown: whether the icon is in a tray now (by default: whether it is visible).
    """

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        tray: Tray,
        settings: QSettings,
        tray_shown: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(tray)
        self._app, self._settings = app, settings
        self.window, self.tray = window, tray
        self._tray_shown = tray_shown or tray.icon.isVisible
        self.quitting = False
        window.installEventFilter(self)
        tray.open_requested.connect(self.show_window)
        tray.contact_requested.connect(self.show_contact)
        tray.quit_requested.connect(self.quit)
        app.setQuitOnLastWindowClosed(not self.keeps_running())

    def keeps_running(self) -> bool:
        """Whether closing the window now would leave Kith running in the tray."""
        return self._tray_shown() and keep_running_in_tray(self._settings)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """A close of the window hides it instead, while Kith keeps running in the tray."""
        if watched is not self.window or event.type() != QEvent.Type.Close or self.quitting:
            return False
        if not self.keeps_running():
            self._app.setQuitOnLastWindowClosed(True)
            return False  # the window closes, and with it Kith
        event.ignore()
        if not self.window.detail.leave():
            return True  # the user keeps editing a card with a problem
        self.window.save_settings()
        self._app.setQuitOnLastWindowClosed(False)
        self.window.hide()
        log.info("The window closed; Kith keeps running in the tray.")
        return True

    def show_window(self) -> None:
        """Bring the window back, in front."""
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def show_contact(self, contact_id: int) -> None:
        """Bring the window back on this contact's card (all contacts, if the list hid it)."""
        self.show_window()
        window = self.window
        if window.list.select_id(contact_id):
            return
        window.list.search.clear()
        window.segments.select_key("all")

        def select() -> None:
            if window.list.select_id(contact_id):
                window.list_model.loaded.disconnect(select)

        window.list_model.loaded.connect(select)

    def quit(self) -> None:
        """Close the window for real (saving as a close does), then end Kith."""
        self.quitting = True
        self.window.close()
        if self.window.isVisible():
            self.quitting = False  # the user chose to keep editing
            return
        self.tray.hide()
        self._app.quit()


def keep_running_in_the_tray(
    app: QApplication, window: MainWindow, settings: QSettings, tray: Tray
) -> CloseToTray | None:
    """Show the tray icon and let it keep Kith running; None where this desktop has no tray."""
    if not tray.show():
        return None
    return CloseToTray(app, window, tray, settings)


class ReminderSource(Protocol):
    """What the tray asks of the reminder service (`app.core.services.reminders`)."""

    def today(self) -> date:
        """The user's calendar day."""
        ...

    def due(self, days: int | None = None) -> Sequence[DueItem]:
        """Due within `days` (and overdue)."""
        ...

    def to_notify(self) -> Sequence[DueItem]:
        """Due now and never notified."""
        ...

    def mark_notified(self, reminder_ids: Iterable[str]) -> None:
        """Record that these were shown."""
        ...

    def settings(self) -> Any:
        """The reminder settings (with `time_of_day`)."""
        ...


def start_reminders(
    window: MainWindow,
    tray: Tray,
    source: ReminderSource,
    clock: Clock = SYSTEM_CLOCK,
    *,
    worker: Worker | None = None,
) -> ReminderScheduler:
    """Start the scheduler (on `worker`, else the window's), feeding the tray's menu and
    notifications."""
    scheduler = ReminderScheduler(
        worker or window.ctx.worker,
        lambda: source.due(0),
        source.to_notify,
        source.mark_notified,
        clock=clock,
        reminder_time=lambda: source.settings().time_of_day,
        parent=tray,
    )
    scheduler.due_changed.connect(lambda items: tray.set_due(items, source.today()))
    # Where no tray shows them, the same reminders appear in the window's banner.
    window.tray_shown = tray.icon.isVisible
    scheduler.due_changed.connect(lambda items: window.due_banner.set_due(items, source.today()))
    # What is due moves with the day too (midnight): the Due segment is counted again.
    scheduler.due_changed.connect(lambda _: window.ctx.hub.publish(DUE_MOVED))
    scheduler.notify.connect(lambda items: _notify(tray, items))
    scheduler.start()
    return scheduler


def _notify(tray: Tray, items: Sequence[DueItem]) -> None:
    tray.notify(items)
    # Ids name a kind, a contact number and a day: no contact data goes into the log.
    log.info("%s (%d): %s", NOTIFIED, len(items), ", ".join(i.id for i in items))
