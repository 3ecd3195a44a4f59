"""Encrypted backups, verified before they are said to exist, and exact restores.

A backup is a copy made through SQLCipher under the database's key, so it is as encrypted as the
database. It is written under a temporary name, checked (`integrity_check` and
`cipher_integrity_check`), fsynced and only then renamed to its name: a killed or failed backup
never leaves a file that looks like a backup and is not one.

A restore replaces the database file, so it needs the database to itself: it takes the lock
beside the database exclusively and refuses while another Kith has it open (see `db_lock`).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.errors import UserFacingError, WrongKeyError
from app.core.storage.damage import DamagedDatabaseError
from app.core.storage.database import Database, NotKithDatabaseError
from app.core.storage.db_lock import IN_USE, DatabaseLock
from app.core.storage.engine import (
    APPLICATION_ID,
    DatabaseKey,
    connect_raw,
    create_private_file,
    ensure_private_folder,
    explain_sqlite_error,
)
from app.core.storage.partial_files import (
    partial_path,
    publish,
    sidecars,
    staging_path,
    sweep,
)

log = logging.getLogger(__name__)

BACKUP_PASSPHRASE_ENV = "KITH_BACKUP_PASSPHRASE"


class BackupKeyError(UserFacingError):
    """The backup does not open with the database's key: it was made under another one."""


def default_backup_path(db_path: Path, reason: str = "backup", clock: Clock = SYSTEM_CLOCK) -> Path:
    """A fresh name beside the database: `kith.db.backup-20261123-140501` (UTC)."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    folder = db_path.parent / "backups"
    candidate = folder / f"{db_path.name}.{reason}-{stamp}"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{db_path.name}.{reason}-{stamp}-{n}"
    return candidate


@contextlib.contextmanager
def _connection(path: Path, key: DatabaseKey) -> Iterator[Any]:
    conn = connect_raw(path, key)
    try:
        yield conn
    finally:
        conn.close()


def integrity_problems(conn: Any) -> list[str]:
    """What `integrity_check` and `cipher_integrity_check` report on a raw connection."""
    problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
    return problems + [r[0] for r in conn.execute("PRAGMA cipher_integrity_check")]


def _damaged_source(path: Path, problems: list[str]) -> UserFacingError:
    log.warning("integrity problems in %s: %s", path.name, problems[:5])
    return DamagedDatabaseError(
        f"{path} is damaged, so Kith wrote no backup of it (a backup of a damaged file cannot "
        "be restored). Restore your last good backup with `kith restore FILE`, or copy the "
        "file elsewhere before trying anything else."
    )


def _copy(source: Path, source_key: DatabaseKey, temp: Path, key: DatabaseKey) -> None:
    """Copy `source` into the new file `temp` (encrypted under `key`) and verify the copy."""
    with _connection(source, source_key) as src:
        # SQLCipher's backup copies page images without checking their HMACs: check first.
        problems = [r[0] for r in src.execute("PRAGMA cipher_integrity_check")]
        if problems:
            raise _damaged_source(source, problems)
        with _connection(temp, source_key) as dst:
            src.backup(dst)
            if key != source_key:
                dst.execute(f"PRAGMA rekey = {key.pragma_value()}")
    with _connection(temp, key) as dst:
        problems = integrity_problems(dst)
        if problems:
            raise _damaged_source(source, problems)
        dst.execute("PRAGMA journal_mode = WAL")


def _write_verified(source: Path, source_key: DatabaseKey, dest: Path, key: DatabaseKey) -> None:
    """Write a verified copy of `source` to `dest` by way of a temporary file."""
    temp = partial_path(dest)
    try:
        ensure_private_folder(dest.parent)
        sweep(dest.parent)
        for leftover in (temp, *sidecars(temp)):
            leftover.unlink(missing_ok=True)
        create_private_file(temp)
    except OSError as exc:
        raise UserFacingError(f"Kith cannot write to {dest.parent}: {exc.strerror}.") from exc
    try:
        try:
            _copy(source, source_key, temp, key)
            publish(temp, dest)
        except sqlcipher.Error as exc:
            explained = explain_sqlite_error(exc, dest)
            if isinstance(explained, DamagedDatabaseError):
                raise _damaged_source(source, [str(exc)]) from exc
            raise explained or exc from exc
        except OSError as exc:
            raise UserFacingError(
                f"Kith could not write {dest}: {exc.strerror}. Free some space or choose "
                "another folder; nothing was written."
            ) from exc
    finally:
        for leftover in (temp, *sidecars(temp)):
            leftover.unlink(missing_ok=True)


def backup(db: Database, dest: Path) -> Path:
    """Copy the database, encrypted under its own key, to `dest` (which must not exist).

    Raises:
        UserFacingError: `dest` exists or cannot be written, or the database is damaged.
    """
    if dest.exists():
        raise UserFacingError(f"{dest} already exists; choose another name for the backup.")
    _write_verified(db.path, db.key, dest, db.key)
    return dest


def backup_before_migration(db: Database, revision: str | None) -> Path:
    """The automatic backup taken before a schema migration."""
    dest = default_backup_path(db.path, f"before-migration-{revision or 'none'}")
    log.info("backing up %s to %s before migrating", db.path, dest)
    return backup(db, dest)


def check_backup(source: Path, key: DatabaseKey) -> None:
    """Make sure `source` is a sound Kith backup that opens with `key`.

    Raises:
        BackupKeyError: it does not open with `key` (another passphrase, or not a database).
        UserFacingError: it is missing, not Kith's, truncated or damaged.
    """
    if not source.is_file():
        raise UserFacingError(f"There is no backup at {source}.")
    damaged = UserFacingError(
        f"{source} is damaged or incomplete (cut short?); choose another backup."
    )
    try:
        with _connection(source, key) as conn:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise NotKithDatabaseError(f"{source} is not a Kith backup.")
            problems = integrity_problems(conn)
    except WrongKeyError as exc:
        raise BackupKeyError(
            f"{source} does not open with this database's key: it was made under another "
            f"passphrase (set {BACKUP_PASSPHRASE_ENV} to that passphrase, or type it when "
            "asked), or it is not a Kith backup."
        ) from exc
    except DamagedDatabaseError as exc:
        raise damaged from exc
    except sqlcipher.Error as exc:
        log.warning("the backup cannot be read: %s", exc)
        raise damaged from exc
    if problems:
        log.warning("integrity problems in the backup: %s", problems[:5])
        raise damaged


def restore(db: Database, source: Path, source_key: DatabaseKey | None = None) -> None:
    """Replace the database's content with the backup at `source`, exactly.

    The backup opens with the database's key, or with `source_key` (the passphrase it was made
    under, before a change of passphrase); it is re-encrypted under the database's key. The
    current database is first kept as a backup of its own, so a restore can be undone by
    restoring that (a damaged one is kept as it is, file for file).

    Raises:
        BackupKeyError: the backup needs another key (ask for it and call again).
        UserFacingError: the backup is unsound, or another Kith has the database open.
    """
    check_backup(source, source_key or db.key)
    if not db.lock.try_exclusive():
        raise UserFacingError(IN_USE)
    try:
        try:
            backup(db, default_backup_path(db.path, "before-restore"))
        except DamagedDatabaseError:
            db.reopen()
            _keep_damaged(db.path)
        else:
            db.reopen()  # our own connections go; nobody else has any (the lock says so)
            with _connection(db.path, db.key) as conn:
                # The WAL's content is in the backup just taken; empty it into the file, so
                # that the WAL deleted below holds nothing the restored file could take.
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _replace(db.path, db.key, source, source_key or db.key)
        db.reopen()
    finally:
        db.lock.share()


def restore_damaged(
    path: Path, key: DatabaseKey, source: Path, source_key: DatabaseKey | None = None
) -> None:
    """Restore over a database too damaged to open (its first page), as `restore` does.

    `key` is the database's own (the damage check proved it right); the damaged file is kept
    in the backups folder as it is.

    Raises:
        BackupKeyError: the backup needs another key (ask for it and call again).
        UserFacingError: the backup is unsound, or another Kith has the database open.
    """
    check_backup(source, source_key or key)
    lock = DatabaseLock(path)
    try:
        if not lock.try_exclusive():
            raise UserFacingError(IN_USE)
        _keep_damaged(path)
        _replace(path, key, source, source_key or key)
    finally:
        lock.release()


def _keep_damaged(path: Path) -> None:
    """Keep a damaged database (and its WAL) as it is, beside the backups, before replacing it."""
    dest = default_backup_path(path, "damaged")
    ensure_private_folder(dest.parent)
    for part, kept in ((path, dest), (sidecars(path)[0], Path(f"{dest}-wal"))):
        if not part.exists():
            continue
        temp = partial_path(kept)
        try:
            shutil.copyfile(part, temp)
            temp.chmod(0o600)
            publish(temp, kept)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise UserFacingError(
                f"Kith could not keep a copy of the damaged database in {dest.parent}: "
                f"{exc.strerror}. Free some space and try again; nothing was changed."
            ) from exc
    log.warning("kept the damaged database as %s", dest.name)


def _replace(path: Path, key: DatabaseKey, source: Path, source_key: DatabaseKey) -> None:
    """Put a verified copy of `source`, under `key`, in place of the database at `path`."""
    staging = staging_path(path)
    staging.unlink(missing_ok=True)
    _write_verified(source, source_key, staging, key)
    for sidecar in sidecars(path):
        sidecar.unlink(missing_ok=True)
    publish(staging, path)
