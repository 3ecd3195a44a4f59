"""Which Kiths have a database open: a shared `flock` on `<db>.lock`, exclusive for a restore.

Every open `Database` holds a shared lock on a small file beside the database. A restore
replaces the database file, so it takes the lock exclusively and refuses when it cannot: another
Kith (a window, an import) has the database open and would go on writing into the replaced file.
The lock file is never replaced or removed; the kernel drops a killed process's lock.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from app.core.errors import UserFacingError

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows has no flock; there, no lock is taken (and the log says so)
    fcntl = None

log = logging.getLogger(__name__)

WAIT_NOTICE_S = 2.0
"""How long a wait lasts before the user is told why nothing is happening."""

Notice = Callable[[str], None]
"""Tells the user something while they wait (the CLI prints it on stderr)."""

IN_USE = "Kith is open on this database in another window or command; close it and try again."


def lock_path(db_path: Path) -> Path:
    """The lock file of a database: `kith.db.lock` beside `kith.db`."""
    return db_path.with_name(db_path.name + ".lock")


class DatabaseLock:
    """The lock one open `Database` holds on its lock file.

    Args:
        db_path: the database file.
        notice: told when opening waits for a restore that is under way.
    """

    def __init__(self, db_path: Path, notice: Notice | None = None) -> None:
        self._path = lock_path(db_path)
        self._notice = notice
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock (shared or exclusive)."""
        return self._fd is not None

    def _open(self) -> int | None:
        if fcntl is None:
            log.info("this system has no flock; opening without a lock file")
            return None
        try:
            return os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError:
            pass
        try:
            # A read-only folder cannot hold a new lock file; an existing one still locks.
            return os.open(self._path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            # Nothing can be written there either, so nothing could be lost by a restore.
            log.info("no lock file can be made beside the database; opening without one")
            return None

    def acquire_shared(self, timeout: float = 120.0) -> None:
        """Take the shared lock, waiting while a restore holds it exclusively.

        Raises:
            UserFacingError: a restore held the database for longer than `timeout` seconds.
        """
        if self._fd is not None:
            return
        fd = self._open()
        if fd is None:
            return
        assert fcntl is not None  # `_open` gives no file without it
        start = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    os.close(fd)
                    raise
            waited = time.monotonic() - start
            if waited > timeout:
                os.close(fd)
                raise UserFacingError(
                    "Another Kith is restoring this database; try again when it has finished."
                )
            if waited > WAIT_NOTICE_S and not told and self._notice is not None:
                self._notice("Waiting for another Kith to finish restoring this database...")
                told = True
            time.sleep(0.05)
        self._fd = fd

    def try_exclusive(self) -> bool:
        """Hold the lock alone (for a restore); False when another Kith has the database open.

        On False this object still holds (or holds again) its shared lock.
        """
        if self._fd is None:
            self.acquire_shared()
        if self._fd is None or fcntl is None:
            return True  # no lock file can exist here, so no other Kith can be counted
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            # Converting a flock may drop the shared lock before failing: take it again.
            fcntl.flock(self._fd, fcntl.LOCK_SH)
            return False
        return True

    def share(self) -> None:
        """Go back from exclusive to shared (after a restore)."""
        if self._fd is not None and fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        """Let go of the lock (closing the file drops it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
