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

__all__ = [
    "BACKUP_PASSPHRASE_ENV",
    "BackupKeyError",
    "back_up",
    "default_backup_path",
    "restore",
    "restore_damaged",
]


def back_up(db: Database, dest: Path | None = None) -> Path:
    """Write an encrypted, verified backup of `db` to `dest` (default: dated, beside it).

    Returns:
        Where the backup was written.
    """
    return backup(db, dest if dest is not None else default_backup_path(db.path))
