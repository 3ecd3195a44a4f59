"""The window's import preview shows each match's contact, score and reasons, and a choice.

Alice is stored; the file holds her colleague (her switchboard), her partner (her household
email) and a second card of Alice herself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.services import importer
from app.core.services.contacts import ContactService
from app.core.services.queries import ListQuery
from app.core.storage.database import Database
from app.ui.import_dialog import ImportDialog
from app.ui.main_window import MainWindow
from app.ui.preview_model import PreviewColumn
from tests.core.services.test_import_matching import ALICE_AGAIN, COLLEAGUE, PARTNER, alice
from tests.ui.conftest import REGION, wait_idle


def _open(
    qtbot: QtBot, make_window: Callable[[Database], MainWindow], db: Database, tmp_path: Path
) -> tuple[MainWindow, ImportDialog, int]:
    (alice_id,) = ContactService(db, REGION).add(alice()).added
    path = tmp_path / "incoming.vcf"
    path.write_text(COLLEAGUE + PARTNER + ALICE_AGAIN, encoding="utf-8")
    window = make_window(db)
    dialog = window.transfer.import_file(path)
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.progress.isHidden())
    return window, dialog, alice_id


def _cell(dialog: ImportDialog, row: int, column: PreviewColumn, role: int = 0) -> object:
    return dialog.model.index(row, column).data(role or Qt.ItemDataRole.DisplayRole)


def test_the_preview_shows_whom_each_record_matches_and_why(
    qtbot: QtBot,
    make_window: Callable[[Database], MainWindow],
    db: Database,
    tmp_path: Path,
    qtmodeltester: ModelTester,
) -> None:
    _, dialog, _ = _open(qtbot, make_window, db, tmp_path)
    qtmodeltester.check(dialog.model)
    assert [_cell(dialog, n, PreviewColumn.STATUS) for n in range(3)] == ["new", "new", "match"]
    for n in range(3):
        assert str(_cell(dialog, n, PreviewColumn.MATCH)).startswith("Alice Walker (")
    tip = str(_cell(dialog, 0, PreviewColumn.MATCH, Qt.ItemDataRole.ToolTipRole))
    assert "same work phone +44 20 7946 0000" in tip
    # Near matches default to create, the probable match to merge.
    assert [_cell(dialog, n, PreviewColumn.ACTION) for n in range(3)] == [
        "Create",
        "Create",
        "Merge",
    ]
    assert dialog.summary.text().startswith("2 new, 1 already here")


def test_per_record_choices_reach_the_import(
    qtbot: QtBot,
    make_window: Callable[[Database], MainWindow],
    db: Database,
    tmp_path: Path,
) -> None:
    window, dialog, alice_id = _open(qtbot, make_window, db, tmp_path)
    partner = dialog.model.index(1, PreviewColumn.ACTION)
    assert dialog.model.setData(partner, "skip")
    assert not dialog.model.setData(dialog.model.index(0, PreviewColumn.ACTION), "update")
    with qtbot.waitSignal(dialog.imported, timeout=60_000) as imported:
        dialog.commit()
    result: importer.ImportResult = imported.args[0]
    wait_idle(qtbot, window)
    assert (result.created, result.updated, result.skipped) == (1, 1, 1)
    service = ContactService(db, REGION)
    everyone = service.get_many(service.ids(ListQuery()))
    assert sorted(c.display_name for c in everyone) == ["Alice Walker", "Bob Colleague"]
    (kept,) = [c for c in everyone if c.id == alice_id]
    assert kept.title == "Architect" and kept.notes == alice().notes  # merged, nothing lost
