"""The encrypted file itself: keys, modes, pragmas, errors that leave the file unchanged."""

import hashlib
import logging
import sqlite3
import stat
from pathlib import Path

import pytest

from app.core.errors import UserFacingError, WrongKeyError
from app.core.storage.database import Database, NotKithDatabaseError, try_open
from app.core.storage.engine import DatabaseKey, connect_raw
from tests.conftest import PASSPHRASE

KEY = DatabaseKey(passphrase=PASSPHRASE)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_private_encrypted_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "new" / "kith.db"
    Database.create(path, DatabaseKey(raw=bytes(range(32)))).close()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    header = path.read_bytes()[:16]
    assert header != b"SQLite format 3\x00"
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()
    conn = connect_raw(path, DatabaseKey(raw=bytes(range(32))))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert conn.execute("PRAGMA cache_size").fetchone()[0] <= -65536
    assert conn.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
    conn.close()


def test_wrong_passphrase_is_refused_and_leaves_the_file_unchanged(db_path: Path) -> None:
    before = sha256(db_path)
    with pytest.raises(WrongKeyError):
        Database.open(db_path, DatabaseKey(passphrase="not it"))
    assert try_open(db_path, DatabaseKey(passphrase="not it")) is None
    assert sha256(db_path) == before
    assert not db_path.with_name("kith.db-wal").exists()


def test_a_plain_sqlite_file_is_not_a_kith_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    before = sha256(path)
    with pytest.raises(NotKithDatabaseError, match="unencrypted SQLite file"):
        Database.open(path, KEY)
    assert sha256(path) == before


def test_random_bytes_are_not_a_kith_database(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(5000))
    before = sha256(path)
    with pytest.raises(WrongKeyError):
        Database.open(path, KEY)
    assert sha256(path) == before


def test_another_sqlcipher_database_is_not_kith(tmp_path: Path) -> None:
    path = tmp_path / "foreign.db"
    conn = connect_raw(path, KEY)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(NotKithDatabaseError, match="not a Kith database"):
        Database.open(path, KEY)


def test_create_refuses_an_existing_file_and_cleans_up_after_failure(tmp_path: Path) -> None:
    existing = tmp_path / "x.db"
    existing.write_bytes(b"data")
    with pytest.raises(UserFacingError, match="already exists"):
        Database.create(existing, KEY)
    assert existing.read_bytes() == b"data"


def test_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="no Kith database"):
        Database.open(tmp_path / "nothing.db", KEY)


def test_rekey_changes_the_passphrase(db: Database, db_path: Path) -> None:
    db.rekey(DatabaseKey(passphrase="new one"))
    db.close()
    assert try_open(db_path, KEY) is None
    reopened = Database.open(db_path, DatabaseKey(passphrase="new one"))
    assert reopened.integrity_problems() == []
    reopened.close()


def test_key_never_reaches_the_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    secret = bytes(range(100, 132))
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)
    try:
        db = Database.create(tmp_path / "k.db", DatabaseKey(raw=secret))
        with db.write() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM contacts").all()
        db.close()
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    text = caplog.text + repr(DatabaseKey(raw=secret)) + repr(DatabaseKey(passphrase="hunter2"))
    assert "SELECT count(*) FROM contacts" in caplog.text  # the SQL log was on
    assert secret.hex() not in text
    assert "hunter2" not in text
    assert "key" not in caplog.text.lower() or "PRAGMA key" not in caplog.text
