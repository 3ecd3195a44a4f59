"""Opening the database: the handle the window and the command line hold, and its keys.

The window and the command line reach the store only through the services; this module gives
them the database handle type and the ways to open, unlock and re-key it.
"""

from __future__ import annotations

from app.core.storage.damage import DamagedDatabaseError
from app.core.storage.database import Database, try_open
from app.core.storage.engine import DatabaseKey
from app.core.storage.keys import (
    PASSPHRASE_ENV,
    KeyStore,
    PassphrasePrompt,
    passphrase_from_env,
    passphrase_key,
)
from app.core.storage.unlock import change_passphrase, unlock

__all__ = [
    "PASSPHRASE_ENV",
    "DamagedDatabaseError",
    "Database",
    "DatabaseKey",
    "KeyStore",
    "PassphrasePrompt",
    "change_passphrase",
    "passphrase_from_env",
    "passphrase_key",
    "try_open",
    "unlock",
]
