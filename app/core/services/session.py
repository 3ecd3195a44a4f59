"""Opening the database: the handle the window and the command line hold, and its keys.

The window and the command line reach the store only through the services; this module gives
them the database handle type and the ways to open, unlock and re-key it.
"""

from __future__ import annotations

from app.core.storage.damage import DamagedDatabaseError
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.keys import (
    PASSPHRASE_ENV,
    KeyStore,
    PassphrasePrompt,
    passphrase_from_env,
    passphrase_key,
)
from app.core.storage.unlock import (
    ASK_PASSPHRASE,
    NO_KEYRING,
    NOT_CREATED,
    WRONG,
    Ask,
    change_passphrase,
    open_or_create,
    unlock,
)

__all__ = [
    "ASK_PASSPHRASE",
    "NOT_CREATED",
    "NO_KEYRING",
    "PASSPHRASE_ENV",
    "WRONG",
    "Ask",
    "DamagedDatabaseError",
    "Database",
    "DatabaseKey",
    "KeyStore",
    "PassphrasePrompt",
    "change_passphrase",
    "open_or_create",
    "passphrase_from_env",
    "passphrase_key",
    "unlock",
]
