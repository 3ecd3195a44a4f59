"""The import dialog reads its phone region as the CLI does: checked, UK taken as GB."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from tests.conftest import WINDOW_DATA
from tests.ui.conftest import wait_idle


def test_an_unknown_region_is_a_sentence_not_a_preview(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.transfer.import_file(WINDOW_DATA / "phone-three.vcf")
    qtbot.waitUntil(lambda: dialog.preview is not None)
    dialog.region.setText("XX")
    dialog.start_preview()
    assert "not a country code Kith knows" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    dialog.region.setText("uk")
    dialog.start_preview()
    qtbot.waitUntil(dialog.import_button.isEnabled)
    assert dialog.preview is not None and dialog.preview.new == 3
    dialog.reject()
    wait_idle(qtbot, window)
