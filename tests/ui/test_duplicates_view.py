"""The duplicates review: groups by score with reasons, Merge…, Not duplicates, Cancel, undo."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from faker import Faker
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.clock import FixedClock
from app.core.domain.contact import Contact, Email, Name
from app.core.services.contacts import ChangeSet, ContactService
from app.core.services.dedupe import DedupeService
from app.core.services.merge import MergeService
from app.core.services.queries import ListQuery
from app.core.storage.database import Database
from app.core.tasks import TaskControl
from app.ui.changes import ChangeHub
from app.ui.duplicate_groups import GroupColumn
from app.ui.duplicates_view import DuplicatesView
from app.ui.main_window import MainWindow
from app.ui.merge_dialog import MergeDialog
from app.ui.worker import Worker
from tests.conftest import make_contact
from tests.core.services.test_dedupe_service import same_email
from tests.ui.conftest import answer_next_question

CLOCK = FixedClock(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))


class Parts:
    """The view with the real services and workers it is given in the window."""

    def __init__(self, db: Database, scan: object = same_email) -> None:
        self.contacts = ContactService(db, "GB", CLOCK)
        self.hub = ChangeHub()
        self.changes: list[ChangeSet] = []
        self.hub.changed.connect(self.changes.append)
        self.reads, self.writes = Worker("test-reads"), Worker("test-writes")
        self.view = DuplicatesView(
            DedupeService(db, CLOCK, scan=scan),  # type: ignore[arg-type]
            MergeService(db, CLOCK),
            contacts=self.contacts,
            reads=self.reads,
            writes=self.writes,
            hub=self.hub,
        )

    def close(self) -> None:
        self.view.close()
        self.reads.shutdown()
        self.writes.shutdown()


@pytest.fixture
def people(db: Database) -> list[int]:
    service = ContactService(db, "GB", CLOCK)
    spec = [
        ("Ann", "Lee", "ann@x.org"), ("Anne", "Lee", "ANN@x.org"), ("Bo", "Ek", "bo@x.org"),
        ("Bob", "Ek", "bo@x.org"), ("Bobby", "Ek", "bo@x.org"), ("Cy", "Oz", "cy@x.org"),
    ]  # fmt: skip
    return [
        service.add(Contact(name=Name(given=g, family=f), emails=[Email(e)])).added[0]
        for g, f, e in spec
    ]


@pytest.fixture
def parts(qtbot: QtBot, db: Database, people: list[int]) -> Iterator[Parts]:
    made = Parts(db)
    qtbot.addWidget(made.view)
    made.view.show()
    yield made
    made.close()


def _scan(qtbot: QtBot, view: DuplicatesView) -> None:
    with qtbot.waitSignal(view.scanned, timeout=20000):
        qtbot.mouseClick(view.scan_button, Qt.MouseButton.LeftButton)


def _text(view: DuplicatesView, row: int, column: GroupColumn) -> str:
    return str(view.model.data(view.model.index(row, column)))


def test_groups_are_listed_best_first_with_names_and_reasons(
    qtbot: QtBot, parts: Parts, people: list[int], qtmodeltester: ModelTester
) -> None:
    view = parts.view
    qtmodeltester.check(view.model)
    _scan(qtbot, view)
    assert view.model.rowCount() == 2
    assert _text(view, 0, GroupColumn.SCORE) == "0.80"
    assert _text(view, 0, GroupColumn.CONTACTS) == "Bo Ek, Bob Ek, Bobby Ek"
    assert _text(view, 0, GroupColumn.REASONS) == "same email bo@x.org"
    assert _text(view, 1, GroupColumn.CONTACTS) == "Ann Lee, Anne Lee"
    assert view.status.text() == "2 groups of likely duplicates, best first."
    assert view.selected_group() == view.model.group(0) and view.merge_button.isEnabled()


def test_merge_from_the_dialog_saves_the_choices_and_publishes_the_change(
    qtbot: QtBot, parts: Parts, people: list[int]
) -> None:
    view = parts.view
    _scan(qtbot, view)
    view.table.selectRow(1)  # Ann Lee, Anne Lee
    with qtbot.waitSignal(view.merge_dialog_opened) as opened:
        qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, MergeDialog) and dialog.plan.ids == (people[0], people[1])
    dialog.choose("name", people[1])
    with qtbot.waitSignal(parts.hub.changed, timeout=20000) as published:
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    change = published.args[0]
    assert change.removed == (people[1],) and change.label == "Merge 2 contacts into Ann Lee"
    merged = parts.contacts.get(people[0])
    assert merged is not None and merged.name.given == "Anne"
    assert view.model.rowCount() == 1  # the settled group leaves the list at once
    assert parts.contacts.count(ListQuery()) == 5
    parts.contacts.undo()
    assert parts.contacts.count(ListQuery()) == 6


def test_not_duplicates_is_remembered_and_can_be_taken_back(
    qtbot: QtBot, parts: Parts, people: list[int]
) -> None:
    view = parts.view
    _scan(qtbot, view)
    assert not view.forget_button.isEnabled()  # nothing decided yet: nothing to take back
    with qtbot.waitSignal(parts.hub.changed, timeout=20000):
        qtbot.mouseClick(view.apart_button, Qt.MouseButton.LeftButton)  # Bo, Bob, Bobby
    assert view.model.rowCount() == 1 and view.status.text().startswith("1 group")
    assert view.forget_button.isEnabled()
    _scan(qtbot, view)
    assert [g.ids for g in view.model.groups] == [(people[0], people[1])]
    assert view.forget_button.isEnabled()  # the decision is still there after a scan
    with qtbot.waitSignal(view.scanned, timeout=20000):
        qtbot.mouseClick(view.forget_button, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 2
    assert not view.forget_button.isEnabled()


def test_merge_all_above_a_score_is_one_undoable_operation(
    qtbot: QtBot, parts: Parts, people: list[int]
) -> None:
    view = parts.view
    _scan(qtbot, view)
    view.min_score.setValue(0.0)
    seen: list[str] = []
    answer_next_question(qtbot, "Yes", seen)
    with qtbot.waitSignal(parts.hub.changed, timeout=20000) as published:
        qtbot.mouseClick(view.merge_all_button, Qt.MouseButton.LeftButton)
    assert seen and seen[0].startswith("Merge 2 groups scored 0.00 or more")
    assert published.args[0].label == "Merge 2 groups of duplicates"
    assert view.model.rowCount() == 0 and parts.contacts.count(ListQuery()) == 3
    parts.contacts.undo()
    assert parts.contacts.count(ListQuery()) == 6


def test_a_scan_shows_progress_and_cancel_stops_it(
    qtbot: QtBot, db: Database, people: list[int]
) -> None:
    started = threading.Event()

    def endless(contacts: list[Contact], control: TaskControl) -> Sequence[object]:
        started.set()
        n = 0
        while True:  # a matcher that never ends: only Cancel stops it
            n += 1
            control.step(n % 100, 100)
            started.wait(0.001)

    made = Parts(db, endless)
    qtbot.addWidget(made.view)
    made.view.show()
    try:
        view = made.view
        qtbot.mouseClick(view.scan_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.progress.maximum() == 100)
        assert view.progress.isVisible() and not view.scan_button.isEnabled()
        with qtbot.waitSignal(view.scanned, timeout=20000):
            qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
        assert view.status.text() == "The scan was cancelled; Scan starts it again."
        assert view.scan_button.isEnabled() and not view.progress.isVisible()
    finally:
        made.close()


def test_a_change_elsewhere_marks_the_list_old(
    qtbot: QtBot, parts: Parts, people: list[int]
) -> None:
    view = parts.view
    _scan(qtbot, view)
    assert not view.stale
    parts.hub.publish(parts.contacts.update(_renamed(parts.contacts, people[2])))
    assert view.stale and view.status.text().startswith("Contacts changed since this scan")


def _renamed(contacts: ContactService, cid: int) -> Contact:
    contact = contacts.get(cid)
    assert contact is not None
    contact.name.given = "Boris"
    return contact


def test_the_window_shows_the_review_and_the_real_scan_groups_a_duplicate(
    qtbot: QtBot,
    make_window: Callable[[Database], MainWindow],
    db: Database,
    fake: Faker,
) -> None:
    contacts = ContactService(db, "GB", CLOCK)
    people = [make_contact(fake, n) for n in range(40)]
    ids = [contacts.add(p).added[0] for p in people]
    twin = replace(people[5], name=replace(people[5].name), addresses=[], notes="")
    twin_id = contacts.add(twin).added[0]
    window = make_window(db)
    view = window.duplicates
    with qtbot.waitSignal(view.scanned, timeout=60000):
        window.findChild(QAction, "review-duplicates").trigger()
    assert view.isVisible() and not view.isWindow() and window.reviewing_duplicates
    assert [g.ids for g in view.model.groups] == [(ids[5], twin_id)]
    assert view.model.group(0).reasons and 0.5 <= view.model.group(0).score <= 1
