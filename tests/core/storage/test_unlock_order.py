"""Which key opens a database when both a passphrase (KITH_PASSPHRASE) and a keyring are there.

A database has one key, so the order never changes what opens; it changes what it costs. The
passphrase given is tried first, so a script that sets it never waits for the keyring (nor
imports it); a keyring-keyed database still opens when a stale passphrase is set.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from app.core.errors import UserFacingError
from app.core.storage.database import Database
from app.core.storage.keys import KeyStore, passphrase_key
from app.core.storage.unlock import open_or_create


class MemoryKeyring(KeyringBackend):
    """A secure-looking keyring in memory that counts the lookups made of it."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}
        self.lookups = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.lookups += 1
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def test_the_passphrase_given_opens_without_asking_the_keyring(tmp_path: Path) -> None:
    path = tmp_path / "kith.db"
    Database.create(path, passphrase_key("right")).close()
    keyring = MemoryKeyring()
    db = open_or_create(path, KeyStore(keyring), None, passphrase="right")
    assert db is not None
    db.close()
    assert keyring.lookups == 0


def test_a_keyring_database_opens_with_its_key_when_a_stale_passphrase_is_set(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kith.db"
    keyring = MemoryKeyring()
    store = KeyStore(keyring)
    created = open_or_create(path, store, None, passphrase="also set")
    assert created is not None
    created.close()
    assert keyring.secrets, "a secure keyring holds the new database's key"
    db = open_or_create(path, store, None, passphrase="also set")
    assert db is not None
    db.close()
    assert keyring.lookups == 1


def test_a_wrong_passphrase_and_no_keyring_key_is_refused_with_the_variable_named(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kith.db"
    Database.create(path, passphrase_key("right")).close()
    keyring = MemoryKeyring()
    with pytest.raises(UserFacingError, match=r"Wrong passphrase.*KITH_PASSPHRASE"):
        open_or_create(path, KeyStore(keyring), None, passphrase="wrong")
    assert keyring.lookups == 1
