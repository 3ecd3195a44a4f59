"""An open Kith database: create, open (migrating forward), transactions, rekey, close."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

import sqlcipher3.dbapi2 as sqlcipher

from app.core.errors import UserFacingError, WrongKeyError
from app.core.storage import migrate
from app.core.storage.db_lock import IN_USE, DatabaseLock
from app.core.storage.engine import (
    APPLICATION_ID,
    WRITE_OPTION,
    DatabaseKey,
    DiskFullError,
    Notice,
    connect_raw,
    create_private_file,
    ensure_private_folder,
    explain_sqlite_error,
    is_plain_sqlite,
    make_engine,
    notice_on_stderr,
)
from app.core.storage.partial_files import sweep
from app.core.storage.raw_read import ConnectionPool, LentConnection, RawConnection

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)


class NotKithDatabaseError(UserFacingError):
    """The file opened, but it is not a Kith database."""


class Database:
    """An unlocked, migrated Kith database.

    Use `Database.create` or `Database.open`; `write()` and `read()` give a connection inside a
    transaction: a SQLAlchemy one to write, a `RawConnection` to read (SQLAlchemy is imported
    only to write; both lend connections from one pool, see `raw_read`). While it is open it
    holds a shared lock beside the file (see `db_lock`), so a restore by another Kith knows it
    is here. When the file is replaced under it (another
    program moved a copy over it), the next transaction opens the new file and `on_replaced`
    callbacks run, instead of writing into the unlinked old one.
    """

    def __init__(self, path: Path, key: DatabaseKey, notice: Notice | None = None) -> None:
        self.path = path
        self._key = key
        self.notice: Notice = notice or notice_on_stderr
        """Told when a transaction waits for another Kith (a line on stderr by default)."""
        self.lock = DatabaseLock(path, self._notify)
        self.lock.acquire_shared()
        # What a killed Kith left half-written (a backup, a restore) goes with the next start.
        sweep(path.parent)
        sweep(path.parent / "backups")
        self._identity = _identity(path)
        self._exclusive = False
        self._pool = self._make_pool()
        self._engine: Engine | None = None
        self._replaced_callbacks: list[Callable[[], None]] = []

    def _notify(self, message: str) -> None:
        self.notice(message)

    def _make_pool(self) -> ConnectionPool:
        path, key, exclusive = self.path, self._key, self._exclusive
        # An exclusive connection keeps its lock: a second one could not even read.
        return ConnectionPool(
            lambda: connect_raw(path, key, exclusive=exclusive), limit=1 if exclusive else None
        )

    def _lend(self) -> LentConnection:
        """A pooled connection for SQLAlchemy (the pool it came from takes it back)."""
        pool = self._pool
        return LentConnection(pool.take(), pool)

    def _writer(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self._lend, notice=self._notify)
        return self._engine

    def _dispose(self) -> None:
        """Close the idle connections; the next transaction opens the file afresh."""
        self._pool.dispose()
        self._pool = self._make_pool()

    def _open_on_a_full_disk(self) -> None:
        """Reopen in exclusive locking mode, which reads without the shared-memory file.

        On a full disk SQLite cannot size that file, and every read fails; exclusive mode
        keeps the WAL index in memory instead. Writes still fail with a sentence (the WAL
        cannot grow) and change nothing. Another Kith waits while this one has the file.
        """
        log.info("the disk is full: opening the database in exclusive mode to read it")
        self._notify(
            "The disk holding the database is full: Kith can read it, but nothing can be "
            "changed until some space is freed."
        )
        self._exclusive = True
        self._dispose()

    def on_replaced(self, callback: Callable[[], None]) -> None:
        """Call `callback` (on the thread that noticed) after the file was replaced and reopened."""
        self._replaced_callbacks.append(callback)

    def _check_file(self) -> None:
        """Reopen the file when it is no longer the one this object opened."""
        if not self.lock.held:
            self.lock.acquire_shared()
        try:
            identity = _identity(self.path)
        except FileNotFoundError:
            raise UserFacingError(
                f"The database {self.path} was moved or deleted while Kith had it open; "
                "put it back (or restore a backup) and start Kith again."
            ) from None
        if identity == self._identity:
            return
        log.warning("the database file was replaced; reopening it")
        self._dispose()
        self._identity = identity
        for callback in self._replaced_callbacks:
            callback()

    @property
    def key(self) -> DatabaseKey:
        """The key this database was opened with (for backups and restores)."""
        return self._key

    @classmethod
    def create(cls, path: Path, key: DatabaseKey) -> Database:
        """Create a new encrypted database at `path` (which must not exist).

        The folder is made 0700 and the file 0600 before SQLite writes a byte.
        """
        if path.exists():
            raise UserFacingError(f"{path} already exists; open it instead of creating it.")
        try:
            ensure_private_folder(path.parent)
            create_private_file(path)
        except OSError as exc:
            raise UserFacingError(
                f"Kith cannot create {path}: {exc.strerror}. Choose a folder you may write to."
            ) from exc
        db: Database | None = None
        try:
            raw = connect_raw(path, key)
            try:
                raw.execute("PRAGMA journal_mode = WAL")
                raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            finally:
                raw.close()
            db = cls(path, key)
            with db.write() as conn:
                migrate.upgrade(conn)
        except BaseException:
            if db is not None:
                db.close()
            for leftover in (path, *_sidecars(path)):
                leftover.unlink(missing_ok=True)
            raise
        return db

    @classmethod
    def open(cls, path: Path, key: DatabaseKey) -> Database:
        """Open an existing database, migrating it forward (after a backup) if it is older.

        Raises:
            WrongKeyError: the key does not open the file.
            NotKithDatabaseError: the file is not a Kith database.
            UserFacingError: the file is missing, unreadable, or from a newer Kith.
        """
        if not path.is_file():
            raise UserFacingError(f"There is no Kith database at {path}.")
        if is_plain_sqlite(path):
            raise NotKithDatabaseError(
                f"{path} is an unencrypted SQLite file, not a Kith database; "
                "choose your Kith database instead."
            )
        db = cls(path, key)
        try:
            try:
                # The pool keeps this first keyed connection: the key is derived once per
                # process (reads and writes share it), however many transactions follow.
                with db.read() as conn:
                    app_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
            except DiskFullError:
                db._open_on_a_full_disk()
                with db.read() as conn:
                    app_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
            if app_id != APPLICATION_ID:
                raise NotKithDatabaseError(
                    f"{path} is an SQLCipher database but not a Kith database; "
                    "choose your Kith database instead."
                )
            db._migrate_if_needed()
        except BaseException:
            db.close()
            raise
        return db

    def _migrate_if_needed(self) -> None:
        with self.read() as conn:
            current = migrate.stored_revision(conn)
        if current == migrate.SCHEMA_HEAD:
            return
        # Imported here: backup imports this module.
        from app.core.storage.backup import backup_before_migration  # noqa: PLC0415

        backup_before_migration(self, current)
        try:
            with self.write() as conn:
                migrate.upgrade(conn)
        except migrate.UnknownRevisionError as exc:
            raise UserFacingError(
                f"{self.path} was made by a newer version of Kith; update Kith to open it."
            ) from exc

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed on success, rolled back on error.

        SQLite errors the user can act on (disk full, read-only, locked) become UserFacingError.
        """
        self._check_file()
        engine = self._writer()
        from sqlalchemy.exc import DBAPIError  # noqa: PLC0415 - imported with the engine

        try:
            with engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield conn
        except sqlcipher.Error as exc:  # raised while connecting or waiting to begin
            raise explain_sqlite_error(exc, self.path) or exc from exc
        except DBAPIError as exc:
            raise explain_sqlite_error(exc.orig or exc, self.path) or exc from exc

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading; its transaction is rolled back at the end.

        It is a `RawConnection` (no SQLAlchemy), typed as the `Connection` storage's read
        code takes: that code uses only `exec_driver_sql` and the result methods it offers.
        """
        self._check_file()
        pool = self._pool
        try:
            raw = pool.take()
            try:
                reader = RawConnection(raw)
                try:
                    yield cast("Connection", reader)
                finally:
                    reader.end()
            finally:
                pool.give(raw)
        except sqlcipher.Error as exc:  # connecting, or a query
            raise explain_sqlite_error(exc, self.path) or exc from exc

    def rekey(self, new_key: DatabaseKey) -> None:
        """Re-encrypt the whole file under `new_key` (PRAGMA rekey).

        Another Kith with the file open would go on with the old key and read every page as
        damaged, so this needs the database to itself, as a restore does.

        Raises:
            UserFacingError: another Kith has the database open.
        """
        if not self.lock.try_exclusive():
            raise UserFacingError(IN_USE)
        try:
            self._pool.dispose()
            raw = connect_raw(self.path, self._key)
            try:
                raw.execute(f"PRAGMA rekey = {new_key.pragma_value()}")
            finally:
                raw.close()
            self._key = new_key
            self._pool = self._make_pool()
        finally:
            self.lock.share()

    def integrity_problems(self) -> list[str]:
        """What `integrity_check` and `cipher_integrity_check` report (empty when sound)."""
        raw = connect_raw(self.path, self._key)
        try:
            problems = [r[0] for r in raw.execute("PRAGMA integrity_check") if r[0] != "ok"]
            problems += [r[0] for r in raw.execute("PRAGMA cipher_integrity_check")]
        finally:
            raw.close()
        return problems

    def reopen(self) -> None:
        """Close the connections to the file; the next transaction opens it afresh."""
        self._dispose()
        self._identity = _identity(self.path)

    def close(self) -> None:
        """Close every connection (SQLite checkpoints the WAL into the file) and the lock."""
        self._pool.dispose()
        self.lock.release()


def _identity(path: Path) -> tuple[int, int]:
    stat = os.stat(path)
    return (stat.st_dev, stat.st_ino)


def _sidecars(path: Path) -> tuple[Path, Path]:
    return (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))


def try_open(path: Path, key: DatabaseKey) -> Database | None:
    """`Database.open`, or None when the key is wrong (for passphrase retries)."""
    try:
        return Database.open(path, key)
    except WrongKeyError:
        return None
