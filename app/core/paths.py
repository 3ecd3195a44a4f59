"""Where Kith keeps its files, and how it makes its folders."""

import os
from pathlib import Path

import platformdirs

DB_ENV = "KITH_DB"
LOG_DIR_ENV = "KITH_LOG_DIR"
PRIVATE_FOLDER_MODE = 0o700


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


def log_folder() -> Path:
    """KITH_LOG_DIR, else the user's log folder in the state folder (~/.local/state/Kith/log)."""
    if os.environ.get(LOG_DIR_ENV):
        return Path(os.environ[LOG_DIR_ENV]).expanduser()
    return Path(platformdirs.user_log_dir("Kith", appauthor=False))


def ensure_private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents, each 0700 whatever the umask.

    `mkdir(parents=True)` gives the parents it makes the umask's mode (0777 under umask 000),
    so each missing folder is made on its own and its mode set explicitly. A folder that exists
    already keeps its mode: it is the user's.
    """
    missing = []
    here = folder
    while not here.exists():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_FOLDER_MODE)
        except FileExistsError:  # made meanwhile by another Kith: it is ours as well
            continue
        os.chmod(path, PRIVATE_FOLDER_MODE)
