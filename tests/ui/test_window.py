"""The main window: segments drive the list, keyboard, bulk actions, smart segments, settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.domain.contact import Stage
from app.core.services.contacts import ContactService
from app.core.services.segments import Rule, RuleKind
from app.core.storage.database import Database
from app.core.storage.search import SortOrder
from app.ui.main_window import MainWindow
from tests.ui.conftest import answer_next_question, wait_idle


def choose_segment(qtbot: QtBot, window: MainWindow, key: str) -> None:
    row = window.segment_model.row_of(key)
    assert row is not None, key
    window.segments.view.setCurrentIndex(window.segment_model.index(row))
    wait_idle(qtbot, window)


def select_rows(window: MainWindow, rows: range) -> None:
    model = window.list.table.selectionModel()
    flags = model.SelectionFlag.Select | model.SelectionFlag.Rows
    model.clearSelection()
    for r in rows:
        model.select(window.list_model.index(r, 0), flags)


def test_segments_filter_the_list(qtbot: QtBot, window: MainWindow) -> None:
    assert window.list_model.rowCount() == 40
    choose_segment(qtbot, window, "tag:client")
    assert window.list_model.rowCount() == 20
    choose_segment(qtbot, window, "stage:friend")
    assert window.list_model.rowCount() == 20
    choose_segment(qtbot, window, "trash")
    assert window.list_model.rowCount() == 0
    choose_segment(qtbot, window, "all")
    assert window.list.count.text() == "40 contacts"


def test_search_as_you_type(qtbot: QtBot, window: MainWindow, service: ContactService) -> None:
    target = service.get(window.list_model.id_at(7))
    assert target is not None
    window.find_action.trigger()
    assert window.list.search.hasFocus() or QApplication.focusWidget() is window.list.search
    qtbot.keyClicks(window.list.search, target.name.family[:4])
    wait_idle(qtbot, window)
    shown = [window.list_model.id_at(r) for r in range(window.list_model.rowCount())]
    assert target.id in shown
    assert len(shown) < 40


def test_delete_key_and_undo(qtbot: QtBot, window: MainWindow, service: ContactService) -> None:
    window.list.table.setFocus()
    select_rows(window, range(0, 3))
    doomed = window.list.selected_ids()
    assert len(doomed) == 3
    seen: list[str] = []
    answer_next_question(qtbot, "Move to the trash 3 contacts", seen)
    qtbot.keyClick(window.list.table, Qt.Key.Key_Delete)
    wait_idle(qtbot, window)
    assert seen == ["Move to the trash 3 contacts?"]
    # The offscreen platform does not give the window back its focus after a dialog.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert window.list_model.rowCount() == 37
    assert all(c.deleted_at is not None for c in service.get_many(doomed))
    qtbot.waitUntil(lambda: window.undo_action.text() == "&Undo Delete 3 contacts")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert window.list_model.rowCount() == 40
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    wait_idle(qtbot, window)
    assert window.list_model.rowCount() == 37
    choose_segment(qtbot, window, "trash")
    assert sorted(window.list_model.ids) == sorted(doomed)


def test_bulk_tag_untag_and_stage(
    qtbot: QtBot, window: MainWindow, service: ContactService
) -> None:
    select_rows(window, range(0, 5))
    ids = window.list.selected_ids()
    seen: list[str] = []
    answer_next_question(qtbot, "Tag 5 contacts", seen)
    window.bulk.tag(add=["conference"])
    wait_idle(qtbot, window)
    assert all("conference" in c.tags for c in service.get_many(ids))
    qtbot.waitUntil(lambda: window.segment_model.row_of("tag:conference") is not None)
    answer_next_question(qtbot, "Set the stage of 5 contacts", seen)
    window.bulk.set_stage(Stage.LEAD)
    wait_idle(qtbot, window)
    assert {c.stage for c in service.get_many(ids)} == {Stage.LEAD}
    answer_next_question(qtbot, "Untag 5 contacts", seen)
    window.bulk.tag(remove=["conference"])
    wait_idle(qtbot, window)
    assert not any("conference" in c.tags for c in service.get_many(ids))
    window.undo()
    wait_idle(qtbot, window)
    assert all("conference" in c.tags for c in service.get_many(ids))


def test_smart_segment_editor_creates_a_segment(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.smart.editor(None)
    qtbot.addWidget(editor)
    editor.name.setText("Friends without phone")
    editor.rows[0].kind.setCurrentIndex(list(RuleKind).index(RuleKind.STAGE_IS))
    editor.rows[0].value.setText("astronaut")
    editor.accept()
    assert "not a stage" in editor.problem.text()
    assert editor.result() == 0
    editor.rows[0].value.setText("friend")
    editor.add_rule(Rule(RuleKind.MISSING_PHONE))
    editor.accept()
    assert editor.problem.text() == ""
    window.smart.save(editor.segment())
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.segments.current_key.startswith("smart:"))
    wait_idle(qtbot, window)
    entry = window.segments.current_entry()
    assert entry is not None and entry.title == "Friends without phone"
    assert window.list_model.rowCount() == entry.count == 0
    assert entry.smart is not None
    window.smart.delete(entry.smart)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.segment_model.row_of(entry.key) is None)


def test_layout_and_list_settings_are_remembered(
    qtbot: QtBot,
    make_window: Callable[[Database], MainWindow],
    db: Database,
    settings: QSettings,
    filled: list[int],
) -> None:
    first = make_window(db)
    first.resize(760, 560)
    first.splitter.setSizes([150, 300, 300])
    sizes = first.splitter.sizes()
    first.list.set_sort(SortOrder.COMPANY)
    first.family_first_action.trigger()
    choose_segment(qtbot, first, "tag:client")
    first.close()
    second = make_window(db)
    assert (second.width(), second.height()) == (760, 560)
    assert second.splitter.sizes() == sizes
    assert second.list.sort_order() is SortOrder.COMPANY
    assert second.family_first_action.isChecked()
    qtbot.waitUntil(lambda: second.list_model.rowCount() == 20)


def test_enter_in_the_list_moves_to_the_card(qtbot: QtBot, window: MainWindow) -> None:
    window.list.table.setFocus()
    window.list.select_id(window.list_model.id_at(0))
    qtbot.keyClick(window.list.table, Qt.Key.Key_Down)
    wait_idle(qtbot, window)
    assert window.detail.contact_id == window.list_model.id_at(1)
    qtbot.keyClick(window.list.table, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.detail.form.fields["given"]
