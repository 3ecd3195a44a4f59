"""A window whose database file is replaced under it reloads, and writes into the new file."""

from __future__ import annotations

import shutil
from pathlib import Path

from faker import Faker
from pytestqt.qtbot import QtBot

from app.core.services.contacts import ChangeSet, ContactService
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.search import ListQuery
from app.ui.app import RELOADED
from app.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE, make_contact
from tests.ui.conftest import wait_idle


def test_window_reloads_a_replaced_database(
    qtbot: QtBot, window: MainWindow, db_path: Path, tmp_path: Path, fake: Faker
) -> None:
    assert window.list_model.rowCount() == 40
    other = tmp_path / "other.db"
    fresh = Database.create(other, DatabaseKey(passphrase=PASSPHRASE))
    for n in range(3):
        ContactService(fresh, "GB").add(make_contact(fake, n))
    fresh.close()
    for sidecar in ("-wal", "-shm"):
        db_path.with_name(db_path.name + sidecar).unlink(missing_ok=True)
    shutil.move(other, db_path)
    with qtbot.waitSignal(window.ctx.hub.changed, check_params_cb=lambda c: c.label == RELOADED):
        window.list_model.refresh()
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 3)
    wait_idle(qtbot, window)
    added: list[ChangeSet] = []
    window.ctx.worker.submit(lambda: window.ctx.contacts.add(make_contact(fake, 9)), added.append)
    qtbot.waitUntil(lambda: bool(added))
    window.ctx.db.close()
    reopened = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    assert ContactService(reopened, "GB").count(ListQuery()) == 4
    assert reopened.integrity_problems() == []
    reopened.close()
