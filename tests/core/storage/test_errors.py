"""SQLite errors are told apart by the code sqlcipher3 gives, never by their message text."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from app.core.errors import UserFacingError, WrongKeyError
from app.core.storage.damage import DamagedDatabaseError
from app.core.storage.database import Database, DiskFullError
from app.core.storage.engine import DatabaseKey, connect_raw, explain_sqlite_error, sqlite_code
from tests.conftest import PASSPHRASE, REPO
from tests.small_disk import fill, mounted

KEY = DatabaseKey(passphrase=PASSPHRASE)
WHERE = Path("/data/kith.db")


def coded(code: int, message: str = "an unrelated message") -> sqlcipher.Error:
    exc = sqlcipher.OperationalError(message)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        (sqlcipher.SQLITE_FULL, DiskFullError, "disk is full"),
        (sqlcipher.SQLITE_IOERR, DiskFullError, "failing"),
        (sqlcipher.SQLITE_IOERR | (25 << 8), DiskFullError, "failing"),  # IOERR_SHMSIZE
        (sqlcipher.SQLITE_BUSY, UserFacingError, "in use"),
        (sqlcipher.SQLITE_BUSY | (2 << 8), UserFacingError, "in use"),  # BUSY_SNAPSHOT
        (sqlcipher.SQLITE_LOCKED, UserFacingError, "in use"),
        (sqlcipher.SQLITE_READONLY, UserFacingError, "read-only"),
        (sqlcipher.SQLITE_CANTOPEN, UserFacingError, "cannot open"),
        (sqlcipher.SQLITE_NOTADB, DamagedDatabaseError, "damaged"),
        (sqlcipher.SQLITE_CORRUPT, DamagedDatabaseError, "damaged"),
        (sqlcipher.SQLITE_CORRUPT | (1 << 8), DamagedDatabaseError, "damaged"),  # CORRUPT_VTAB
    ],
)
def test_each_code_has_its_sentence_whatever_the_message(
    code: int, kind: type[UserFacingError], words: str
) -> None:
    explained = explain_sqlite_error(coded(code), WHERE)
    assert type(explained) is kind
    assert words in str(explained) and str(WHERE) in str(explained)


@pytest.mark.parametrize(
    "message", ["database or disk is full", "attempt to write a readonly database", "locked"]
)
def test_a_message_without_its_code_is_a_bug(message: str) -> None:
    assert explain_sqlite_error(coded(sqlcipher.SQLITE_ERROR, message), WHERE) is None
    assert explain_sqlite_error(sqlcipher.OperationalError(message), WHERE) is None
    assert explain_sqlite_error(ValueError(message), WHERE) is None


def test_a_file_that_is_not_a_database_is_told_from_its_code(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(8192))
    with pytest.raises(WrongKeyError) as raw:
        connect_raw(junk, KEY).close()
    assert sqlite_code(raw.value.__cause__) == sqlcipher.SQLITE_NOTADB
    with pytest.raises(WrongKeyError):
        Database.open(junk, KEY)


def test_a_missing_folder_cannot_be_opened(tmp_path: Path) -> None:
    with pytest.raises(sqlcipher.Error) as raw:
        connect_raw(tmp_path / "gone" / "kith.db", KEY).close()
    assert sqlite_code(raw.value) == sqlcipher.SQLITE_CANTOPEN
    explained = explain_sqlite_error(raw.value, tmp_path)
    assert explained is not None and "cannot open" in str(explained)


def test_a_database_another_connection_holds_is_in_use(db: Database, db_path: Path) -> None:
    holder = connect_raw(db_path, KEY)
    holder.execute("BEGIN EXCLUSIVE")
    other = connect_raw(db_path, KEY)
    try:
        other.execute("PRAGMA busy_timeout = 0")
        with pytest.raises(sqlcipher.OperationalError) as raw:
            other.execute("BEGIN IMMEDIATE")
        assert sqlite_code(raw.value) == sqlcipher.SQLITE_BUSY
        explained = explain_sqlite_error(raw.value, db_path)
        assert explained is not None and "in use" in str(explained)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        other.close()


def test_a_damaged_page_is_corrupt(db: Database, db_path: Path) -> None:
    with db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE filler (x BLOB)")
        for _ in range(40):
            conn.exec_driver_sql("INSERT INTO filler VALUES (randomblob(4000))")
    db.close()
    data = bytearray(db_path.read_bytes())
    pages = len(data) // 4096
    for page in range(2, pages):
        data[page * 4096 + 64 : page * 4096 + 128] = os.urandom(64)
    db_path.write_bytes(bytes(data))
    with pytest.raises(sqlcipher.DatabaseError) as raw:  # while opening, or reading
        conn = connect_raw(db_path, KEY)
        try:
            conn.execute("SELECT count(*) FROM filler").fetchone()
        finally:
            conn.close()
    assert sqlite_code(raw.value) in (sqlcipher.SQLITE_CORRUPT, sqlcipher.SQLITE_NOTADB)
    assert isinstance(explain_sqlite_error(raw.value, db_path), DamagedDatabaseError)


WRITE_ONE = f"""
import sys
from pathlib import Path
from app.core.errors import UserFacingError
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey, sqlite_code
db = Database.open(Path(sys.argv[1]), DatabaseKey(passphrase={PASSPHRASE!r}))
try:
    with db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS big (x BLOB)")
        # Far larger than an empty database (which grows with the schema): always past the limit.
        conn.exec_driver_sql("INSERT INTO big VALUES (randomblob(4000000))")
except UserFacingError as exc:
    cause = exc.__cause__
    print(type(exc).__name__, sqlite_code(getattr(cause, "orig", None) or cause))
    print(exc)
"""


def _write_one(db_path: Path, prefix: list[str], **popen: object) -> list[str]:
    done = subprocess.run(
        [*prefix, sys.executable, "-c", WRITE_ONE, str(db_path)],
        capture_output=True, text=True, cwd=REPO, timeout=120, check=False,
        **popen,  # type: ignore[arg-type]
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_read_only_database_is_told_from_its_code(db: Database, db_path: Path) -> None:
    db.close()
    prefix: list[str] = []
    if os.geteuid() == 0:  # root writes through file modes unless it drops that power
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file modes cannot be enforced")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    db_path.chmod(0o400)
    try:
        lines = _write_one(db_path, prefix)
    finally:
        db_path.chmod(0o600)
    assert lines[0] == f"UserFacingError {sqlcipher.SQLITE_READONLY}", lines
    assert "read-only" in lines[1]


def test_a_write_past_the_file_size_limit_is_an_io_error(db: Database, db_path: Path) -> None:
    db.close()
    limit = db_path.stat().st_size + 8192

    def small_disk() -> None:
        # A write past RLIMIT_FSIZE fails like a full disk (SIGXFSZ ignored: EFBIG instead).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    lines = _write_one(db_path, [], preexec_fn=small_disk)
    # EFBIG comes back as SQLITE_IOERR_WRITE, not SQLITE_FULL: "full or failing".
    assert lines[0] == f"DiskFullError {sqlcipher.SQLITE_IOERR}", lines
    assert "disk is full or failing" in lines[1]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MB tmpfs of its own (it needs root), unmounted at the end."""
    with mounted(tmp_path / "small", "6m") as where:
        yield where


def test_a_full_disk_is_told_from_its_code(db: Database, db_path: Path, small_disk: Path) -> None:
    db.close()
    moved = small_disk / "kith.db"
    shutil.copy2(db_path, moved)
    fill(small_disk)
    lines = _write_one(moved, [])
    assert lines[0] == f"DiskFullError {sqlcipher.SQLITE_FULL}", lines
    assert "disk is full" in lines[1]
