"""Where a database's key comes from: the OS keyring, or a passphrase.

A random 256-bit key lives in the keyring under the database's absolute path. Only a keyring
that keeps secrets encrypted counts: the `fail` and `null` backends, and everything from
keyrings.alt (plaintext and the like), are refused, and Kith asks for a passphrase instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from app.core.errors import UserFacingError
from app.core.storage.engine import DatabaseKey

log = logging.getLogger(__name__)

SERVICE = "Kith"
PASSPHRASE_ENV = "KITH_PASSPHRASE"
_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")

PassphrasePrompt = Callable[[bool], str]
"""Asks the user for a passphrase; the argument says whether a new one is being chosen."""


class KeyStore:
    """The OS keyring, when it is a secure one.

    Args:
        backend: a keyring backend to use instead of the system's (tests pass one).
    """

    def __init__(self, backend: Any | None = None) -> None:
        self._backend = backend

    def _keyring(self) -> Any | None:
        try:
            import keyring  # noqa: PLC0415 - slow to import, and absent from some installs

            backend = self._backend or keyring.get_keyring()
        except Exception:
            log.warning("no keyring backend could be loaded", exc_info=True)
            return None
        return backend if is_secure_backend(backend) else None

    def available(self) -> bool:
        """Whether a secure keyring is there to hold keys."""
        return self._keyring() is not None

    def load(self, db_path: Path) -> bytes | None:
        """The raw key stored for `db_path`, or None when there is none.

        Raises:
            UserFacingError: the keyring is locked or refused to answer.
        """
        backend = self._keyring()
        if backend is None:
            return None
        try:
            stored = backend.get_password(SERVICE, _account(db_path))
        except Exception as exc:
            raise UserFacingError(
                "Your keyring is locked or not answering: unlock it (log in to your desktop "
                "session or open your keyring manager) and start Kith again."
            ) from exc
        if not stored:
            return None
        try:
            raw = bytes.fromhex(stored)
        except ValueError:
            log.warning("the keyring entry for this database is not a key; ignoring it")
            return None
        return raw if len(raw) == 32 else None

    def create(self, db_path: Path) -> bytes:
        """Generate a random key for `db_path` and store it in the keyring."""
        backend = self._keyring()
        if backend is None:
            raise UserFacingError("No secure keyring is available to hold the database key.")
        raw = os.urandom(32)  # what secrets.token_bytes is (secrets costs every start 3 ms)
        try:
            backend.set_password(SERVICE, _account(db_path), raw.hex())
        except Exception as exc:
            raise UserFacingError(
                "Your keyring refused to store the database key: unlock it and try again, "
                f"or set {PASSPHRASE_ENV} to use a passphrase."
            ) from exc
        return raw

    def forget(self, db_path: Path) -> None:
        """Remove the key stored for `db_path` (after switching it to a passphrase)."""
        backend = self._keyring()
        if backend is None:
            return
        try:
            backend.delete_password(SERVICE, _account(db_path))
        except Exception:
            log.info("no keyring entry to remove for this database")


def _account(db_path: Path) -> str:
    return str(db_path.expanduser().resolve())


def is_secure_backend(backend: Any) -> bool:
    """Whether `backend` keeps secrets encrypted (a chainer counts if one of its parts does)."""
    from keyring.backends.chainer import ChainerBackend  # noqa: PLC0415

    if isinstance(backend, ChainerBackend):
        return any(is_secure_backend(b) for b in backend.backends)
    module = type(backend).__module__
    if any(module.startswith(m) for m in _INSECURE_MODULES):
        return False
    try:
        # A backend's priority is where it checks that it can work (D-Bus up, and so on).
        return float(backend.priority) > 0
    except Exception:
        return False


def passphrase_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """The passphrase scripts and tests give in KITH_PASSPHRASE, removed from our environment.

    It is taken out of `os.environ` so that no child process (a browser opened for a link, a
    mail client) inherits it.
    """
    env = os.environ if environ is None else environ
    value = env.get(PASSPHRASE_ENV)
    if environ is None and PASSPHRASE_ENV in os.environ:
        del os.environ[PASSPHRASE_ENV]
    return value or None


def passphrase_key(passphrase: str) -> DatabaseKey:
    """A key for a user's passphrase.

    Raises:
        UserFacingError: the passphrase is empty.
    """
    if not passphrase:
        raise UserFacingError("The passphrase is empty: choose one with at least one character.")
    return DatabaseKey(passphrase=passphrase)
