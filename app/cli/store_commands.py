"""`kith backup | restore | change-passphrase | set-region`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.errors import UserFacingError
from app.core.paths import database_path
from app.core.services import store as backup
from app.core.services.contacts import ContactService
from app.core.services.session import (
    DamagedDatabaseError,
    Database,
    DatabaseKey,
    KeyStore,
    change_passphrase,
    passphrase_key,
)

NEW_PASSPHRASE_ENV = "KITH_NEW_PASSPHRASE"


def register(sub: Any) -> None:
    """Add these subcommands to the parser."""
    b = sub.add_parser("backup", help="write an encrypted backup of the database")
    b.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="default: a dated file in backups/ beside the database",
    )
    b.set_defaults(run=run_backup)
    r = sub.add_parser(
        "restore", help="replace the database with a backup (the current one is kept)"
    )
    r.add_argument("file", metavar="FILE")
    r.set_defaults(run=run_restore, run_damaged=run_restore_damaged)
    p = sub.add_parser(
        "change-passphrase",
        help=f"re-encrypt under a new passphrase (from {NEW_PASSPHRASE_ENV} or a prompt)",
    )
    p.set_defaults(run=run_change_passphrase)
    g = sub.add_parser("set-region", help="the default phone region, e.g. DE or US")
    g.add_argument("region")
    g.set_defaults(run=run_set_region)


def run_backup(db: Database, args: argparse.Namespace) -> int:
    """Write an encrypted backup and print where."""
    written = backup.back_up(db, Path(args.output).expanduser() if args.output else None)
    print(f"Backed up to {written}.")
    return 0


def run_restore(db: Database, args: argparse.Namespace) -> int:
    """Restore a backup over the database.

    A backup made before a change of passphrase opens with the passphrase it was made under:
    from KITH_BACKUP_PASSPHRASE, else asked for on the terminal.
    """
    source = Path(args.file).expanduser()
    _with_backup_key(source, lambda key: backup.restore(db, source, key))
    print(f"Restored {args.file}; the previous state is kept in {db.path.parent / 'backups'}.")
    return 0


def run_restore_damaged(damage: DamagedDatabaseError, args: argparse.Namespace) -> int:
    """Restore a backup over a database too damaged to open (the damage check found its key)."""
    key = damage.key
    if key is None:
        raise damage
    path = database_path(args.db)
    source = Path(args.file).expanduser()
    _with_backup_key(source, lambda k: backup.restore_damaged(path, key, source, k))
    kept = path.parent / "backups"
    print(f"Restored {args.file}; the damaged database is kept as it was in {kept}.")
    return 0


def _with_backup_key(source: Path, restore: Callable[[DatabaseKey | None], None]) -> None:
    """Restore with the database's key, else with the passphrase the backup was made under."""
    try:
        restore(None)
    except backup.BackupKeyError:
        old = os.environ.pop(backup.BACKUP_PASSPHRASE_ENV, None)
        if old is None:
            if not sys.stdin.isatty():
                raise
            old = getpass.getpass(f"Passphrase {source.name} was made under: ")
        restore(passphrase_key(old))


def run_change_passphrase(db: Database, args: argparse.Namespace) -> int:
    """Re-encrypt the database under a new passphrase."""
    new = os.environ.pop(NEW_PASSPHRASE_ENV, None)
    if new is None:
        if not sys.stdin.isatty():
            raise UserFacingError(
                f"Set {NEW_PASSPHRASE_ENV} or run in a terminal to choose the new passphrase."
            )
        new = getpass.getpass("New passphrase: ")
        if new != getpass.getpass("Type it again: "):
            raise UserFacingError("The two passphrases differ; nothing was changed.")
    change_passphrase(db, KeyStore(), new)
    print("The database is now encrypted under the new passphrase.")
    return 0


def run_set_region(db: Database, args: argparse.Namespace) -> int:
    """Store the default phone region."""
    region, note = ContactService(db).set_region(args.region)
    said = f"Phone numbers without a country code are now read as {region}."
    print(f"{note} {said}" if note else said)
    return 0
