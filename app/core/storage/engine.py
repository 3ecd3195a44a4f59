"""The encrypted SQLCipher engine: keying, pragmas, and the errors a user must be told.

The key is applied on the raw DBAPI connection before SQLAlchemy sees it, so it never appears in
SQLAlchemy's logs or in any statement it records. SQLAlchemy itself is imported only when an
engine is made (to write or migrate): reads go through `raw_read` (see there why).
"""

from __future__ import annotations

import logging
import os
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3.dbapi2 as sqlcipher

from app.core import paths
from app.core.errors import UserFacingError, WrongKeyError
from app.core.storage.damage import DamagedDatabaseError, damaged_message, key_verifies_pages

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

# sqlcipher3 finds no adapter for None or bytes and looks for one by raising and clearing an
# AttributeError, about 1 us a value: most of the binding time of a bulk insert. Identity
# adapters are found in its registry at once; the values bound are the same.
sqlcipher.register_adapter(type(None), lambda value: value)
sqlcipher.register_adapter(bytes, lambda value: value)

CACHE_KIB = 65536
"""Page cache per connection; SQLCipher's 2 MB default makes sorted searches 3-8x slower."""

_SQLITE_MAGIC = b"SQLite format 3\x00"
APPLICATION_ID = 0x4B697468  # "Kith": PRAGMA application_id marks the file as ours.
"""Here, not in schema.py: opening a database must not import the ORM (slow to import)."""
WRITE_OPTION = "kith_write"
"""Execution option that marks a connection's transaction as a write."""
BUSY_TIMEOUT_MS = 2000
"""How long SQLite waits for a lock before Kith tells the user that it is waiting."""
WRITE_WAIT_S = 600.0
"""How long a writer waits for another Kith's write (a large import) before giving up."""
WAITING_TO_WRITE = "Waiting for another Kith to finish writing..."

Notice = Callable[[str], None]
"""Tells the user why nothing seems to happen (the CLI prints it on stderr)."""


def notice_on_stderr(message: str) -> None:
    """The default `Notice`: a line on standard error, as the command line shows it."""
    print(f"kith: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True, slots=True, repr=False)
class DatabaseKey:
    """What unlocks a database: a raw 256-bit key, or a passphrase for SQLCipher's KDF.

    `repr` is hidden so that a key never reaches a log or a traceback by accident.
    """

    raw: bytes | None = None
    passphrase: str | None = None

    def __post_init__(self) -> None:
        if (self.raw is None) == (self.passphrase is None):
            raise ValueError("a DatabaseKey is either raw or a passphrase")
        if self.raw is not None and len(self.raw) != 32:
            raise ValueError("a raw key has 32 bytes")

    def __repr__(self) -> str:
        return "DatabaseKey(raw)" if self.raw is not None else "DatabaseKey(passphrase)"

    def pragma_value(self) -> str:
        """The value for `PRAGMA key` / `PRAGMA rekey`, quoted for SQL."""
        if self.raw is not None:
            return f"\"x'{self.raw.hex()}'\""
        assert self.passphrase is not None
        return "'" + self.passphrase.replace("'", "''") + "'"


class DiskFullError(UserFacingError):
    """The disk holding the database is full (or failing): nothing could be written."""


def apply_key(conn: Any, key: DatabaseKey, *, exclusive: bool = False) -> None:
    """Key a fresh DBAPI connection and check the key opens the file.

    `exclusive` opens in exclusive locking mode, which keeps the WAL index in this process's
    memory instead of the shared-memory file beside the database: on a full disk that file
    cannot grow, and without this not even reading works.

    Raises:
        WrongKeyError: the key does not decrypt the file (or it is not a database).
    """
    # SQLCipher would otherwise print its own decryption errors on stderr for a wrong key.
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {key.pragma_value()}")
    if exclusive:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        # SQLITE_NOTADB is all SQLCipher says of a wrong key; other errors (a read-only folder
        # that cannot hold the WAL index, say) are what they say they are.
        if sqlite_code(exc) == sqlcipher.SQLITE_NOTADB:
            raise WrongKeyError("wrong key") from exc
        raise


def _set_pragmas(conn: Any) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.execute("PRAGMA synchronous = FULL")


def connect_raw(path: Path, key: DatabaseKey, *, exclusive: bool = False) -> Any:
    """A keyed DBAPI connection in autocommit mode (SQLAlchemy issues BEGIN itself)."""
    conn = sqlcipher.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        apply_key(conn, key, exclusive=exclusive)
        _set_pragmas(conn)
    except WrongKeyError:
        conn.close()
        # SQLCipher says the same of a wrong key and of a damaged first page.
        if key_verifies_pages(path, key):
            raise DamagedDatabaseError(damaged_message(path), key) from None
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def sqlite_code(exc: BaseException | None) -> int | None:
    """The primary SQLite result code an sqlcipher3 error carries (SQLITE_FULL...), or None.

    sqlcipher3 gives the extended code (SQLITE_IOERR_SHMSIZE, SQLITE_BUSY_SNAPSHOT...) as
    `sqlite_errorcode`; its low byte is the primary code.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _is_busy(exc: BaseException) -> bool:
    return sqlite_code(exc) in (sqlcipher.SQLITE_BUSY, sqlcipher.SQLITE_LOCKED)


def begin_write(conn: Any, notice: Notice, wait: float = WRITE_WAIT_S) -> None:
    """`BEGIN IMMEDIATE`, waiting as long as another Kith writes; the user is told after 2 s.

    Raises:
        sqlcipher.OperationalError: still locked after `wait` seconds.
    """
    start = time.monotonic()
    told = False
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlcipher.OperationalError as exc:
            # busy_timeout has already waited BUSY_TIMEOUT_MS inside SQLite.
            if not _is_busy(exc) or time.monotonic() - start > wait:
                raise
        if not told:
            notice(WAITING_TO_WRITE)
            told = True


def make_engine(creator: Callable[[], Any], *, notice: Notice = notice_on_stderr) -> Engine:
    """An engine whose connections are the keyed SQLCipher connections `creator` gives.

    SQLAlchemy keeps no pool of its own (a NullPool closes each connection it is done with):
    `creator` lends a connection from `Database`'s pool and takes it back on close, so reads
    and writes share connections and a passphrase's key derivation (about 85 ms) is paid once.
    `notice` is told when a writer waits for another Kith.
    """
    # Imported here: SQLAlchemy is slow to import, and reading needs none of it.
    from sqlalchemy import create_engine, event  # noqa: PLC0415
    from sqlalchemy.pool import NullPool  # noqa: PLC0415

    engine = create_engine("sqlite://", module=sqlcipher, creator=creator, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # pysqlite's own transaction handling is off (isolation_level=None). Writers take the
        # write lock up front (BEGIN IMMEDIATE) so two of them wait instead of failing
        # mid-way; readers begin deferred and never hold the lock, so WAL lets them run
        # beside a writer.
        if conn.get_execution_options().get(WRITE_OPTION, False):
            begin_write(conn.connection.driver_connection, notice)
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def ensure_private_folder(folder: Path) -> None:
    """Create `folder` and its missing parents (each 0700, whatever the umask)."""
    paths.ensure_private_folder(folder)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only, so SQLite inherits the mode."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR)
    os.close(fd)


def is_plain_sqlite(path: Path) -> bool:
    """Whether `path` is an unencrypted SQLite file (its header is readable)."""
    try:
        with path.open("rb") as fh:
            return fh.read(16) == _SQLITE_MAGIC
    except OSError:
        return False


def explain_sqlite_error(exc: BaseException, path: Path) -> UserFacingError | None:
    """The sentence for an SQLite error the user can act on, or None for a bug.

    Told apart by the error's SQLite code, never by its message (which SQLite may reword).
    """
    code = sqlite_code(exc)
    if code in (sqlcipher.SQLITE_CORRUPT, sqlcipher.SQLITE_NOTADB):
        # Once the key has opened page 1, NOTADB is a later page failing its checksum.
        return DamagedDatabaseError(damaged_message(path))
    if code == sqlcipher.SQLITE_FULL:
        return DiskFullError(
            f"Kith could not write to {path}: the disk is full. "
            "Free some space and try again; nothing was changed."
        )
    if code == sqlcipher.SQLITE_IOERR:
        # A DiskFullError too: on a full disk the shared-memory file cannot grow (IOERR_SHMSIZE)
        # and Database.open then reads in exclusive mode.
        return DiskFullError(
            f"Kith could not read or write {path}: the disk is full or failing. "
            "Free some space, check the disk, and try again; nothing was changed."
        )
    if code == sqlcipher.SQLITE_READONLY:
        return UserFacingError(
            f"Kith cannot write to {path}: the file or its folder is read-only. "
            "Make it writable or open a copy elsewhere."
        )
    if code == sqlcipher.SQLITE_CANTOPEN:
        return UserFacingError(
            f"Kith cannot open {path}: the file or its folder is missing, read-only or not "
            "yours. Check its permissions, or open a copy in a folder you may write to."
        )
    if code in (sqlcipher.SQLITE_BUSY, sqlcipher.SQLITE_LOCKED):
        return UserFacingError(
            f"{path} is in use by another program; close the other Kith and try again."
        )
    return None
