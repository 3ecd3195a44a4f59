"""Telling a damaged database from a wrong key.

SQLCipher reports both the same way: the first page fails its HMAC, "file is not a database".
But every page carries its own HMAC under a key derived from the database key, so a key that
verifies some pages is the right key, and the pages it does not verify are damaged. This reads
the file directly (stdlib only) and checks the HMACs of page 1 and a few pages after it.

The layout is SQLCipher 4's defaults, which Kith never changes: 4096-byte pages, a 16-byte salt
at the start of the file, and 80 reserved bytes at the end of each page (a 16-byte IV, then a
64-byte HMAC-SHA512 over the page's ciphertext, its IV and its page number).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import UserFacingError

if TYPE_CHECKING:
    from app.core.storage.engine import DatabaseKey

log = logging.getLogger(__name__)

PAGE_SIZE = 4096
_SALT = 16
_IV = 16
_HMAC = 64
_RESERVE = 80
_KDF_ITERATIONS = 256_000
_PAGES_TO_TRY = 16


class DamagedDatabaseError(UserFacingError):
    """The key is right, but the database file is damaged.

    Attributes:
        key: the key that proved right, when the damage was found while opening (a restore
            over the damaged file needs it); its repr never shows it.
    """

    def __init__(self, message: str, key: DatabaseKey | None = None) -> None:
        super().__init__(message)
        self.key = key


def _hmac_key(key: DatabaseKey, salt: bytes) -> bytes:
    import hashlib  # noqa: PLC0415 - 3 ms of every start; only a damaged file is checked

    if key.raw is not None:
        encryption_key = key.raw  # a raw key is the encryption key itself, no derivation
    else:
        assert key.passphrase is not None
        encryption_key = hashlib.pbkdf2_hmac(
            "sha512", key.passphrase.encode(), salt, _KDF_ITERATIONS, 32
        )
    hmac_salt = bytes(b ^ 0x3A for b in salt)
    return hashlib.pbkdf2_hmac("sha512", encryption_key, hmac_salt, 2, 32)


def _page_verifies(page: bytes, pgno: int, hmac_key: bytes) -> bool:
    import hmac  # noqa: PLC0415 - as hashlib above

    if len(page) != PAGE_SIZE:
        return False
    start = _SALT if pgno == 1 else 0
    end = PAGE_SIZE - _RESERVE + _IV
    expected = hmac.new(hmac_key, page[start:end] + pgno.to_bytes(4, "little"), "sha512")
    return hmac.compare_digest(expected.digest(), page[end : end + _HMAC])


def key_verifies_pages(path: Path, key: DatabaseKey) -> bool:
    """Whether `key` verifies page 1 or one of the pages after it: the key is right.

    When the key is right but SQLCipher refused the file, the file is damaged; when no page
    verifies, the key is wrong (or the file is not a database at all).
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(PAGE_SIZE * (_PAGES_TO_TRY + 1))
    except OSError:
        return False
    if len(head) < PAGE_SIZE:
        return False
    hmac_key = _hmac_key(key, head[:_SALT])
    pages = len(head) // PAGE_SIZE
    for pgno in range(1, pages + 1):
        if _page_verifies(head[(pgno - 1) * PAGE_SIZE : pgno * PAGE_SIZE], pgno, hmac_key):
            log.info("the key verifies page %d, so the database file is damaged", pgno)
            return True
    return False


def damaged_message(path: Path) -> str:
    """What to tell the user of a damaged database file."""
    return (
        f"{path} is damaged (part of the file no longer matches its checksums); your key is "
        "right. Restore a backup with `kith restore FILE` (Kith keeps them in "
        f"{path.parent / 'backups'}), or copy the file elsewhere before trying anything else."
    )
