"""Fixtures for the window's tests: offscreen Qt, real encrypted databases, a built window."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from faker import Faker
from PySide6.QtCore import QEvent, QSettings, QTimer, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.ui.app import build_window
from app.ui.detail_pane import Leave
from app.ui.main_window import MainWindow
from tests.conftest import make_contact

REGION = "GB"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The offscreen platform warns that it cannot size windows; that is not our bug."""
    for item in items:
        if "tests/ui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints"))


@pytest.fixture(autouse=True)
def _earlier_tests_garbage_collected(qapp: QApplication) -> None:
    """Collect what earlier tests left (windows, views, their Qt wrappers) before this one runs.

    Left to the collector's own timing, that garbage was collected in the middle of a later
    test's event loop, while its task threads ran, and the interpreter crashed there about one
    run in five (a segmentation fault "Garbage-collecting" in `test_duplicates_view`, after the
    window tests). Collected here, between tests, with no thread running, it never did in
    twelve runs.
    """
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Window settings in a file of the test's own."""
    return QSettings(str(tmp_path / "kith.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def service(db: Database) -> ContactService:
    """The contact service over the test database."""
    return ContactService(db, REGION)


@pytest.fixture
def filled(db: Database, service: ContactService, fake: Faker) -> list[int]:
    """Forty generated contacts; returns their ids."""
    return [service.add(make_contact(fake, n)).added[0] for n in range(40)]


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the runner has delivered every result and no recount is due."""
    ctx = window.ctx
    qtbot.waitUntil(lambda: ctx.runner.pending == 0 and not window.recount_due)
    qtbot.waitUntil(lambda: ctx.runner.pending == 0)


@pytest.fixture
def opened_urls() -> list[str]:
    """mailto:/tel: links the window asked the desktop to open."""
    return []


@pytest.fixture
def make_window(
    qtbot: QtBot, settings: QSettings, opened_urls: list[str]
) -> Iterator[Callable[[Database], MainWindow]]:
    """Builds windows over a database; closes them at the end of the test."""
    windows: list[MainWindow] = []

    def make(db: Database) -> MainWindow:
        window = build_window(
            db,
            settings,
            open_url=lambda url: opened_urls.append(QUrl(url).toString()),
            region=REGION,
        )
        # Not qtbot.addWidget: its teardown closes windows before ours can answer a question.
        window.show()
        windows.append(window)
        wait_idle(qtbot, window)
        qtbot.waitUntil(lambda: window.segment_model.rowCount() > 0)
        wait_idle(qtbot, window)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            # A test that left a card with a problem must not wait on a question at teardown.
            window.detail.ask_leave = lambda _problems: Leave.DISCARD  # type: ignore[method-assign]
            window.close()
        window.ctx.runner.shutdown()  # the application's runner outlives the window
        window.deleteLater()


@pytest.fixture
def window(
    make_window: Callable[[Database], MainWindow], db: Database, filled: list[int]
) -> MainWindow:
    """The main window over forty contacts."""
    return make_window(db)


def answer_next_question(qtbot: QtBot, button: str, seen: list[str]) -> None:
    """Click `button` in the next message box that opens, and note its text in `seen`."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        for b in box.findChildren(QPushButton):
            if b.text().replace("&", "") == button:
                b.click()
                return
        raise AssertionError(
            f"no {button!r} in {[b.text() for b in box.findChildren(QPushButton)]}"
        )

    QTimer.singleShot(0, click)
