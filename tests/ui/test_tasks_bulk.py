"""Bulk actions run as tasks: a label and progress in the status bar, Cancel, one undo."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.domain.contact import Stage
from app.core.services.contacts import ChangeSet
from app.core.services.queries import ListQuery
from app.core.tasks import TaskControl
from app.ui.main_window import MainWindow
from app.ui.tasks import Task, TaskState
from tests.ui.conftest import wait_idle


@pytest.fixture
def agreeing(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    """The window, with "Tag 40 contacts?" answered yes."""
    monkeypatch.setattr(window.bulk, "confirm", lambda verb, count: True)
    return window


def _counts(window: MainWindow) -> dict[str, int]:
    return {e.key: e.count for e in window.segment_model.entries if not e.is_heading}


def test_select_all_then_tag_runs_as_a_task_and_undoes_in_one_step(
    qtbot: QtBot, agreeing: MainWindow
) -> None:
    window = agreeing
    window.list.table.setFocus()
    window.list.table.selectAll()
    assert window.bulk.selected_ids() == list(window.list_model.ids)
    shown: list[tuple[str, bool]] = []
    window.ctx.runner.started.connect(
        lambda t: (
            shown.append((window.progress.label.text(), window.progress.isVisible()))
            if t.label
            else None
        )
    )
    task = window.bulk.tag(add=["newsletter"])
    assert task is not None and task.label == "Tag 40 contacts"
    wait_idle(qtbot, window)
    assert task.state is TaskState.DONE
    assert shown == [("Tag 40 contacts…", True)]  # the status bar said what runs
    assert not window.progress.isVisible()  # and let go of it at the end
    assert _counts(window)["tag:newsletter"] == 40
    assert window.statusBar().currentMessage() == "Change tags"
    window.undo()
    wait_idle(qtbot, window)
    assert "tag:newsletter" not in _counts(window)
    contacts = window.ctx.contacts
    assert all("newsletter" not in c.tags for c in contacts.get_many(contacts.ids(ListQuery())))


def test_stage_and_delete_of_a_selection_are_tasks(qtbot: QtBot, agreeing: MainWindow) -> None:
    window = agreeing
    model = window.list.table.selectionModel()
    flags = model.SelectionFlag.Select | model.SelectionFlag.Rows
    for row in (1, 2, 3, 10):  # two ranges
        model.select(window.list_model.index(row, 0), flags)
    picked = [window.list_model.id_at(r) for r in (1, 2, 3, 10)]
    assert window.bulk.selected_ids() == picked
    staged = window.bulk.set_stage(Stage.LEAD)
    assert staged is not None and staged.label == "Set the stage of 4 contacts"
    wait_idle(qtbot, window)
    assert _counts(window)["stage:lead"] == 4
    model.clearSelection()  # the rows may have moved: select the same contacts again
    for cid in picked:
        row = window.list_model.row_of(cid)
        assert row is not None
        model.select(window.list_model.index(row, 0), flags)
    deleted = window.bulk.delete()
    assert deleted is not None and deleted.label == "Move 4 contacts to the trash"
    wait_idle(qtbot, window)
    assert _counts(window)["trash"] == 4 and _counts(window)["all"] == 36
    assert not set(picked) & set(window.list_model.ids)


def test_cancel_in_the_status_bar_stops_a_bulk_tag_and_changes_nothing(
    qtbot: QtBot, agreeing: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = agreeing
    contacts = window.ctx.contacts
    real_tag = contacts.tag
    halfway, carry_on = threading.Event(), threading.Event()

    def tag(
        ids: Sequence[int],
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
        control: TaskControl | None = None,
    ) -> ChangeSet:
        # The shape of the set-based service: steps between chunks, then writes it all at once.
        assert control is not None, "the window passes its control to a service that takes one"
        for n in range(0, len(ids), 10):
            control.step(n, len(ids))
            if n == 10:
                halfway.set()
                assert carry_on.wait(30)
        return real_tag(ids, add=add, remove=remove)

    monkeypatch.setattr(contacts, "tag", tag)
    window.list.table.selectAll()
    task = window.bulk.tag(add=["never"])
    assert task is not None
    qtbot.waitUntil(halfway.is_set)
    qtbot.waitUntil(lambda: window.progress.task is task)
    assert window.progress.bar.maximum() == 40
    qtbot.mouseClick(window.progress.cancel_button, Qt.MouseButton.LeftButton)
    carry_on.set()
    wait_idle(qtbot, window)
    assert task.state is TaskState.CANCELLED
    assert window.statusBar().currentMessage() == "Cancelled: Tag 40 contacts. Nothing was changed."
    assert "tag:never" not in _counts(window)
    assert all("never" not in c.tags for c in contacts.get_many(contacts.ids(ListQuery())))


def test_an_export_of_the_selection_is_a_task_on_the_reader(
    qtbot: QtBot, agreeing: MainWindow, tmp_path: Path
) -> None:
    window = agreeing
    window.list.table.selectAll()
    ended: list[Task] = []
    window.ctx.runner.finished.connect(ended.append)
    out = tmp_path / "all.vcf"
    window.transfer._write_export(window.bulk.selected_ids(), out, "vcard")
    wait_idle(qtbot, window)
    (task,) = [t for t in ended if t.label]
    assert task.label == "Export 40 contacts" and task.state is TaskState.DONE
    assert out.read_text(encoding="utf-8").count("BEGIN:VCARD") == 40
