"""Import through the dialog (preview, column map, cancel, commit), export, drag and drop."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.services.contacts import ContactService
from app.core.storage.search import ListQuery
from app.ui.import_dialog import ImportDialog
from app.ui.main_window import MainWindow
from tests.conftest import WINDOW_DATA
from tests.ui.conftest import wait_idle

GOOGLE_VCF = WINDOW_DATA / "google-one.vcf"
THREE_VCF = WINDOW_DATA / "phone-three.vcf"


def previewed(qtbot: QtBot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.progress.isHidden())


def test_preview_then_commit_selects_the_import(
    qtbot: QtBot, window: MainWindow, qtmodeltester: ModelTester
) -> None:
    dialog = window.transfer.import_file(THREE_VCF)
    previewed(qtbot, dialog)
    assert dialog.model.rowCount() == 3
    assert dialog.summary.text().startswith("3 new, 0 already here, 0 with problems")
    qtmodeltester.check(dialog.model)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.list.segment.import_op is not None)
    wait_idle(qtbot, window)
    assert window.segments.current_key == f"import:{window.list.segment.import_op}"
    assert window.list_model.rowCount() == 3
    assert window.undo_action.text() == f"&Undo Import {THREE_VCF.name}"
    window.undo()
    wait_idle(qtbot, window)
    assert window.ctx.contacts.count(ListQuery()) == 40


def test_generic_csv_uses_the_column_map(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, service: ContactService
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Who,Mail,Firm\nAda Quist,ada@example.org,Looms\n", encoding="utf-8")
    dialog = window.transfer.import_file(path)
    previewed(qtbot, dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    qtbot.waitUntil(lambda: dialog.columns.rowCount() == 3 and not dialog.columns.isHidden())
    choices = [dialog.columns.cellWidget(n, 1) for n in range(3)]
    for choice, field in zip(choices, ("given", "email", "org"), strict=True):
        choice.setCurrentText(field)  # type: ignore[union-attr]
    assert dialog.column_map() == {"Who": "given", "Mail": "email", "Firm": "org"}
    dialog.start_preview()
    previewed(qtbot, dialog)
    assert dialog.model.index(0, 1).data() == "Ada Quist"
    dialog.commit()
    wait_idle(qtbot, window)
    found = service.ids(ListQuery(text="quist"))
    (contact,) = service.get_many(found)
    assert (contact.org, contact.emails[0].value) == ("Looms", "ada@example.org")


def test_cancel_stops_the_preview(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.transfer.import_file(GOOGLE_VCF)
    dialog.cancel()
    qtbot.waitUntil(dialog.progress.isHidden)
    # Either the file was read before the cancel arrived, or nothing was.
    assert dialog.preview is not None or "Cancelled" in dialog.summary.text()
    assert window.list_model.rowCount() == 40


def test_dropping_a_vcard_opens_the_preview(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dropped = tmp_path / "dropped.vcf"
    shutil.copy(THREE_VCF, dropped)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    dialog = window.transfer.dialog
    assert dialog is not None and dialog.path == dropped
    previewed(qtbot, dialog)
    assert dialog.preview is not None and dialog.preview.new == 3


def test_export_selection_writes_a_vcard(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    ids = list(window.list_model.ids[:4])
    out = tmp_path / "four.vcf"
    window.transfer.export(ids, out, "vcard")
    wait_idle(qtbot, window)
    assert out.read_text(encoding="utf-8").count("BEGIN:VCARD") == 4
    assert window.statusBar().currentMessage() == "Exported 4 contacts to four.vcf."
