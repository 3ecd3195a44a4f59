"""Logging one interaction with several selected contacts at once (a meeting of three)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from app.core.domain.interaction import InteractionKind
from app.core.services.contacts import ContactService
from app.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle


def test_a_meeting_is_logged_with_every_selected_contact_and_undone_at_once(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    wait_idle(qtbot, window)
    table, model = window.list.table, window.list_model
    chosen = [model.id_at(r) for r in (1, 2, 4)]
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (1, 2, 4):
        table.selectionModel().select(model.index(row, 0), flags)
    window.bulk.log_action.trigger()
    dialog = window.detail.logger.dialog if window.detail.logger else None
    assert dialog is not None and dialog.isVisible()
    first = service.get(chosen[0])
    assert first is not None and first.display_name in dialog.who.text()
    dialog.choose_kind(InteractionKind.MEETING)
    dialog.summary.setText("Kick-off for the catalogue")
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    def logged() -> list[int]:
        found = [service.get(cid) for cid in chosen]
        return [len(c.interactions) if c else -1 for c in found]

    qtbot.waitUntil(lambda: logged() == [1, 1, 1])
    meeting = service.get(chosen[1])
    assert meeting is not None and meeting.last_contacted is not None
    assert meeting.interactions[0].summary == "Kick-off for the catalogue"
    unselected = service.get(model.id_at(3))
    assert unselected is not None and unselected.interactions == []
    window.undo()  # one operation: one undo takes it back from all three
    qtbot.waitUntil(lambda: logged() == [0, 0, 0])
