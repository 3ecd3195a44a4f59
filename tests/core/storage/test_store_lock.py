"""The lock beside the database, and a database file replaced under an open Database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from faker import Faker

from app.core.errors import UserFacingError
from app.core.services.contacts import ContactService
from app.core.storage import backup
from app.core.storage.database import Database
from app.core.storage.db_lock import lock_path
from app.core.storage.engine import DatabaseKey
from app.core.storage.search import ListQuery
from tests.conftest import PASSPHRASE, make_contact

KEY = DatabaseKey(passphrase=PASSPHRASE)


def test_a_replaced_file_is_reopened_and_never_written_through_the_old_one(
    db: Database, db_path: Path, tmp_path: Path, fake: Faker
) -> None:
    service = ContactService(db, "GB")
    service.add(make_contact(fake, 1))
    replaced: list[bool] = []
    db.on_replaced(lambda: replaced.append(True))
    # Another program puts a different copy in place (an old Kith's restore, a sync tool).
    other = tmp_path / "other.db"
    shutil.copy2(db_path, other)
    second = Database.open(other, KEY)
    for n in range(2, 6):
        ContactService(second, "GB").add(make_contact(fake, n))
    in_other = ContactService(second, "GB").count(ListQuery())
    second.close()
    # As Kith's restore did before it took a lock: drop the WAL and rename over the file.
    for sidecar in ("-wal", "-shm"):
        db_path.with_name(db_path.name + sidecar).unlink(missing_ok=True)
    os.replace(other, db_path)
    assert service.count(ListQuery()) == in_other  # reads the new file
    assert replaced == [True]
    service.add(make_contact(fake, 9))
    db.close()
    reopened = Database.open(db_path, KEY)
    assert ContactService(reopened, "GB").count(ListQuery()) == in_other + 1
    assert reopened.integrity_problems() == []
    reopened.close()


def test_a_deleted_file_gives_a_sentence(db: Database, db_path: Path) -> None:
    db_path.unlink()
    with pytest.raises(UserFacingError, match="moved or deleted"):
        ContactService(db, "GB").count(ListQuery())


def test_restore_in_the_same_process_needs_every_other_database_closed(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    saved = backup.backup(db, tmp_path / "saved.bak")
    assert lock_path(db_path).exists()
    second = Database.open(db_path, KEY)
    with pytest.raises(UserFacingError, match="open on this database in another window"):
        backup.restore(db, saved)
    second.close()
    backup.restore(db, saved)
    assert db.integrity_problems() == []
