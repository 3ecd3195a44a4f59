"""Backing up and restoring the database, as `kith backup | restore` and the File menu do."""

from __future__ import annotations

from pathlib import Path

from app.core.storage.backup import (
    BACKUP_PASSPHRASE_ENV,
    BackupKeyError,
    backup,
    default_backup_path,
    restore,
    restore_damaged,
)
from app.core.storage.database import Database
from app.core.storage.keys import passphrase_key

__all__ = [
    "BACKUP_PASSPHRASE_ENV",
    "BackupKeyError",
    "back_up",
    "default_backup_path",
    "restore",
    "restore_backup",
    "restore_damaged",
]


def back_up(db: Database, dest: Path | None = None) -> Path:
    """Write an encrypted, verified backup of `db` to `dest` (default: dated, beside it).

    Returns:
        Where the backup was written.
    """
    return backup(db, dest if dest is not None else default_backup_path(db.path))


def restore_backup(db: Database, source: Path, made_under: str | None = None) -> None:
    """Replace the database's content with the backup at `source`; the current one is kept.

    The store closes `db`'s own connections, replaces the file and reopens it, so the caller
    keeps using the same handle. `made_under` is the passphrase a backup made before a change of
    passphrase opens with.

    Raises:
        BackupKeyError: the backup needs the passphrase it was made under (ask, call again).
        UserFacingError: the backup is unsound, or another Kith has the database open.
    """
    restore(db, source, None if made_under is None else passphrase_key(made_under))
