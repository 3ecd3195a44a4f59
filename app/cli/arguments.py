"""Argument types the command modules share (argparse `type=`s), kept apart so that a module
using them does not import another command module (`kith --help` stays quick)."""

from __future__ import annotations

from app.core.errors import UserFacingError

MAX_ID = 2**63 - 1
"""SQLite's largest integer: no contact id is larger."""


def contact_id(text: str) -> int:
    """A contact id as typed on the command line (an argparse `type`).

    Raises:
        UserFacingError: `text` is not a whole number above 0, or no id can be that large.
            (argparse lets this through, unlike ValueError, so it becomes a sentence and exit
            1 rather than a usage message.)
    """
    value = text.strip()
    if not value.isascii() or not value.isdigit() or int(value) == 0:
        raise UserFacingError(f"{text!r} is not a contact id; `kith list` shows the ids.")
    if int(value) > MAX_ID:
        raise UserFacingError(f"No contact with id {value}; `kith list` shows the ids.")
    return int(value)


def whole_number(text: str) -> int:
    """A count such as `--limit` (an argparse `type`).

    Raises:
        UserFacingError: `text` is not a whole number of 0 or more within SQLite's range.
    """
    value = text.strip()
    if not value.isascii() or not value.isdigit() or int(value) > MAX_ID:
        raise UserFacingError(f"{text!r} is not a whole number of 0 or more.")
    return int(value)
