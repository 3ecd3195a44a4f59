"""A contact file as a path that can be opened twice: pipes and devices are read once, capped.

Sniffing a format reads the start of a file and parsing reads it again from the start; a pipe
(`kith import /dev/stdin`, `<(...)`) gives its bytes only once, and a device such as /dev/zero
never ends. So a file that is not a regular file is read once into memory (never to disk: it is
the user's contacts in clear), with the size cap enforced as it is read, and handed on as a
path to that copy.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from app.core.errors import UserFacingError
from app.core.formats.csv_sniff import sniff_encoding
from app.core.formats.limits import DEFAULT_LIMITS, Limits

_CHUNK = 1024 * 1024


def too_large(name: str, limits: Limits) -> UserFacingError:
    """The error for a file over the size cap."""
    return UserFacingError(
        f"{name} is larger than {limits.max_file_bytes // 2**20:,} MB; "
        "split it into smaller files and import them one by one."
    )


def _unreadable(path: Path, error: OSError) -> UserFacingError:
    return UserFacingError(f"{path} could not be read: {error.strerror or error}.")


@contextmanager
def readable(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Path]:
    """`path` when it is a regular file; else a path to its content, read once into memory.

    Raises:
        UserFacingError: the path is a folder, cannot be read, is over the size cap, or starts
            with bytes no text file has.
    """
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISREG(mode):
            os.close(os.open(path, os.O_RDONLY))  # unreadable: say so before any parsing
    except OSError as error:
        raise _unreadable(path, error) from error
    if stat.S_ISDIR(mode):
        raise UserFacingError(f"{path} is a folder; name a vCard (.vcf) or CSV file.")
    if stat.S_ISREG(mode):
        yield path
        return
    with _memory_file(path.name or "input") as (copy, fd):
        try:
            with path.open("rb") as stream:
                _copy_capped(path, stream, fd, limits)
        except OSError as error:
            raise _unreadable(path, error) from error
        yield copy


def _copy_capped(path: Path, stream: BinaryIO, fd: int, limits: Limits) -> None:
    total = 0
    first = True
    while chunk := stream.read(_CHUNK):
        if first and b"\0" in chunk and "utf-16" not in sniff_encoding(chunk):
            raise UserFacingError(f"{path} is not a text file, so not a vCard or CSV file.")
        first = False
        total += len(chunk)
        if total > limits.max_file_bytes:
            raise too_large(str(path), limits)
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]


@contextmanager
def _memory_file(name: str) -> Iterator[tuple[Path, int]]:
    """A file in memory (Linux memfd) and a path, named `name`, that opens it from the start."""
    with tempfile.TemporaryDirectory(prefix="kith-") as folder:
        link = Path(folder) / name
        create = getattr(os, "memfd_create", None)
        if create is not None:
            fd = create("kith-import", os.MFD_CLOEXEC)
            # The link's name is what reports and the import's label show.
            link.symlink_to(f"/proc/{os.getpid()}/fd/{fd}")
        else:  # no memfd: a private file, removed with its folder
            fd = os.open(link, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            yield link, fd
        finally:
            os.close(fd)
