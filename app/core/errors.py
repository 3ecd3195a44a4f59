"""Errors that the user caused and can fix, as opposed to bugs."""

from __future__ import annotations

import errno


class UserFacingError(Exception):
    """An error to show the user as it is: one sentence that says what to do.

    Anything that is not a UserFacingError is a bug: logged with its traceback and reported as
    such.
    """


class WrongKeyError(UserFacingError):
    """The database could not be opened with the key or passphrase given."""


_WHAT_TO_DO = {
    errno.ENOSPC: "the disk is full; free some space and try again",
    errno.EDQUOT: "your disk quota is used up; free some space and try again",
    errno.EFBIG: "the file would be too large for this disk",
    errno.EISDIR: "that is a folder; give a file name",
    errno.ENOTDIR: "a part of that path is not a folder",
    errno.ENOENT: "there is no such file or folder",
    errno.EACCES: "you may not use it; check its permissions",
    errno.EPERM: "you may not use it; check its permissions",
    errno.EROFS: "the disk is read-only",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ELOOP: "it is a loop of symbolic links",
    errno.EIO: "the disk is failing; copy your data elsewhere",
}


def os_error_reason(exc: OSError) -> str:
    """What went wrong, and what to do, in words (the system's own words for the rare rest)."""
    return _WHAT_TO_DO.get(exc.errno or 0) or (exc.strerror or str(exc)).rstrip(".")


def os_error_sentence(exc: OSError) -> str | None:
    """The sentence for a file or disk error the user can act on, or None for anything else."""
    what = _WHAT_TO_DO.get(exc.errno or 0)
    if what is None:
        return None
    # A rename names the target second: that is the path the user gave.
    name = exc.filename2 or exc.filename
    where = f"use {name}" if name else "write its output"
    return f"Kith could not {where}: {what}."
