"""The task runner: priorities, Cancel, progress, and work that outlives the window."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from faker import Faker
from PySide6.QtCore import QSettings, QTimer
from pytestqt.qtbot import QtBot

from app.core.services.contacts import ChangeSet, ContactService
from app.core.services.queries import ListQuery
from app.core.storage import settings_repo
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.tasks import TaskControl
from app.ui.app import KithApp
from app.ui.changes import ChangeHub
from app.ui.tasks import Lane, Priority, Task, TaskRunner, TaskState
from tests.conftest import PASSPHRASE, make_contact
from tests.ui.conftest import REGION


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    """A runner of the test's own, with a hub."""
    r = TaskRunner(ChangeHub())
    yield r
    r.shutdown()


def _gate() -> tuple[threading.Event, threading.Event]:
    """(started, release): a job sets the first and waits on the second."""
    return threading.Event(), threading.Event()


def _blocker(started: threading.Event, release: threading.Event, order: list[str], name: str):
    def job(_control: TaskControl) -> None:
        started.set()
        assert release.wait(30), "the test never released the job"
        order.append(name)

    return job


def _finish(qtbot: QtBot, runner: TaskRunner, task: Task) -> None:
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=30000)


def test_closing_the_window_lets_a_running_task_finish_and_its_write_lands(
    qtbot: QtBot, db_path: Path, tmp_path: Path, fake: Faker
) -> None:
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    settings = QSettings(str(tmp_path / "kith.ini"), QSettings.Format.IniFormat)
    kith = KithApp(db, settings, region=REGION)
    window = kith.open_window()
    window.show()
    qtbot.waitUntil(lambda: kith.runner.pending == 0)
    started, release = _gate()
    contacts = kith.ctx.contacts
    contact = make_contact(fake, 1)

    def add(control: TaskControl) -> ChangeSet:
        started.set()
        assert release.wait(30)
        control.step(1, 1)
        return contacts.add(contact)

    changes: list[ChangeSet] = []
    kith.hub.changed.connect(changes.append)
    task = kith.runner.submit(add, label="Add", publish=True, priority=Priority.NORMAL)
    qtbot.waitUntil(started.is_set)
    window.close()
    window.deleteLater()  # the window is gone for good, not only hidden
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))
    release.set()
    _finish(qtbot, kith.runner, task)
    assert task.state is TaskState.DONE
    assert [c.label for c in changes] == [f"Add {contact.display_name}"]  # the hub still hears
    kith.quit()  # waits for writes, stops the runner, closes the database
    reopened = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        names = [
            r.display_name for r in ContactService(reopened, REGION).rows([task.result.added[0]])
        ]
        assert names == [contact.display_name]
    finally:
        reopened.close()


def test_quitting_right_after_closing_waits_for_the_write(
    qtbot: QtBot, db_path: Path, tmp_path: Path, fake: Faker
) -> None:
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    settings = QSettings(str(tmp_path / "kith.ini"), QSettings.Format.IniFormat)
    kith = KithApp(db, settings, region=REGION)
    kith.open_window().show()
    qtbot.waitUntil(lambda: kith.runner.pending == 0)
    started, release = _gate()
    contacts = kith.ctx.contacts
    contact = make_contact(fake, 4)

    def add(_control: TaskControl) -> ChangeSet:
        started.set()
        assert release.wait(30)
        return contacts.add(contact)

    scan = kith.runner.submit(_until_cancelled, lane=Lane.READ, priority=Priority.LOW)
    task = kith.runner.submit(add, label="Add", priority=Priority.NORMAL)
    qtbot.waitUntil(started.is_set)
    kith.open_window().close()
    QTimer.singleShot(200, release.set)  # the write ends while quit() waits for it
    kith.quit()
    assert task.state is TaskState.DONE and scan.state is TaskState.CANCELLED
    reopened = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        assert ContactService(reopened, REGION).count(ListQuery()) == 1
    finally:
        reopened.close()


def _until_cancelled(control: TaskControl) -> None:
    n = 0
    while True:  # a scan that only a cancel stops
        n += 1
        control.step(n)


def test_an_edit_submitted_behind_low_priority_work_runs_first(
    qtbot: QtBot, runner: TaskRunner, db: Database, fake: Faker
) -> None:
    service = ContactService(db, REGION)
    (cid,) = service.add(make_contact(fake, 1)).added
    order: list[str] = []
    started, release = _gate()
    runner.submit(_blocker(started, release, order, "bulk"), priority=Priority.NORMAL)
    qtbot.waitUntil(started.is_set)  # the writer is busy: what follows queues
    for n in range(3):
        runner.submit(
            lambda _c, n=n: order.append(f"scan {n}") or service.count(ListQuery()),
            priority=Priority.LOW,
        )
    edited = service.get(cid)
    assert edited is not None
    edited.title = "Edited while the scans wait"

    def edit(_c: TaskControl) -> ChangeSet:
        order.append("edit")
        return service.update(edited)

    task = runner.submit(edit, priority=Priority.HIGH)
    release.set()
    _finish(qtbot, runner, task)
    assert order == ["bulk", "edit", "scan 0", "scan 1", "scan 2"]
    stored = service.get(cid)
    assert stored is not None and stored.title == "Edited while the scans wait"


def test_a_running_scan_never_holds_up_an_edit_a_page_or_the_counts(
    qtbot: QtBot, runner: TaskRunner, db: Database, fake: Faker
) -> None:
    service = ContactService(db, REGION)
    (cid,) = service.add(make_contact(fake, 2)).added
    order: list[str] = []
    scan_started, release_scan = _gate()
    scan = runner.submit(
        _blocker(scan_started, release_scan, order, "scan"), lane=Lane.READ, priority=Priority.LOW
    )
    qtbot.waitUntil(scan_started.is_set)
    count = runner.submit(lambda _c: service.count(ListQuery()), lane=Lane.READ)
    page = runner.submit(lambda _c: service.rows([cid]), lane=Lane.READ, priority=Priority.HIGH)
    contact = service.get(cid)
    assert contact is not None
    contact.org = "Saved during a scan"
    edit = runner.submit(lambda _c: service.update(contact), priority=Priority.HIGH)
    qtbot.waitUntil(lambda: edit.finished and page.finished and count.finished)
    assert scan.state is TaskState.RUNNING
    assert edit.state is TaskState.DONE and [r.id for r in page.result] == [cid]
    assert count.result == 1
    release_scan.set()
    _finish(qtbot, runner, scan)
    assert order == ["scan"]


def test_a_long_read_never_holds_up_a_page_or_a_count(
    qtbot: QtBot, runner: TaskRunner, db: Database, fake: Faker
) -> None:
    service = ContactService(db, REGION)
    (cid,) = service.add(make_contact(fake, 2)).added
    order: list[str] = []
    export_started, release_export = _gate()
    export = runner.submit(
        _blocker(export_started, release_export, order, "export"), lane=Lane.READ
    )
    qtbot.waitUntil(export_started.is_set)
    count = runner.submit(lambda _c: order.append("count"), lane=Lane.READ)
    scan = runner.submit(lambda _c: order.append("scan"), lane=Lane.READ, priority=Priority.LOW)
    page = runner.submit(lambda _c: service.rows([cid]), lane=Lane.READ, priority=Priority.HIGH)
    qtbot.waitUntil(lambda: page.finished)
    assert [r.id for r in page.result] == [cid]
    # The second reader is kept for the user: the count and the scan wait for the export.
    assert export.state is TaskState.RUNNING
    assert count.state is TaskState.QUEUED and scan.state is TaskState.QUEUED
    release_export.set()
    _finish(qtbot, runner, scan)
    assert order == ["export", "count", "scan"]


def test_cancel_rolls_back_what_the_task_wrote(
    qtbot: QtBot, runner: TaskRunner, db: Database
) -> None:
    halfway, carry_on = _gate()

    def write(control: TaskControl) -> None:
        with db.write() as conn:
            for n in range(10):
                settings_repo.put(conn, f"test.key{n}", "written")
                control.step(n + 1, 10)
                if n == 4:
                    halfway.set()
                    assert carry_on.wait(30)

    cancelled: list[Task] = []
    runner.finished.connect(
        lambda t: cancelled.append(t) if t.state is TaskState.CANCELLED else None
    )
    task = runner.submit(write, label="Write ten settings")
    queued = runner.submit(lambda _c: settings_repo.put, label="never runs")
    qtbot.waitUntil(halfway.is_set)
    task.cancel()
    queued.cancel()
    carry_on.set()
    _finish(qtbot, runner, queued)
    assert task.state is TaskState.CANCELLED and queued.state is TaskState.CANCELLED
    assert cancelled == [task, queued]
    with db.read() as conn:
        assert [settings_repo.get(conn, f"test.key{n}") for n in range(10)] == [None] * 10


def test_progress_reaches_the_gui_thread_in_order_and_ends_at_the_total(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    seen: list[tuple[int, int]] = []
    steps = threading.Event()

    def work(control: TaskControl) -> int:
        for n in range(1, 201):
            control.step(n, 200)
            if n == 100:
                steps.wait(0.2)  # a pause longer than the progress interval, mid-way
        return 200

    runner.progress.connect(lambda task, done, total: seen.append((done, total)))
    with qtbot.waitSignal(runner.started) as started:
        task = runner.submit(work, label="Count to 200")
    assert started.args == [task]
    _finish(qtbot, runner, task)
    assert task.result == 200
    assert seen and seen[-1] == (200, 200)
    assert len(seen) < 200  # throttled: the GUI thread is not flooded
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert {t for _, t in seen} == {200}


def test_a_restore_waits_for_the_readers_and_holds_new_ones_back(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    order: list[str] = []
    read_started, release_read = _gate()
    runner.submit(_blocker(read_started, release_read, order, "read"), lane=Lane.READ)
    qtbot.waitUntil(read_started.is_set)
    restore = runner.submit(lambda _c: order.append("restore"), exclusive=True)
    later = runner.submit(
        lambda _c: order.append("later read"), lane=Lane.READ, priority=Priority.HIGH
    )
    edit = runner.submit(lambda _c: order.append("files"), lane=Lane.FILES)
    assert restore.state is TaskState.QUEUED
    release_read.set()
    _finish(qtbot, runner, later)
    _finish(qtbot, runner, edit)
    assert order[:2] == ["read", "restore"]
    assert sorted(order[2:]) == ["files", "later read"]


def test_quitting_finishes_queued_writes_and_cancels_scans(
    qtbot: QtBot, db: Database, fake: Faker
) -> None:
    runner = TaskRunner(ChangeHub())
    service = ContactService(db, REGION)
    scanning = threading.Event()

    def scan(control: TaskControl) -> None:
        n = 0
        while True:  # only a cancel stops it
            n += 1
            scanning.set()
            control.step(n)

    started, release = _gate()
    order: list[str] = []
    scan_task = runner.submit(scan, lane=Lane.READ, priority=Priority.LOW)
    runner.submit(_blocker(started, release, order, "first write"))
    qtbot.waitUntil(lambda: scanning.is_set() and started.is_set())
    write = runner.submit(lambda _c: service.add(make_contact(fake, 3)), priority=Priority.HIGH)
    read = runner.submit(lambda _c: order.append("a read nobody waits for"), lane=Lane.READ)
    release.set()
    runner.shutdown()
    assert scan_task.state is TaskState.CANCELLED
    assert write.state is TaskState.DONE and read.state is TaskState.CANCELLED
    assert order == ["first write"]
    assert service.count(ListQuery()) == 1
    assert runner.submit(lambda _c: None).state is TaskState.CANCELLED  # refused once closed
