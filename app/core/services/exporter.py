"""Export contacts to vCard or CSV files other programs read."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from app.core.domain.contact import Contact
from app.core.errors import UserFacingError
from app.core.formats import EXPORT_FORMATS, write_contacts
from app.core.storage import contacts_repo
from app.core.storage.database import Database

_PAGE = 1000


def _contacts(db: Database, ids: Sequence[int]) -> Iterator[Contact]:
    # Page through the ids so that a 100,000-contact export never holds every contact at once.
    for start in range(0, len(ids), _PAGE):
        with db.read() as conn:
            yield from contacts_repo.get_many(conn, ids[start : start + _PAGE])


def export_to_stream(db: Database, ids: Sequence[int], fmt: str, out: BinaryIO) -> int:
    """Write these contacts to `out` in `fmt`; returns how many were written."""
    if fmt not in EXPORT_FORMATS:
        choices = ", ".join(EXPORT_FORMATS)
        raise UserFacingError(f"Kith cannot export as {fmt!r}; choose one of {choices}.")
    return write_contacts(_contacts(db, ids), fmt, out)


def export(db: Database, ids: Sequence[int], fmt: str, path: Path) -> int:
    """Write these contacts to `path` in `fmt`, all or nothing; returns how many were written."""
    folder = path.parent if str(path.parent) else Path()
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise UserFacingError(f"Kith cannot write to {folder}: {exc.strerror}.") from exc
    try:
        with os.fdopen(handle, "wb") as out:
            count = export_to_stream(db, ids, fmt, out)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return count
