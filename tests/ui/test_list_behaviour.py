"""The list: search finds what rows show, opens at the top, and selection is of what is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.services.contacts import ContactService
from app.core.storage.search import ListQuery
from app.ui.main_window import MainWindow
from tests.ui.conftest import answer_next_question, wait_idle
from tests.ui.test_detail_pane import open_contact
from tests.ui.test_window import choose_segment, select_rows


def search(qtbot: QtBot, window: MainWindow, text: str) -> list[int]:
    window.list.search.setText(text)
    wait_idle(qtbot, window)
    return list(window.list_model.ids)


def test_a_phone_as_the_list_shows_it_finds_its_row(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    contact = service.get(filled[9])
    assert contact is not None
    shown = contact.phones[0].value  # "+44 20 7xxx xxxx"
    national = "0" + shown.removeprefix("+44 ")
    for text in (shown, national, shown[-9:], shown[-4:]):
        assert filled[9] in search(qtbot, window, text), text
    local = contact.emails[0].value.split("@")[0]
    assert filled[9] in search(qtbot, window, local[-4:] + "@")


def test_a_new_search_opens_at_its_first_hits(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1000, 360)  # fewer rows fit than forty
    wait_idle(qtbot, window)
    bar = window.list.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    window.list.table.scrollToBottom()
    assert bar.value() > 0
    search(qtbot, window, "e")
    qtbot.waitUntil(lambda: bar.value() == 0)


def test_enter_or_down_in_the_search_box_goes_to_the_first_hit(
    qtbot: QtBot, window: MainWindow
) -> None:
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Return):
        window.focus_search()
        ids = search(qtbot, window, "a")
        qtbot.keyClick(window.list.search, key)
        assert QApplication.focusWidget() is window.list.table
        assert window.list.current_id() == ids[0]
        qtbot.waitUntil(lambda first=ids[0]: window.detail.contact_id == first)
        window.list.table.setCurrentIndex(window.list_model.index(3, 0))
        wait_idle(qtbot, window)


def test_a_segment_switch_or_a_new_search_clears_the_selection(
    qtbot: QtBot, window: MainWindow, service: ContactService
) -> None:
    select_rows(window, range(0, 6))
    assert len(window.list.selected_ids()) == 6
    choose_segment(qtbot, window, "tag:client")
    assert window.list.selected_ids() == []
    select_rows(window, range(0, 4))
    search(qtbot, window, "a")
    assert window.list.selected_ids() == []
    window.list.table.setFocus()
    qtbot.keyClick(window.list.table, Qt.Key.Key_Delete)
    wait_idle(qtbot, window)
    assert service.count(ListQuery()) == 40  # nothing selected, nothing sent to the trash
    choose_segment(qtbot, window, "trash")
    assert window.list_model.rowCount() == 0


def test_a_bulk_action_says_how_many_it_touches_first(
    qtbot: QtBot, window: MainWindow, service: ContactService
) -> None:
    select_rows(window, range(0, 3))
    ids = window.list.selected_ids()
    seen: list[str] = []
    answer_next_question(qtbot, "Cancel", seen)
    window.bulk.delete()
    wait_idle(qtbot, window)
    assert "Move to the trash 3 contacts" in seen[0]
    assert all(c.deleted_at is None for c in service.get_many(ids))
    answer_next_question(qtbot, "Tag 3 contacts", seen)
    window.bulk.tag(add=["counted"])
    wait_idle(qtbot, window)
    assert "3 contacts" in seen[1]
    assert all("counted" in c.tags for c in service.get_many(ids))


def test_the_card_is_cleared_when_its_contact_leaves_the_list(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[0])  # a friend (even numbers are friends)
    choose_segment(qtbot, window, "tag:client")
    qtbot.waitUntil(lambda: window.detail.contact_id is None)
    assert window.detail.empty.isVisible()
    choose_segment(qtbot, window, "all")
    open_contact(qtbot, window, filled[1])
    window.ctx.hub.publish(service.delete([filled[1]]))  # from elsewhere: the CLI, say
    qtbot.waitUntil(lambda: window.detail.contact_id is None)
    assert not window.detail.card.isVisible()


def test_a_new_card_stays_when_the_row_under_the_cursor_leaves(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[2])
    window.new_contact()
    window.detail.form.fields["given"].setText("Newcomer")
    window.ctx.hub.publish(service.delete([filled[2]]))
    wait_idle(qtbot, window)
    assert window.detail.showing_new
    assert window.detail.form.fields["given"].text() == "Newcomer"
