"""Create a database, import a real export through the dialog, search, edit, undo, restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.storage.keys import KeyStore
from app.ui.main_window import MainWindow
from app.ui.unlock_dialog import open_database
from tests.conftest import WINDOW_DATA
from tests.ui.conftest import wait_idle

GOOGLE_VCF = WINDOW_DATA / "google-one.vcf"


def test_create_import_search_edit_undo_restart(
    qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow]
) -> None:
    path = tmp_path / "fresh" / "kith.db"
    asked: list[bool] = []

    def ask(new: bool, _message: str) -> str:
        asked.append(new)
        return "e2e passphrase"

    db = open_database(path, KeyStore(), ask)
    assert db is not None and asked == [True]
    window = make_window(db)
    assert window.list_model.rowCount() == 0

    dialog = window.transfer.import_file(GOOGLE_VCF)
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.import_button.isEnabled())
    assert dialog.model.index(0, 2).data() == "new"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.list.segment.import_op is not None)
    wait_idle(qtbot, window)
    assert window.list_model.rowCount() == 1
    window.segments.select_key("all")
    wait_idle(qtbot, window)

    qtbot.keyClicks(window.list.search, "AAAgoogle")
    wait_idle(qtbot, window)
    assert window.list_model.rowCount() == 1
    qtbot.keyClicks(window.list.search, "zzz")
    wait_idle(qtbot, window)
    assert window.list_model.rowCount() == 0
    window.list.search.clear()
    wait_idle(qtbot, window)

    contact_id = window.list_model.id_at(0)
    window.list.select_id(contact_id)
    qtbot.waitUntil(lambda: window.detail.contact_id == contact_id)
    wait_idle(qtbot, window)
    form = window.detail.form
    form.fields["title"].setText("Kept title")
    window.detail.flush()
    wait_idle(qtbot, window)
    form.fields["nickname"].setText("Undone nickname")
    window.detail.flush()
    wait_idle(qtbot, window)
    window.activateWindow()  # the import dialog had the focus
    qtbot.waitUntil(window.isActiveWindow)
    window.list.table.setFocus()  # in a text field, Ctrl+Z undoes typing instead
    qtbot.keyClick(window.list.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: form.fields["nickname"].text() != "Undone nickname")
    assert form.fields["title"].text() == "Kept title"
    window.close()
    db.close()

    again = open_database(path, KeyStore(), ask)
    assert again is not None and asked == [True, False]
    try:
        reopened = make_window(again)
        qtbot.waitUntil(lambda: reopened.list_model.rowCount() == 1)
        stored = reopened.ctx.contacts.get(contact_id)
        assert stored is not None
        assert stored.title == "Kept title"
        assert stored.nickname != "Undone nickname"
        assert reopened.undo_action.text() == f"&Undo Edit {stored.display_name}"
        reopened.close()
    finally:
        again.close()
