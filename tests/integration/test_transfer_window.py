"""The window's export: a format that cannot carry everything asks first, with the list."""

# The window's fixtures come from tests/ui/conftest.py; pytest passes them by parameter name.
# ruff: noqa: F811

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from tests.ui.conftest import (  # noqa: F401  (fixtures, used by name)
    filled,
    make_window,
    opened_urls,
    service,
    settings,
    wait_idle,
    window,
)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _question(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: window.transfer.confirm is not None)
    box = window.transfer.confirm
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    return box


def _press(box: QMessageBox, text: str) -> None:
    (button,) = [b for b in box.buttons() if b.text().replace("&", "") == text]
    button.click()


def test_outlook_export_lists_what_it_cannot_carry_before_writing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    out = tmp_path / "contacts.csv"
    ids = list(window.list_model.ids[:4])
    window.transfer.export(ids, out, "outlook-csv")
    box = _question(qtbot, window)
    # Each generated contact has a custom field and a stage, which Outlook CSV cannot carry.
    assert "Outlook CSV cannot carry:" in box.text()
    assert "4 custom fields (on 4 contacts)" in box.text()
    assert "4 stages (on 4 contacts)" in box.text()
    assert not out.exists()
    _press(box, "Export")
    wait_idle(qtbot, window)
    assert out.read_text(encoding="utf-8-sig").count("@") == 4
    assert window.statusBar().currentMessage() == "Exported 4 contacts to contacts.csv."


def test_cancelling_the_question_writes_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    out = tmp_path / "contacts.csv"
    window.transfer.export(list(window.list_model.ids[:2]), out, "google-csv")
    box = _question(qtbot, window)
    assert "Google CSV cannot carry: 2 stages (on 2 contacts)." in box.text()
    _press(box, "Cancel")
    wait_idle(qtbot, window)
    assert not out.exists()


def test_vcard_export_asks_nothing(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    out = tmp_path / "contacts.vcf"
    window.transfer.export(list(window.list_model.ids[:3]), out, "vcard")
    wait_idle(qtbot, window)
    assert window.transfer.confirm is None
    assert out.read_text(encoding="utf-8").count("BEGIN:VCARD") == 3
