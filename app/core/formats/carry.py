"""What each export format cannot carry: one table, read by the export report, tests and docs.

`docs/formats.md` shows this table and the round-trip property tests read it, so that what the
documentation promises and what the tests prove cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from app.core.domain.contact import Contact

# Kept by the store, never by a file: which row it is and when it changed.
BOOKKEEPING = ("id", "created_at", "updated_at", "deleted_at", "last_contacted")


@dataclass(frozen=True, slots=True)
class Loss:
    """One thing a format cannot carry.

    Attributes:
        field: the Contact field it concerns.
        keeps: how many values of a list field survive (None: the field is not carried at all).
        why: one sentence for the export report and the documentation.
    """

    field: str
    keeps: int | None
    why: str


CANNOT_CARRY: dict[str, tuple[Loss, ...]] = {
    "vcard": (),
    "vcard4": (),
    "outlook-csv": (),
    "google-csv": (),
}


def carried(contact: Contact, fmt: str) -> Contact:
    """What of `contact` comes back from an export as `fmt` and an import of it."""
    changes: dict[str, Any] = {name: None for name in BOOKKEEPING}
    for loss in CANNOT_CARRY[fmt]:
        default = next(f for f in fields(Contact) if f.name == loss.field)
        value = getattr(contact, loss.field)
        if loss.keeps is None:
            changes[loss.field] = _empty(default, value)
        else:
            changes[loss.field] = value[: loss.keeps]
    return replace(contact, **changes)


def losses(contact: Contact, fmt: str) -> dict[str, int]:
    """How many values of each field an export of `contact` as `fmt` leaves out."""
    found: dict[str, int] = {}
    for loss in CANNOT_CARRY[fmt]:
        value = getattr(contact, loss.field)
        if loss.keeps is None:
            lost = (len(value) if isinstance(value, list | dict) else 1) if value else 0
        else:
            lost = max(0, len(value) - loss.keeps)
        if lost:
            found[loss.field] = lost
    return found


def _empty(spec: object, value: object) -> object:
    if isinstance(value, list):
        return []
    if isinstance(value, dict):
        return {}
    if isinstance(value, str):
        return ""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0
    return None
