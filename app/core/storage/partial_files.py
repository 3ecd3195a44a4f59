"""Files written under a temporary name and renamed when complete, and what a crash leaves.

A file Kith writes (a backup, a restored database) is first written as
`.<name>.<pid>.partial` in the folder it belongs in, fsynced, then renamed: a killed Kith never
leaves a partial file under the final name. What a killed Kith leaves under the temporary name
is swept away by the next Kith that looks in that folder, once the process that wrote it is gone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from pathlib import Path

log = logging.getLogger(__name__)

_PARTIAL = re.compile(r"^\..+\.(\d+)\.(partial|restoring)(-wal|-shm|-journal)?$")


def partial_path(dest: Path) -> Path:
    """The temporary name `dest` is written under, in its own folder (so renaming is atomic)."""
    return dest.with_name(f".{dest.name}.{os.getpid()}.partial")


def staging_path(db_path: Path) -> Path:
    """Where a restore puts the complete new database before it takes the database's name."""
    return db_path.with_name(f".{db_path.name}.{os.getpid()}.restoring")


def sidecars(path: Path) -> tuple[Path, ...]:
    """SQLite's files beside a database: its WAL, its shared-memory index, its rollback journal."""
    return tuple(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it is alive, and its files are not ours
    return True


def sweep(folder: Path) -> list[Path]:
    """Remove what killed Kiths left half-written in `folder`; returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _PARTIAL.match(entry.name)
        if match is None or _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed.append(entry)
    if removed:
        log.info("removed %d half-written files a stopped Kith left", len(removed))
    return removed


def fsync_path(path: Path) -> None:
    """Flush a file's (or a folder's) content to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(temp: Path, dest: Path) -> None:
    """Rename a complete, fsynced temporary file to its final name, and make the name durable."""
    fsync_path(temp)
    os.replace(temp, dest)
    with contextlib.suppress(OSError):  # some file systems cannot fsync a folder
        fsync_path(dest.parent)
