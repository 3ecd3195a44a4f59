"""Opening the user's database with the right key, or creating it on first run.

This is the one place that decides how: the keyring's key or a passphrase, first run or an
existing database, asking again after a wrong passphrase, and the sentence to tell the user.
The window and the command line differ only in how they ask (a dialog, the terminal).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from app.core.errors import UserFacingError
from app.core.storage.database import Database, try_open
from app.core.storage.engine import DatabaseKey
from app.core.storage.keys import PASSPHRASE_ENV, KeyStore, PassphrasePrompt, passphrase_key

log = logging.getLogger(__name__)

Ask = Callable[[bool, str], str | None]
"""Asks for a passphrase: (choosing a new one?, a message to show) -> it, or None to give up."""

NO_KEYRING = (
    "Kith keeps your contacts in an encrypted file. No secure keyring (such as GNOME Keyring "
    "or KWallet) is available to hold its key, so choose a passphrase instead. You will type "
    "it each time Kith starts. Nobody can recover it if you forget it."
)
ASK_PASSPHRASE = "Your contacts are locked with a passphrase. Type it to open them."
WRONG = "That passphrase does not open this database. Check it and try again."
NOT_CREATED = "No database was created; Kith needs one to start."


def unlock(
    path: Path,
    key_store: KeyStore,
    *,
    passphrase: str | None = None,
    prompt: PassphrasePrompt | None = None,
    attempts: int = 3,
) -> Database:
    """Open the database at `path`, or create it when it does not exist (the command line).

    A new database gets a random key in the keyring when a secure one exists, else the
    passphrase given (or asked for). An existing one opens with its keyring key, else with the
    passphrase; the prompt is asked again after a wrong one, `attempts` times in all.

    Raises:
        UserFacingError: with the sentence to show (wrong passphrase, locked keyring, ...).
    """
    ask = None if prompt is None else (lambda new, _message: prompt(new))
    db = open_or_create(path, key_store, ask, passphrase=passphrase, attempts=attempts)
    if db is None:  # a terminal prompt never gives up by returning; it raises
        raise UserFacingError(f"{path} was not opened.")
    return db


def open_or_create(
    path: Path,
    key_store: KeyStore,
    ask: Ask | None,
    *,
    passphrase: str | None = None,
    attempts: int | None = None,
) -> Database | None:
    """Create or unlock the database at `path`; None when the user gives up (`ask` says None).

    `passphrase` (from KITH_PASSPHRASE) is tried before asking; `ask` is asked again after a
    wrong passphrase, `attempts` times in all (None: until the user gives up).

    Raises:
        UserFacingError: the file is not a Kith database, cannot be created, no key can be had.
    """
    path = path.expanduser()
    if not path.exists():
        return _create(path, key_store, ask, passphrase, attempts)
    # A passphrase given (KITH_PASSPHRASE) is tried first: a script that sets one has said
    # which key it means, and the keyring (30 ms to import, a D-Bus call, maybe a locked-keyring
    # prompt) is asked only when it does not open the file. A database has one key, so the
    # order changes what it costs, never what opens.
    if passphrase and (db := try_open(path, passphrase_key(passphrase))) is not None:
        return db
    message = ASK_PASSPHRASE
    try:
        raw = key_store.load(path)
    except UserFacingError as exc:
        # A locked keyring need not stop a database that has a passphrase.
        if passphrase is None and ask is None:
            raise
        log.warning("the keyring is locked; trying the passphrase")
        raw, message = None, f"{exc}\n\n{ASK_PASSPHRASE}"
    if raw is not None:
        if (db := try_open(path, DatabaseKey(raw=raw))) is not None:
            return db
        if passphrase is None and ask is None:
            raise UserFacingError(
                f"The key in your keyring does not open {path}: it is not a Kith database, "
                f"or it uses a passphrase (set {PASSPHRASE_ENV})."
            )
    if passphrase and ask is None:
        raise UserFacingError(
            f"Wrong passphrase for {path}, or it is not a Kith database: "
            f"check {PASSPHRASE_ENV} and try again."
        )
    if ask is None:
        raise UserFacingError(
            f"{path} is locked with a passphrase: set {PASSPHRASE_ENV} or run Kith in a terminal."
        )
    tried = 0
    while attempts is None or tried < attempts:
        answer = ask(False, message)
        if answer is None:
            return None
        tried += 1
        if answer and (db := try_open(path, passphrase_key(answer))) is not None:
            return db
        log.info("wrong passphrase")
        message = WRONG
    raise UserFacingError(f"Wrong passphrase for {path}, or it is not a Kith database.")


def _create(
    path: Path,
    key_store: KeyStore,
    ask: Ask | None,
    passphrase: str | None,
    attempts: int | None,
) -> Database:
    message = NO_KEYRING
    if key_store.available():
        try:
            raw = key_store.create(path)
        except UserFacingError as exc:
            if passphrase is None and ask is None:
                raise
            log.warning("the keyring refused the key; using a passphrase instead")
            message = f"{exc}\n\n{NO_KEYRING}"
        else:
            try:
                return Database.create(path, DatabaseKey(raw=raw))
            except BaseException:
                key_store.forget(path)
                raise
    if passphrase:
        return Database.create(path, passphrase_key(passphrase))
    if ask is None:
        raise UserFacingError(
            "No secure keyring is available to hold the database key: "
            f"set {PASSPHRASE_ENV} to choose a passphrase."
        )
    while True:
        answer = ask(True, message)
        if answer is None:
            raise UserFacingError(NOT_CREATED)
        try:
            return Database.create(path, passphrase_key(answer))
        except UserFacingError as exc:
            # The window asks again (the sentence says why); a terminal run stops here.
            if path.exists() or attempts is not None:
                raise
            message = str(exc)


def change_passphrase(db: Database, key_store: KeyStore, new_passphrase: str) -> None:
    """Re-encrypt `db` under a passphrase (PRAGMA rekey) and drop any keyring key for it."""
    db.rekey(passphrase_key(new_passphrase))
    key_store.forget(db.path)
