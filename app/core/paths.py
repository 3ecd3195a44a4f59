"""Where Kith keeps its files by default."""

from pathlib import Path

import platformdirs


def default_database_path() -> Path:
    """The database in the user's data folder (e.g. ~/.local/share/Kith/kith.db)."""
    return Path(platformdirs.user_data_dir("Kith", appauthor=False)) / "kith.db"
