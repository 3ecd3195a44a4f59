"""File > Back up… and File > Restore… with a real database, the file dialogs answered."""

from __future__ import annotations

from pathlib import Path

from faker import Faker
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.core.services.contacts import ChangeSet, ContactService
from app.core.services.queries import ListQuery
from app.core.services.session import Database, DatabaseKey
from app.ui.backups import FileChooser
from app.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE, make_contact
from tests.ui.conftest import wait_idle


class Chooser(FileChooser):
    """Answers the file dialogs with the paths it was given, and notes what was asked."""

    def __init__(self, *answers: Path | None) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, Path]] = []

    def open_file(self, parent: QWidget, title: str, folder: Path) -> Path | None:
        self.asked.append((title, folder))
        return self.answers.pop(0)

    def save_file(self, parent: QWidget, title: str, suggested: Path) -> Path | None:
        self.asked.append((title, suggested))
        return self.answers.pop(0)


def _file_menu(window: MainWindow) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    return [a.text() for a in menu.actions()]  # type: ignore[union-attr]


def _back_up(qtbot: QtBot, window: MainWindow, dest: Path) -> None:
    window.backups.chooser = Chooser(dest)
    with qtbot.waitSignal(window.ctx.worker.idle):
        window.backup_action.trigger()
    assert window.statusBar().currentMessage() == f"Backed up to {dest}."


def test_back_up_then_restore_from_the_file_menu(
    qtbot: QtBot, window: MainWindow, db_path: Path, tmp_path: Path, fake: Faker
) -> None:
    service = ContactService(window.ctx.db, "GB")
    assert "&Back up…" in _file_menu(window) and "&Restore…" in _file_menu(window)
    saved = tmp_path / "saved.kith"
    _back_up(qtbot, window, saved)
    assert saved.exists()
    for n in range(5):
        service.add(make_contact(fake, 100 + n))
    window.list_model.refresh()
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 45)
    wait_idle(qtbot, window)

    chooser = Chooser(saved)
    window.backups.chooser = chooser
    with qtbot.waitSignal(window.ctx.hub.changed, check_params_cb=lambda c: c.label != ""):
        window.restore_action.trigger()
    assert chooser.asked == [("Restore from a backup", db_path.parent / "backups")]
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 40)
    assert window.statusBar().currentMessage().startswith("Restored saved.kith;")
    wait_idle(qtbot, window)
    # The window goes on writing, into the restored file.
    added: list[ChangeSet] = []
    window.ctx.worker.submit(lambda: window.ctx.contacts.add(make_contact(fake, 9)), added.append)
    qtbot.waitUntil(lambda: bool(added))
    wait_idle(qtbot, window)
    window.ctx.db.close()
    reopened = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    assert ContactService(reopened, "GB").count(ListQuery()) == 41
    assert reopened.integrity_problems() == []
    reopened.close()
    # The state before the restore was kept, and can be restored in its turn.
    assert any("before-restore" in p.name for p in (db_path.parent / "backups").iterdir())


def test_restore_refuses_while_another_kith_holds_the_database(
    qtbot: QtBot, window: MainWindow, db_path: Path, tmp_path: Path, fake: Faker
) -> None:
    service = ContactService(window.ctx.db, "GB")
    saved = tmp_path / "saved.kith"
    _back_up(qtbot, window, saved)
    service.add(make_contact(fake, 100))
    other = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        window.backups.chooser = Chooser(saved)
        with qtbot.waitSignal(window.ctx.worker.failed) as failed:
            window.restore_action.trigger()
        assert failed.args is not None
        assert "open on this database in another window or command" in failed.args[0]
        assert ContactService(other, "GB").count(ListQuery()) == 41
    finally:
        other.close()
    wait_idle(qtbot, window)
    assert window.ctx.contacts.count(ListQuery()) == 41  # the window's own handle still works


def test_cancelling_the_file_dialogs_does_nothing(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    window.backups.chooser = Chooser(None, None)
    window.backup_action.trigger()
    window.restore_action.trigger()
    wait_idle(qtbot, window)
    assert not (db_path.parent / "backups").exists()
    assert window.list_model.rowCount() == 40
