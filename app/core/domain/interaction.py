"""What the user did with a contact (a call, an email, a meeting...), and how often they mean to.

An interaction lives on its contact (`Contact.interactions`), so the JSON, the row mapping, the
journal (undo and redo) and the round-trip property tests carry it with no list of fields
written out anywhere. "Last contacted" is derived from it in one place: `last_contacted`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


class InteractionKind(enum.StrEnum):
    """What kind of contact it was."""

    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    MESSAGE = "message"
    NOTE = "note"


CONTACTING = frozenset(InteractionKind) - {InteractionKind.NOTE}
"""Kinds that count as having been in touch: a note is written about someone, not to them."""


@dataclass(slots=True)
class Interaction:
    """One logged interaction.

    Attributes:
        id: stable within the contact, so that the timeline can edit or delete this one.
        kind: call, email, meeting, message or note.
        at: when it happened, in UTC to the whole second (the service converts local times).
        summary: what it was about, as the user wrote it.
    """

    id: str
    kind: InteractionKind
    at: datetime
    summary: str = ""


class Cadence(enum.StrEnum):
    """The unit of a contact's "keep in touch every N ..." setting."""

    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


def last_contacted(interactions: Iterable[Interaction]) -> datetime | None:
    """When the user was last in touch: the latest interaction that is not a note.

    This is the one definition: the contact's property, the stored column the list sorts by and
    the "not contacted for N days" rule all come from it.
    """
    return max((i.at for i in interactions if i.kind in CONTACTING), default=None)
