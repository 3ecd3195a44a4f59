"""When the card saves: on finishing a field, on leaving a contact, on closing; never a blank."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from app.core.domain.contact import Contact, Name
from app.core.services.contacts import ContactService
from app.ui.main_window import MainWindow
from tests.ui.conftest import answer_next_question, wait_idle
from tests.ui.test_detail_pane import open_contact

PAUSE_MS = 1600
"""Twice the old autosave delay: a pause in typing that must not save anything."""


@pytest.mark.qt_log_ignore("propagateSizeHints", "support raise", "grabbing the keyboard")
def test_a_pause_while_typing_saves_nothing_enter_saves(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[0])
    tags = window.detail.form.tags
    tags.setFocus()
    tags.end(False)
    qtbot.keyClicks(tags, ", cl")
    qtbot.wait(PAUSE_MS)  # the pause itself is what is tested: nothing may happen in it
    wait_idle(qtbot, window)
    stored = service.get(filled[0])
    assert stored is not None and "cl" not in stored.tags
    qtbot.keyClicks(tags, "ient2")
    qtbot.keyClick(tags, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    stored = service.get(filled[0])
    assert stored is not None and "client2" in stored.tags and "cl" not in stored.tags


def test_leaving_a_card_with_a_problem_can_save_the_valid_edits(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    before = service.get(filled[0])
    assert before is not None
    open_contact(qtbot, window, filled[0])
    form = window.detail.form
    form.fields["title"].setText("Kept title")
    form.emails.rows[0].parts["value"].setText("not-an-email")
    seen: list[str] = []
    answer_next_question(qtbot, "Save the rest", seen)
    window.list.select_id(filled[1])
    qtbot.waitUntil(lambda: window.detail.contact_id == filled[1])
    wait_idle(qtbot, window)
    assert "not-an-email" in seen[0] or "email" in seen[0]
    stored = service.get(filled[0])
    assert stored is not None
    assert stored.title == "Kept title"
    assert stored.emails == before.emails


def test_keep_editing_stays_on_the_card_with_every_edit(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[0])
    form = window.detail.form
    form.fields["title"].setText("Half done")
    form.emails.rows[0].parts["value"].setText("half@")
    seen: list[str] = []
    answer_next_question(qtbot, "Keep editing", seen)
    window.list.select_id(filled[1])
    qtbot.waitUntil(lambda: bool(seen))
    qtbot.waitUntil(lambda: window.list.current_id() == filled[0])  # the list goes back to it
    wait_idle(qtbot, window)
    assert window.detail.contact_id == filled[0]
    assert form.fields["title"].text() == "Half done"
    assert form.emails.rows[0].parts["value"].text() == "half@"
    assert window.detail.dirty


def test_ctrl_z_in_a_field_never_reaches_into_another_contact(
    qtbot: QtBot, window: MainWindow, service: ContactService
) -> None:
    """Contact A's typing must not be undone into contact B's field, which shows the same text."""
    ids = []
    for given, job in (("Ann", ""), ("Bea", "Engineer")):
        change = service.add(Contact(name=Name(given=given), title=job))
        window.ctx.hub.publish(change)
        ids.append(change.added[0])
    wait_idle(qtbot, window)
    open_contact(qtbot, window, ids[0])
    title = window.detail.form.fields["title"]
    title.setFocus()
    qtbot.keyClicks(title, "Engineer")  # B's text, typed into A: an undo history back to ""
    qtbot.keyClick(title, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    open_contact(qtbot, window, ids[1])
    title.setFocus()
    qtbot.keyClick(title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert title.text() == "Engineer"
    window.detail.flush()
    wait_idle(qtbot, window)
    stored = service.get(ids[1])
    assert stored is not None and stored.title == "Engineer"


def test_ctrl_z_undoes_typing_then_the_last_saved_edit(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    original = service.get(filled[2])
    assert original is not None
    open_contact(qtbot, window, filled[2])
    form = window.detail.form
    title, org = form.fields["title"], form.fields["org"]
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Boss")
    qtbot.keyClick(title, Qt.Key.Key_Return)  # saved
    wait_idle(qtbot, window)
    org.setFocus()
    org.end(False)
    qtbot.keyClicks(org, " typo")
    qtbot.keyClick(org, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert org.text() == original.org  # the field's own undo: only what was typed
    qtbot.keyClick(org, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing left here
    wait_idle(qtbot, window)
    stored = service.get(filled[2])
    assert stored is not None
    assert (stored.title, stored.org) == (original.title, original.org)  # the app's undo
    qtbot.waitUntil(lambda: title.text() == original.title)


def test_closing_while_the_worker_is_busy_keeps_the_last_edit(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[3])
    window.detail.form.fields["title"].setText("Last words")
    release = threading.Event()
    window.ctx.worker.submit(lambda: release.wait(10))  # a long job ahead of the save
    QTimer.singleShot(300, release.set)
    window.close()
    # The runner belongs to the application, not the window: the save runs after the close.
    assert not window.isVisible()
    qtbot.waitUntil(lambda: window.ctx.runner.pending == 0)
    stored = service.get(filled[3])
    assert stored is not None and stored.title == "Last words"


def test_closing_with_a_problem_asks_first(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[4])
    window.detail.form.fields["title"].setText("Before closing")
    window.detail.form.birthday.setText("not a date")
    seen: list[str] = []
    answer_next_question(qtbot, "Keep editing", seen)
    window.close()
    assert seen and window.isVisible()
    answer_next_question(qtbot, "Save the rest", seen)
    window.close()
    assert not window.isVisible()
    qtbot.waitUntil(lambda: window.ctx.runner.pending == 0)
    stored = service.get(filled[4])
    assert stored is not None and stored.title == "Before closing"
