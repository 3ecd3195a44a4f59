"""When to look for due reminders: at start, on a timer, at local midnight and the reminder
time, and after the computer wakes from sleep.

A wake-up is seen as the wall clock jumping ahead of the monotonic one, which stops while the
machine sleeps. Each look runs on the worker, never on the GUI thread, and asks the reminder
service which occurrences have not been notified yet; that service persists what it was told
was shown, so a restart does not repeat a notification and one missed while Kith was closed
comes at the next start. Within a session the scheduler also never shows an id twice, even if
two checks overlap.
"""

from __future__ import annotations

import logging
import time as time_module
from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.clock import Clock
from app.ui.tasks import Priority
from app.ui.tray import DueItem
from app.ui.worker import Worker

CHECK_EVERY_MS = 5 * 60 * 1000
WAKE_PROBE_MS = 60 * 1000
WAKE_SLACK_S = 90.0
"""How far the wall clock may run ahead of the monotonic one before it counts as a wake-up."""
FIRST_CHECK = "Reminders looked up since the start"
"""What the private log says at the first check of a run."""

log = logging.getLogger("kith")


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
            # A write Kith waits for when it quits (unlike the low-priority look itself): a
            # notification shown must be remembered, or the next start would show it again.
            self._worker.submit(lambda: mark(ids), priority=Priority.HIGH)
        if self._again:
            self._again = False
            self.check()
