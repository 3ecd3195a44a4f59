"""Backups stay encrypted and restore exactly."""

import sqlite3
from pathlib import Path

import pytest
from faker import Faker

from app.core.domain.serialise import contact_to_dict
from app.core.errors import UserFacingError
from app.core.services.contacts import ContactService
from app.core.storage import backup
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.search import ListQuery
from tests.conftest import make_contact


def snapshot(service: ContactService) -> list[dict[str, object]]:
    ids = service.ids(ListQuery()) + service.ids(ListQuery(trash=True))
    return [contact_to_dict(c) for c in service.get_many(sorted(ids))]


def test_backup_is_encrypted_and_restores_exactly(
    db: Database, tmp_path: Path, fake: Faker
) -> None:
    service = ContactService(db, "GB")
    for n in range(30):
        service.add(make_contact(fake, n))
    service.delete(service.ids(ListQuery(), limit=3))
    saved = snapshot(service)
    dest = backup.backup(db, tmp_path / "out" / "kith.backup")
    assert dest.stat().st_mode & 0o077 == 0
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(dest).execute("SELECT * FROM contacts").fetchall()

    service.delete(service.ids(ListQuery()))
    service.add(make_contact(fake, 99))
    backup.restore(db, dest)
    assert snapshot(ContactService(db, "GB")) == saved
    assert db.integrity_problems() == []
    # The state before the restore was kept, so a restore can itself be reversed.
    kept = list((db.path.parent / "backups").glob("*before-restore*"))
    assert len(kept) == 1


def test_restore_refuses_a_backup_with_another_key(db: Database, tmp_path: Path) -> None:
    other = Database.create(tmp_path / "other.db", DatabaseKey(passphrase="another"))
    foreign = backup.backup(other, tmp_path / "foreign.backup")
    other.close()
    with pytest.raises(UserFacingError, match="does not open with this database's key"):
        backup.restore(db, foreign)
    with pytest.raises(UserFacingError, match="no backup"):
        backup.restore(db, tmp_path / "missing")
    with pytest.raises(UserFacingError, match="already exists"):
        backup.backup(db, foreign)
