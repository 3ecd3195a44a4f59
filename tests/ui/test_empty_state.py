"""The list says what to do when it is empty, and that a search found nothing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.storage.database import Database
from app.ui.empty_state import Emptiness
from app.ui.main_window import MainWindow
from tests.conftest import WINDOW_DATA
from tests.ui.conftest import wait_idle


def test_an_empty_address_book_offers_import_and_add(
    qtbot: QtBot, make_window: Callable[[Database], MainWindow], db: Database
) -> None:
    window = make_window(db)
    empty = window.list.empty
    qtbot.waitUntil(empty.isVisible)
    assert window.list.emptiness() is Emptiness.NO_CONTACTS
    assert not window.list.table.isVisible()
    assert empty.import_button.isVisible() and empty.add_button.isVisible()
    assert "drop" in empty.drop_hint.text() and empty.drop_hint.isVisible()
    assert not empty.clear_button.isVisible()
    qtbot.mouseClick(empty.add_button, Qt.MouseButton.LeftButton)
    assert window.detail.editing and window.detail.showing_new
    window.detail.form.fields["given"].setText("First")
    assert window.detail.done_editing()
    wait_idle(qtbot, window)
    qtbot.waitUntil(window.list.table.isVisible)
    assert not empty.isVisible() and window.list.model.rowCount() == 1


def test_the_import_button_asks_for_a_file(
    qtbot: QtBot, make_window: Callable[[Database], MainWindow], db: Database
) -> None:
    window = make_window(db)
    asked: list[bool] = []
    window.list.import_requested.connect(lambda: asked.append(True))
    qtbot.waitUntil(window.list.empty.isVisible)
    # the window's own handler opens a file dialog; the signal is what the button promises
    window.list.import_requested.disconnect(window.transfer.choose_import)
    qtbot.mouseClick(window.list.empty.import_button, Qt.MouseButton.LeftButton)
    assert asked == [True]


def test_a_file_dropped_on_the_empty_state_opens_the_preview(
    qtbot: QtBot, make_window: Callable[[Database], MainWindow], db: Database, tmp_path: Path
) -> None:
    window = make_window(db)
    qtbot.waitUntil(window.list.empty.isVisible)
    dropped = tmp_path / "phone.vcf"
    shutil.copy(WINDOW_DATA / "phone-three.vcf", dropped)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(dropped))])
    target = window.list.empty.drop_hint
    point = QPointF(target.rect().center())
    enter = QDragEnterEvent(
        point.toPoint(),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)  # drag events rise to the window, which takes files
    assert enter.isAccepted()
    drop = QDropEvent(
        point,
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    dialog = window.transfer.dialog
    assert dialog is not None and dialog.path == dropped
    dialog.close()


def test_a_search_that_finds_nothing_says_so_and_can_be_cleared(
    qtbot: QtBot, window: MainWindow
) -> None:
    lst = window.list
    qtbot.keyClicks(lst.search, "zzqx nobody")
    qtbot.waitUntil(lst.empty.isVisible)
    assert lst.emptiness() is Emptiness.NO_MATCH
    assert lst.empty.title.text() == "Nothing matches “zzqx nobody”"
    assert lst.empty.clear_button.isVisible() and not lst.empty.import_button.isVisible()
    qtbot.mouseClick(lst.empty.clear_button, Qt.MouseButton.LeftButton)
    assert lst.search.text() == ""
    qtbot.waitUntil(lst.table.isVisible)
    assert lst.model.rowCount() == 40


def test_an_empty_segment_is_not_an_empty_address_book(qtbot: QtBot, window: MainWindow) -> None:
    window.segments.select_key("trash")
    qtbot.waitUntil(window.list.empty.isVisible)
    assert window.list.emptiness() is Emptiness.EMPTY_SEGMENT
    assert not window.list.empty.import_button.isVisible()
    assert window.list.empty.title.text() == "Nobody here yet"
