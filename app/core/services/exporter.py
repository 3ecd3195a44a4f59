"""Export contacts to vCard or CSV files other programs read.

A file export is written all or nothing: to an unnamed temporary file in the target folder
(O_TMPFILE, mode 0600, so a killed export leaves nothing behind), fsynced, linked under a
hidden name and renamed over the target. Where O_TMPFILE is missing, a hidden `.part` file is
used instead, removed on any failure, and a stale one left by a killed export is removed by the
next export to the same name.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from app.core.clock import SYSTEM_CLOCK
from app.core.domain.contact import Contact
from app.core.errors import UserFacingError, os_error_reason
from app.core.formats import EXPORT_FORMATS, reimport_warning, write_contacts
from app.core.formats.carry import CANNOT_CARRY, FORMAT_NAMES, losses, what
from app.core.storage import contacts_repo
from app.core.storage.database import Database
from app.core.tasks import TaskControl

__all__ = ["CountingStream", "carry_report", "export", "export_to_stream", "reimport_warning"]

_PAGE = 1000
_PART = ".part"
_STALE_SECONDS = 60  # a temporary name lives for microseconds (O_TMPFILE) or one export


def _contacts(
    db: Database, ids: Sequence[int], control: TaskControl | None = None
) -> Iterator[Contact]:
    # Page through the ids so that a 100,000-contact export never holds every contact at once.
    for start in range(0, len(ids), _PAGE):
        if control is not None:
            control.step(start, len(ids))  # raises Cancelled: the file is then never renamed
        with db.read() as conn:
            yield from contacts_repo.get_many(conn, ids[start : start + _PAGE])


def _check_format(fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        choices = ", ".join(EXPORT_FORMATS)
        raise UserFacingError(f"Kith cannot export as {fmt!r}; choose one of {choices}.")


def carry_report(db: Database, ids: Sequence[int], fmt: str) -> str:
    """What an export of these contacts as `fmt` cannot carry, as one sentence ("" if nothing).

    For example "Outlook CSV cannot carry: 12 emails past the third (on 7 contacts), 3 custom
    fields (on 2 contacts)." Reads the contacts once; formats that carry everything cost nothing.
    """
    _check_format(fmt)
    if not CANNOT_CARRY[fmt]:
        return ""
    values: dict[str, int] = {}
    contacts: dict[str, int] = {}
    for contact in _contacts(db, ids):
        for field, count in losses(contact, fmt).items():
            values[field] = values.get(field, 0) + count
            contacts[field] = contacts.get(field, 0) + 1
    parts = []
    for loss in CANNOT_CARRY[fmt]:
        n, on = values.get(loss.field, 0), contacts.get(loss.field, 0)
        if n and (words := what(fmt, loss.field, n)):
            parts.append(f"{n:,} {words} (on {on:,} contact{'s' if on != 1 else ''})")
    return f"{FORMAT_NAMES[fmt]} cannot carry: {', '.join(parts)}." if parts else ""


class CountingStream:
    """A binary stream that counts the bytes written through it (for `reimport_warning`)."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return self.out.write(data)

    def flush(self) -> None:
        """Flush the stream below."""
        self.out.flush()


def export_to_stream(db: Database, ids: Sequence[int], fmt: str, out: BinaryIO) -> int:
    """Write these contacts to `out` in `fmt`; returns how many were written.

    Raises:
        UserFacingError: `out` cannot take it (a full disk, /dev/full); a closed pipe is left
            to the caller as BrokenPipeError.
    """
    _check_format(fmt)
    try:
        count = write_contacts(_contacts(db, ids), fmt, out)
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise UserFacingError(f"Kith could not write the export: {os_error_reason(exc)}.") from exc
    return count


def export(
    db: Database,
    ids: Sequence[int],
    fmt: str,
    path: Path,
    warnings: list[str] | None = None,
    *,
    control: TaskControl | None = None,
) -> int:
    """Write these contacts to `path` in `fmt`, all or nothing; returns how many were written.

    Args:
        db: the database.
        ids: the contacts, in export order.
        fmt: one of EXPORT_FORMATS.
        path: the file to create or replace.
        warnings: when given, gets a sentence if the file is past what Kith imports in one go.
        control: told the progress; a cancel leaves the target as it was.

    Raises:
        UserFacingError: the format is unknown, `path` is a folder, or the file cannot be
            written (no such folder, no permission, a full disk); nothing is left behind.
    """
    _check_format(fmt)
    if path.is_dir():
        raise UserFacingError(f"{path} is a folder; choose a file name for the export.")
    # A device, a FIFO or a terminal is written into, never replaced by a file (as root, a
    # rename over /dev/null would replace the device); a symlink's target is what is replaced.
    special = path.exists() and not path.is_file()
    target = path.resolve() if path.is_symlink() and not special else path
    try:
        with path.open("wb") if special else _atomic_file(target) as out:
            counted = CountingStream(out)
            count = write_contacts(_contacts(db, ids, control), fmt, counted)  # type: ignore[arg-type]
    except OSError as exc:
        raise UserFacingError(
            f"Kith could not write {path.name}: {os_error_reason(exc)}; nothing was written."
        ) from exc
    if warnings is not None and (warning := reimport_warning(count, counted.size)):
        warnings.append(warning)
    return count


@contextlib.contextmanager
def _atomic_file(path: Path) -> Iterator[BinaryIO]:
    folder = path.parent
    _remove_stale(folder, path.name)
    fd, temp = _open_temp(folder, path.name)
    try:
        with os.fdopen(fd, "wb", closefd=False) as out:
            yield out
        os.fsync(fd)
        if temp is None:
            temp = folder / f".{path.name}.{secrets.token_hex(4)}{_PART}"
            _name_unnamed(fd, temp)
        os.replace(temp, path)
        temp = None
        _fsync_folder(folder)
    finally:
        os.close(fd)
        if temp is not None:
            temp.unlink(missing_ok=True)


def _name_unnamed(fd: int, temp: Path) -> None:
    """Give the O_TMPFILE file `fd` the name `temp` (linkat with AT_SYMLINK_FOLLOW).

    `os.link` asks for AT_SYMLINK_FOLLOW only when given a folder descriptor; without it,
    it would link /proc's symlink itself and fail across file systems.
    """
    proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(str(fd), temp, src_dir_fd=proc, follow_symlinks=True)
    finally:
        os.close(proc)


def _open_temp(folder: Path, name: str) -> tuple[int, Path | None]:
    """An unnamed file in `folder` (O_TMPFILE), else a hidden named one; mode 0600 either way."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag and Path("/proc/self/fd").is_dir():
        try:
            return os.open(folder, flag | os.O_WRONLY | os.O_CLOEXEC, 0o600), None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=_PART)
    return fd, Path(temp)


def _remove_stale(folder: Path, name: str) -> None:
    """Remove hidden temporary files a killed export to `name` left behind."""
    prefix = f".{name}."
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and entry.name.endswith(_PART):
                with contextlib.suppress(OSError):
                    age = (
                        SYSTEM_CLOCK.now().timestamp() - entry.stat(follow_symlinks=False).st_mtime
                    )
                    if age > _STALE_SECONDS:
                        os.unlink(entry.path)


def _fsync_folder(folder: Path) -> None:
    # The rename is durable once the folder is synced; some file systems cannot sync a folder.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
