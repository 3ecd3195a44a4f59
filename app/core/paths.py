"""Where Kith keeps its files."""

import os
from pathlib import Path

import platformdirs

DB_ENV = "KITH_DB"


def default_database_path() -> Path:
    """The database in the user's data folder (e.g. ~/.local/share/Kith/kith.db)."""
    return Path(platformdirs.user_data_dir("Kith", appauthor=False)) / "kith.db"


def database_path(arg: str | None) -> Path:
    """`--db`, else KITH_DB, else the user data folder."""
    if arg:
        return Path(arg).expanduser()
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    return default_database_path()
