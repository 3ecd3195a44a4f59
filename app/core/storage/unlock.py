"""Opening the user's database with the right key, or creating it on first run."""

from __future__ import annotations

import logging
from pathlib import Path

from app.core.errors import UserFacingError, WrongKeyError
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.keys import PASSPHRASE_ENV, KeyStore, PassphrasePrompt, passphrase_key

log = logging.getLogger(__name__)


def unlock(
    path: Path,
    key_store: KeyStore,
    *,
    passphrase: str | None = None,
    prompt: PassphrasePrompt | None = None,
    attempts: int = 3,
) -> Database:
    """Open the database at `path`, or create it when it does not exist.

    A new database gets a random key in the keyring when a secure one exists, else the
    passphrase given (or asked for). An existing one opens with its keyring key, else with the
    passphrase; the prompt is asked again after a wrong one, `attempts` times in all.

    Raises:
        UserFacingError: with the sentence to show (wrong passphrase, locked keyring, ...).
    """
    path = path.expanduser()
    if not path.exists():
        return _create(path, key_store, passphrase, prompt)
    try:
        raw = key_store.load(path)
    except UserFacingError:
        # A locked keyring need not stop a database that has a passphrase.
        if passphrase is None and prompt is None:
            raise
        log.warning("the keyring is locked; trying the passphrase")
        raw = None
    if raw is not None:
        try:
            return Database.open(path, DatabaseKey(raw=raw))
        except WrongKeyError:
            if passphrase is None and prompt is None:
                raise UserFacingError(
                    f"The key in your keyring does not open {path}: it is not a Kith database, "
                    f"or it uses a passphrase (set {PASSPHRASE_ENV})."
                ) from None
    if passphrase is not None:
        try:
            return Database.open(path, passphrase_key(passphrase))
        except WrongKeyError:
            if prompt is None:
                raise UserFacingError(
                    f"Wrong passphrase for {path}, or it is not a Kith database: "
                    f"check {PASSPHRASE_ENV} and try again."
                ) from None
    if prompt is None:
        raise UserFacingError(
            f"{path} is locked with a passphrase: set {PASSPHRASE_ENV} or run Kith in a terminal."
        )
    for _ in range(attempts):
        try:
            return Database.open(path, passphrase_key(prompt(False)))
        except WrongKeyError:
            log.info("wrong passphrase")
    raise UserFacingError(f"Wrong passphrase for {path}, or it is not a Kith database.")


def _create(
    path: Path, key_store: KeyStore, passphrase: str | None, prompt: PassphrasePrompt | None
) -> Database:
    if key_store.available():
        try:
            raw = key_store.create(path)
        except UserFacingError:
            if passphrase is None and prompt is None:
                raise
            log.warning("the keyring refused the key; using a passphrase instead")
            return _create_with_passphrase(path, passphrase, prompt)
        try:
            return Database.create(path, DatabaseKey(raw=raw))
        except BaseException:
            key_store.forget(path)
            raise
    return _create_with_passphrase(path, passphrase, prompt)


def _create_with_passphrase(
    path: Path, passphrase: str | None, prompt: PassphrasePrompt | None
) -> Database:
    if passphrase is None:
        if prompt is None:
            raise UserFacingError(
                "No secure keyring is available to hold the database key: "
                f"set {PASSPHRASE_ENV} to choose a passphrase."
            )
        passphrase = prompt(True)
    return Database.create(path, passphrase_key(passphrase))


def change_passphrase(db: Database, key_store: KeyStore, new_passphrase: str) -> None:
    """Re-encrypt `db` under a passphrase (PRAGMA rekey) and drop any keyring key for it."""
    db.rekey(passphrase_key(new_passphrase))
    key_store.forget(db.path)
