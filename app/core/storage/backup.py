"""Encrypted backups and exact restores.

A backup is a copy made through SQLCipher under the same key, so it is as encrypted as the
database and opens with the same keyring key or passphrase.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from app.core.errors import UserFacingError, WrongKeyError
from app.core.storage.database import Database, NotKithDatabaseError
from app.core.storage.engine import connect_raw, create_private_file, ensure_private_folder
from app.core.storage.schema import APPLICATION_ID

log = logging.getLogger(__name__)


def default_backup_path(db_path: Path, reason: str = "backup") -> Path:
    """A fresh name beside the database: `kith.db.backup-20261123-140501`."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    folder = db_path.parent / "backups"
    candidate = folder / f"{db_path.name}.{reason}-{stamp}"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{db_path.name}.{reason}-{stamp}-{n}"
    return candidate


def backup(db: Database, dest: Path) -> Path:
    """Copy the database, encrypted under its own key, to `dest` (which must not exist)."""
    if dest.exists():
        raise UserFacingError(f"{dest} already exists; choose another name for the backup.")
    try:
        ensure_private_folder(dest.parent)
        create_private_file(dest)
    except OSError as exc:
        raise UserFacingError(f"Kith cannot write the backup to {dest}: {exc.strerror}.") from exc
    try:
        source = connect_raw(db.path, db.key)
        target = connect_raw(dest, db.key)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return dest


def backup_before_migration(db: Database, revision: str | None) -> Path:
    """The automatic backup taken before a schema migration."""
    dest = default_backup_path(db.path, f"before-migration-{revision or 'none'}")
    log.info("backing up %s to %s before migrating", db.path, dest)
    return backup(db, dest)


def check_backup(db: Database, source: Path) -> None:
    """Make sure `source` is a sound Kith backup that opens with the database's key.

    Raises:
        UserFacingError: it is missing, made with another key, not Kith's, or damaged.
    """
    if not source.is_file():
        raise UserFacingError(f"There is no backup at {source}.")
    try:
        conn = connect_raw(source, db.key)
    except WrongKeyError as exc:
        raise UserFacingError(
            f"{source} does not open with this database's key: it is not a Kith backup, "
            "or it belongs to another database."
        ) from exc
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise NotKithDatabaseError(f"{source} is not a Kith backup.")
        status = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise UserFacingError(f"{source} is damaged ({status}); choose another backup.")
    finally:
        conn.close()


def restore(db: Database, source: Path) -> None:
    """Replace the database's content with the backup at `source`, exactly.

    The current database is first kept as a backup of its own, so a restore can be undone by
    restoring that.
    """
    check_backup(db, source)
    backup(db, default_backup_path(db.path, "before-restore"))
    db.close()
    staging = db.path.with_name(db.path.name + ".restoring")
    staging.unlink(missing_ok=True)
    create_private_file(staging)
    source_conn = connect_raw(source, db.key)
    target_conn = connect_raw(staging, db.key)
    try:
        source_conn.backup(target_conn)
        target_conn.execute("PRAGMA journal_mode = WAL")
    finally:
        target_conn.close()
        source_conn.close()
    with staging.open("rb") as fh:
        os.fsync(fh.fileno())
    for sidecar in (db.path.with_name(db.path.name + s) for s in ("-wal", "-shm")):
        sidecar.unlink(missing_ok=True)
    os.replace(staging, db.path)
