"""The tray icon and the reminder scheduler: Kith keeps reminding while its window is closed.

`Tray` is the icon: a tooltip saying what is due, a menu (Open Kith, today's and overdue
reminders, Quit) and notifications through `QSystemTrayIcon.showMessage`; clicking a
notification opens its contact. `ReminderScheduler` decides when to look: at start, on a timer,
at local midnight, at the reminder time of day, and after the computer wakes from sleep (seen as
the wall clock jumping ahead of the monotonic one, which stops while the machine sleeps). It
computes on the worker, never on the GUI thread, and asks the reminder service which
occurrences have not been notified yet; that service persists what it was told was shown, so a
restart does not repeat a notification and one missed while Kith was closed comes at the next
start. Within a session the scheduler also never shows an id twice, even if two checks overlap.
"""

from __future__ import annotations

import logging
import time as time_module
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from app.core.clock import Clock
from app.ui.worker import Worker

CHECK_EVERY_MS = 5 * 60 * 1000
WAKE_PROBE_MS = 60 * 1000
WAKE_SLACK_S = 90.0
"""How far the wall clock may run ahead of the monotonic one before it counts as a wake-up."""
MENU_LIMIT = 12
MESSAGE_MS = 10_000
FIRST_CHECK = "Reminders looked up since the start"
NOTIFIED = "Notified reminders"
"""What the private log says at the first check of a run, and for each notification."""

log = logging.getLogger("kith")


class DueItem(Protocol):
    """What the tray reads of a reminder occurrence (the reminder service's items)."""

    @property
    def id(self) -> str: ...

    @property
    def contact_id(self) -> int: ...

    @property
    def due(self) -> date: ...

    @property
    def label(self) -> str: ...


def tooltip_text(items: Sequence[DueItem], today: date) -> str:
    """ "Kith: 2 reminders today, 1 overdue", or "Kith: nothing due today"."""
    now = sum(1 for i in items if i.due == today)
    late = sum(1 for i in items if i.due < today)
    parts = []
    if now:
        parts.append(f"{now} reminder{'s' if now != 1 else ''} today")
    if late:
        parts.append(f"{late} overdue")
    return "Kith: " + (", ".join(parts) if parts else "nothing due today")


def message_text(items: Sequence[DueItem]) -> tuple[str, str]:
    """The title and body of one notification for these items."""
    if len(items) == 1:
        return "Kith reminder", items[0].label
    lines = [i.label for i in items[:4]]
    if len(items) > 4:
        lines.append(f"and {len(items) - 4} more")
    return f"Kith: {len(items)} reminders", "\n".join(lines)


class Tray(QObject):
    """The tray icon with its menu and notifications.

    Signals:
        open_requested: "Open Kith" was chosen, or the icon clicked.
        contact_requested: a reminder in the menu, or a notification, was clicked (contact id).
        quit_requested: "Quit Kith" was chosen.
    """

    open_requested = Signal()
    contact_requested = Signal(int)
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip("Kith")
        self.menu = QMenu()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._message_clicked)
        self._message_contact: int | None = None
        self.shown_messages: list[tuple[str, str]] = []
        self.set_due([], date.min)

    @staticmethod
    def available() -> bool:
        """Whether this desktop shows tray icons."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> bool:
        """Show the icon where a tray exists; returns whether it is shown."""
        if not self.available():
            return False
        self.icon.show()
        return True

    def hide(self) -> None:
        """Take the icon away (before quitting)."""
        self.icon.hide()

    def set_due(self, items: Sequence[DueItem], today: date) -> None:
        """Show today's and overdue reminders in the menu and the tooltip."""
        self.menu.clear()
        self.open_action = self._add("Open Kith", self.open_requested.emit)
        self.menu.addSeparator()
        due = sorted((i for i in items if i.due <= today), key=lambda i: (i.due, i.label))
        self.reminder_actions: list[QAction] = []
        for heading, group in (
            ("Overdue", [i for i in due if i.due < today]),
            ("Today", [i for i in due if i.due == today]),
        ):
            if not group:
                continue
            self.menu.addSection(heading)
            for item in group[:MENU_LIMIT]:
                action = self._add(item.label, self._opener(item.contact_id))
                self.reminder_actions.append(action)
            if len(group) > MENU_LIMIT:
                self._add(f"{len(group) - MENU_LIMIT} more…", self.open_requested.emit)
        if not due:
            nothing = self._add("Nothing due today", lambda: None)
            nothing.setEnabled(False)
        self.menu.addSeparator()
        self.quit_action = self._add("Quit Kith", self.quit_requested.emit)
        self.icon.setToolTip(tooltip_text(items, today))

    def _opener(self, contact_id: int) -> Callable[[], None]:
        return lambda: self.contact_requested.emit(contact_id)

    def _add(self, text: str, slot: Callable[[], object]) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def notify(self, items: Sequence[DueItem]) -> None:
        """Raise one notification for these items (clicking it opens the contact, if one)."""
        if not items:
            return
        title, body = message_text(items)
        contacts = {i.contact_id for i in items}
        self._message_contact = next(iter(contacts)) if len(contacts) == 1 else None
        self.shown_messages.append((title, body))
        self.icon.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS)

    def _message_clicked(self) -> None:
        if self._message_contact is not None:
            self.contact_requested.emit(self._message_contact)
        else:
            self.open_requested.emit()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_requested.emit()


def ms_until(moment: datetime, now: datetime) -> int:
    """Milliseconds from `now` to `moment` (at least 1 s, so a timer never spins)."""
    return max(1000, int((moment - now).total_seconds() * 1000))


def next_local(at: time, now: datetime) -> datetime:
    """The next moment, after `now`, when the local clock reads `at` (aware, local zone)."""
    local = now.astimezone()
    candidate = datetime.combine(local.date(), at).astimezone()
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at).astimezone()
    return candidate


class ReminderScheduler(QObject):
    """Looks for due reminders at the right moments, on the worker, and notifies each once.

    Args:
        worker: where the reminder service is asked (a low-priority one: a user's edit never
            waits behind a check).
        due: returns today's and overdue reminders (runs on the worker).
        to_notify: returns the occurrences not notified yet (runs on the worker).
        mark_notified: records that these ids were shown (runs on the worker).
        clock: what time it is.
        reminder_time: reads the reminder time of day (runs on the worker, at each check, so
            a change in Preferences is followed); None keeps `reminder_time` as set.

    Signals:
        due_changed: the reminders due today or overdue (a list), after each check.
        notify: occurrences to show now (a list), each id at most once per session.
    """

    due_changed = Signal(list)
    notify = Signal(list)

    def __init__(
        self,
        worker: Worker,
        due: Callable[[], Sequence[DueItem]],
        to_notify: Callable[[], Sequence[DueItem]],
        mark_notified: Callable[[list[str]], object],
        *,
        clock: Clock,
        reminder_time: Callable[[], time] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker, self._due, self._to_notify = worker, due, to_notify
        self._read_time = reminder_time
        self._mark = mark_notified
        self._clock = clock
        self.reminder_time = time(9, 0)
        self.notified: set[str] = set()
        self.checks = 0
        self._in_flight = False
        self._again = False
        self._logged_first = False
        self._every = QTimer(self)
        self._every.setInterval(CHECK_EVERY_MS)
        self._every.timeout.connect(self.check)
        self._moments = QTimer(self)
        self._moments.setSingleShot(True)
        self._moments.timeout.connect(self._moment)
        self._probe = QTimer(self)
        self._probe.setInterval(WAKE_PROBE_MS)
        self._probe.timeout.connect(self.probe_wake)
        self._last_wall = 0.0
        self._last_mono = 0.0

    def start(self) -> None:
        """Check now, then on the timer, at midnight and the reminder time, and after sleep."""
        self._every.start()
        self._probe.start()
        self._remember_clocks()
        self._plan_next_moment()
        self.check()

    def stop(self) -> None:
        """Stop every timer (before quitting)."""
        for timer in (self._every, self._moments, self._probe):
            timer.stop()

    def set_reminder_time(self, at: time) -> None:
        """The time of day reminders are due to notify (from Preferences)."""
        self.reminder_time = at
        if self._every.isActive():
            self._plan_next_moment()

    def next_moment(self) -> datetime:
        """The next local midnight or reminder time, whichever comes first."""
        now = self._clock.now()
        return min(next_local(time(0, 0), now), next_local(self.reminder_time, now))

    def _plan_next_moment(self) -> None:
        self._moments.start(ms_until(self.next_moment(), self._clock.now()))

    def _moment(self) -> None:
        self._plan_next_moment()
        self.check()

    def _remember_clocks(self) -> None:
        self._last_wall = self._clock.now().timestamp()
        self._last_mono = time_module.monotonic()

    def probe_wake(self) -> bool:
        """Check again if the machine slept since the last probe; returns whether it did."""
        wall, mono = self._clock.now().timestamp(), time_module.monotonic()
        slept = (wall - self._last_wall) - (mono - self._last_mono) > WAKE_SLACK_S
        self._last_wall, self._last_mono = wall, mono
        if slept:
            self._plan_next_moment()  # a timer set before the sleep is late now
            self.check()
        return slept

    def check(self) -> None:
        """Look for due reminders on the worker (one look at a time; a second one queues)."""
        if self._in_flight:
            self._again = True
            return
        self._in_flight = True
        self.checks += 1
        due, to_notify, read_time = self._due, self._to_notify, self._read_time
        self._worker.submit(
            lambda: (list(due()), list(to_notify()), read_time() if read_time else None),
            self._checked,
            self._failed,
        )

    def _failed(self, exc: Exception) -> None:
        self._in_flight = False
        self._again = False
        self._worker.report(exc)  # a bug: logged privately; the next check tries again

    def _checked(self, result: tuple[list[DueItem], list[DueItem], time | None]) -> None:
        self._in_flight = False
        due, fresh, at = result
        if not self._logged_first:
            self._logged_first = True
            log.info("%s: %d due, %d to notify.", FIRST_CHECK, len(due), len(fresh))
        if at is not None and at != self.reminder_time:
            self.set_reminder_time(at)
        self.due_changed.emit(due)
        new = [i for i in fresh if i.id not in self.notified]
        if new:
            ids = [i.id for i in new]
            self.notified.update(ids)
            self.notify.emit(new)
            mark = self._mark
            self._worker.submit(lambda: mark(ids))
        if self._again:
            self._again = False
            self.check()
