"""The tray icon's menu, tooltip and notifications, and when the scheduler looks for reminders."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

import pytest
from PySide6.QtGui import QIcon
from pytestqt.qtbot import QtBot

from app.core.clock import FixedClock
from app.core.errors import UserFacingError
from app.ui.context import ICONS
from app.ui.reminder_scheduler import ReminderScheduler, next_local
from app.ui.tray import Tray, message_text, tooltip_text
from app.ui.worker import Worker

TODAY = date(2026, 3, 28)


@dataclass(frozen=True)
class Item:
    """A reminder occurrence as the reminder service lists it."""

    id: str
    contact_id: int
    due: date
    label: str


ITEMS = [
    Item("birthday:1:2026-03-28", 1, TODAY, "Ada Lovelace turns 40"),
    Item("follow-up:7", 2, TODAY - timedelta(days=3), "Call Ben about the quote"),
    Item("birthday:3:2026-03-30", 3, TODAY + timedelta(days=2), "Cy's birthday"),
]


@pytest.fixture
def tray(qtbot: QtBot) -> Iterator[Tray]:
    made = Tray(QIcon(str(ICONS / "kith.svg")))
    yield made
    made.hide()
    made.menu.deleteLater()
    made.deleteLater()


@pytest.fixture
def worker() -> Iterator[Worker]:
    made = Worker("test-reminders")
    yield made
    made.shutdown()


@pytest.fixture
def london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's zone is Europe/London (clocks go forward on 29 March 2026)."""
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _texts(tray: Tray) -> list[str]:
    return [a.text() for a in tray.menu.actions() if a.text()]


def test_the_menu_lists_overdue_and_today_then_quit(qtbot: QtBot, tray: Tray) -> None:
    tray.set_due(ITEMS, TODAY)
    assert _texts(tray) == [
        "Open Kith",
        "Overdue",
        "Call Ben about the quote",
        "Today",
        "Ada Lovelace turns 40",
        "Quit Kith",
    ]
    assert tray.icon.toolTip() == "Kith: 1 reminder today, 1 overdue"
    with qtbot.waitSignal(tray.contact_requested) as opened:
        tray.reminder_actions[0].trigger()
    assert opened.args == [2]
    with qtbot.waitSignal(tray.open_requested):
        tray.open_action.trigger()
    with qtbot.waitSignal(tray.quit_requested):
        tray.quit_action.trigger()


def test_nothing_due_says_so(tray: Tray) -> None:
    tray.set_due(ITEMS[2:], TODAY)
    assert _texts(tray) == ["Open Kith", "Nothing due today", "Quit Kith"]
    assert tooltip_text(ITEMS[2:], TODAY) == "Kith: nothing due today"


def test_clicking_a_notification_opens_its_contact(qtbot: QtBot, tray: Tray) -> None:
    tray.notify([ITEMS[0]])
    assert tray.shown_messages == [("Kith reminder", "Ada Lovelace turns 40")]
    with qtbot.waitSignal(tray.contact_requested) as opened:
        tray.icon.messageClicked.emit()
    assert opened.args == [1]
    tray.notify(ITEMS[:2])  # two contacts: the click opens the window
    with qtbot.waitSignal(tray.open_requested):
        tray.icon.messageClicked.emit()
    many = [Item(f"x{n}", n, TODAY, f"R{n}") for n in range(6)]
    assert message_text(many) == ("Kith: 6 reminders", "R0\nR1\nR2\nR3\nand 2 more")


class Store:
    """Which occurrences were notified, as the reminder service keeps them (in a test list)."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.marked: list[str] = []
        self.fail = False
        self.time_of_day = clock_time(9, 0)

    def due(self) -> list[Item]:
        if self.fail:
            # A sentence for the user (a bug would also be logged, to this process's first log)
            raise UserFacingError("The database is locked by another program.")
        return [i for i in self.items if i.due <= TODAY]

    def to_notify(self) -> list[Item]:
        return [i for i in self.due() if i.id not in self.marked]

    def mark(self, ids: list[str]) -> None:
        self.marked += ids


def _scheduler(worker: Worker, store: Store, clock: FixedClock) -> ReminderScheduler:
    return ReminderScheduler(
        worker,
        store.due,
        store.to_notify,
        store.mark,
        clock=clock,
        reminder_time=lambda: store.time_of_day,
    )


def test_each_occurrence_is_notified_once(qtbot: QtBot, worker: Worker) -> None:
    store = Store(list(ITEMS))
    clock = FixedClock(datetime(2026, 3, 28, 10, 0, tzinfo=UTC))
    scheduler = _scheduler(worker, store, clock)
    shown: list[list[str]] = []
    scheduler.notify.connect(lambda items: shown.append([i.id for i in items]))
    with qtbot.waitSignal(scheduler.due_changed) as due:
        scheduler.start()
    assert [i.id for i in due.args[0]] == [ITEMS[0].id, ITEMS[1].id]
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert shown == [[ITEMS[0].id, ITEMS[1].id]]
    assert store.marked == [ITEMS[0].id, ITEMS[1].id]
    store.marked.clear()  # even if the store forgot, the session does not repeat itself
    scheduler.check()
    scheduler.check()  # overlapping: the second one waits for the first
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert shown == [[ITEMS[0].id, ITEMS[1].id]]
    assert scheduler.checks == 3
    scheduler.stop()


def test_a_failed_check_is_reported_and_the_next_one_runs(qtbot: QtBot, worker: Worker) -> None:
    store = Store(list(ITEMS))
    store.fail = True
    scheduler = _scheduler(worker, store, FixedClock(datetime(2026, 3, 28, 10, 0, tzinfo=UTC)))
    with qtbot.waitSignal(worker.failed) as told:
        scheduler.check()
    assert told.args == ["The database is locked by another program."]
    store.fail = False
    with qtbot.waitSignal(scheduler.notify):
        scheduler.check()


def test_waking_from_sleep_is_seen_as_the_wall_clock_jumping(qtbot: QtBot, worker: Worker) -> None:
    store = Store([])
    clock = FixedClock(datetime(2026, 3, 28, 10, 0, tzinfo=UTC))
    scheduler = _scheduler(worker, store, clock)
    scheduler.start()
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert not scheduler.probe_wake()  # no time passed on either clock
    clock.set(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))  # two hours asleep, no monotonic time
    assert scheduler.probe_wake()
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert scheduler.checks == 2
    scheduler.stop()


@pytest.mark.usefixtures("london")
def test_midnight_and_the_reminder_time_are_local_across_a_dst_change() -> None:
    saturday_noon = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # 12:00 GMT
    midnight = next_local(clock_time(0, 0), saturday_noon)
    assert midnight.astimezone(UTC) == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    nine = next_local(clock_time(9, 0), midnight)  # Sunday 09:00 is BST: 08:00 UTC
    assert nine.astimezone(UTC) == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)
    assert os.environ["TZ"] == "Europe/London"


@pytest.mark.usefixtures("london")
def test_the_scheduler_plans_the_nearer_of_midnight_and_the_reminder_time(
    worker: Worker,
) -> None:
    store = Store([])
    clock = FixedClock(datetime(2026, 3, 28, 7, 0, tzinfo=UTC))  # 07:00 GMT
    scheduler = _scheduler(worker, store, clock)
    assert scheduler.next_moment().astimezone(UTC) == datetime(2026, 3, 28, 9, 0, tzinfo=UTC)
    scheduler.set_reminder_time(clock_time(6, 30))
    assert scheduler.next_moment().astimezone(UTC) == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)


@pytest.mark.usefixtures("london")
def test_a_new_reminder_time_is_followed_at_the_next_check(qtbot: QtBot, worker: Worker) -> None:
    store = Store([])
    clock = FixedClock(datetime(2026, 3, 28, 7, 0, tzinfo=UTC))
    scheduler = _scheduler(worker, store, clock)
    scheduler.start()
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert scheduler.next_moment().astimezone(UTC) == datetime(2026, 3, 28, 9, 0, tzinfo=UTC)
    store.time_of_day = clock_time(7, 30)  # changed in Preferences
    scheduler.check()
    qtbot.waitUntil(lambda: scheduler.reminder_time == clock_time(7, 30))
    assert scheduler.next_moment().astimezone(UTC) == datetime(2026, 3, 28, 7, 30, tzinfo=UTC)
    scheduler.stop()
