"""Needs attention > Probable duplicate leads to the grouped duplicates review."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.domain.contact import Contact, Email, Name, Phone
from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.ui.main_window import DUPLICATES_HINT, MainWindow
from app.ui.segment_pane import PROBABLE_DUPLICATE
from tests.ui.conftest import wait_idle


def _window_with_a_pair(
    make_window: Callable[[Database], MainWindow], db: Database, service: ContactService
) -> tuple[MainWindow, tuple[int, int]]:
    """The window over forty strangers (`filled`) and one pair that is one person."""
    a = service.add(
        Contact(name=Name(given="Ilse", family="Brandauer"), emails=[Email("ilse@example.de")],
                phones=[Phone("+49 30 1234567")])
    ).added[0]  # fmt: skip
    b = service.add(
        Contact(name=Name(given="Ilse", family="Brandauer"), emails=[Email("Ilse@example.de")],
                phones=[Phone("030 1234567", label="work")])
    ).added[0]  # fmt: skip
    return make_window(db), (a, b)


def test_choosing_probable_duplicate_lists_them_and_offers_the_review(
    qtbot: QtBot,
    make_window: Callable[[Database], MainWindow],
    db: Database,
    service: ContactService,
    filled: list[int],
) -> None:
    window, _pair = _window_with_a_pair(make_window, db, service)
    window.segments.select_key(PROBABLE_DUPLICATE)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 2)
    assert window.statusBar().currentMessage() == DUPLICATES_HINT
    assert not window.duplicates.isVisible()  # choosing the line alone opens no window


@pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")  # offscreen: no stacking
def test_double_clicking_probable_duplicate_opens_the_review_with_the_group(
    qtbot: QtBot,
    make_window: Callable[[Database], MainWindow],
    db: Database,
    service: ContactService,
    filled: list[int],
) -> None:
    window, pair = _window_with_a_pair(make_window, db, service)
    row = window.segment_model.row_of(PROBABLE_DUPLICATE)
    assert row is not None
    view = window.segments.view
    view.scrollTo(window.segment_model.index(row))
    rect = view.visualRect(window.segment_model.index(row))
    assert view.viewport().rect().contains(rect.center())
    # Qt's views take a double-click only on the line the first press chose.
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(window.duplicates.scanned, timeout=20000):
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.duplicates.isVisible()
    assert [g.ids for g in window.duplicates.model.groups] == [pair]


@pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
def test_the_context_menu_of_probable_duplicate_offers_the_review(
    qtbot: QtBot,
    make_window: Callable[[Database], MainWindow],
    db: Database,
    service: ContactService,
    filled: list[int],
) -> None:
    window, pair = _window_with_a_pair(make_window, db, service)
    view = window.segments.view
    row = window.segment_model.row_of(PROBABLE_DUPLICATE)
    assert row is not None
    menu = window.segments.context_menu(view.visualRect(window.segment_model.index(row)).center())
    review = next(a for a in menu.actions() if a.text() == "Review duplicates…")
    all_row = window.segment_model.row_of("all")
    assert all_row is not None
    other = window.segments.context_menu(
        view.visualRect(window.segment_model.index(all_row)).center()
    )
    assert "Review duplicates…" not in [a.text() for a in other.actions()]
    with qtbot.waitSignal(window.duplicates.scanned, timeout=20000):
        review.trigger()
    assert [g.ids for g in window.duplicates.model.groups] == [pair]
