"""Logging, editing and deleting interactions: each is one journaled, undoable operation.

An interaction is part of its contact (`Contact.interactions`), so these use cases write the
contact through the same repository and journal as any edit: undo and redo need nothing new,
and "last contacted" (stored for sorting and for smart segments) follows from the row mapping.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.domain.contact import Contact
from app.core.domain.interaction import Cadence, Interaction, InteractionKind
from app.core.domain.normalise import clean_text, text_problem
from app.core.errors import UserFacingError
from app.core.services.contacts import ChangeSet
from app.core.services.segments import RuleKind, rules_from_json
from app.core.storage import contacts_repo, journal, segments_repo
from app.core.storage.database import Database

if TYPE_CHECKING:
    from sqlalchemy import Connection

SUMMARY_MAX = 10_000
"""Characters of a summary; a pasted email thread is cut with a sentence, not stored whole."""
_CADENCE_MAX = 1000
_CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of the clock an interaction may be (another device's clock, a slow typist)."""

_Edit = Callable[[list[Interaction]], list[Interaction]]
"""Makes a contact's new list of interactions from its current one (raises to refuse)."""
_Change = Callable[[Contact], None]
"""Changes a copy of a stored contact in place (raises to refuse)."""


def parse_kind(text: str) -> InteractionKind:
    """The kind a user typed ("Call", "meeting").

    Raises:
        UserFacingError: it is not one of the kinds.
    """
    try:
        return InteractionKind(text.strip().lower())
    except ValueError:
        kinds = ", ".join(k.value for k in InteractionKind)
        raise UserFacingError(
            f"{text!r} is not a kind of interaction; use one of {kinds}."
        ) from None


class InteractionService:
    """The interaction use cases the window (timeline, "log for selected") and the CLI share.

    Args:
        db: the open database.
        clock: when "now" is, for the default time of a log and the future check.
    """

    def __init__(self, db: Database, clock: Clock = SYSTEM_CLOCK) -> None:
        self._db = db
        self._clock = clock

    def timeline(self, contact_id: int) -> list[Interaction]:
        """A contact's interactions, newest first (empty for an unknown id)."""
        with self._db.read() as conn:
            contact = contacts_repo.get(conn, contact_id)
        if contact is None:
            return []
        return sorted(contact.interactions, key=lambda i: (i.at, i.id), reverse=True)

    def log(
        self,
        contact_ids: Sequence[int],
        kind: InteractionKind,
        summary: str,
        at: datetime | None = None,
    ) -> ChangeSet:
        """Log one interaction on one or several contacts, as one undoable operation.

        Args:
            contact_ids: who it was with (a meeting of three is logged on all three).
            kind: call, email, meeting, message or note.
            summary: what it was about.
            at: when it happened (aware, or naive meaning local time); by default now.

        Raises:
            UserFacingError: no contact, an unknown id, a time in the future, or a summary that
                cannot be stored.
        """
        if not contact_ids:
            raise UserFacingError("Choose at least one contact to log this for.")
        item = Interaction(uuid.uuid4().hex, kind, self._when(at), self._summary(summary))

        def add(current: list[Interaction]) -> list[Interaction]:
            return [*current, copy.copy(item)]

        who = "contact" if len(set(contact_ids)) == 1 else "contacts"
        return self._apply(contact_ids, f"Log {kind.value} ({len(set(contact_ids))} {who})", add)

    def edit(
        self,
        contact_id: int,
        interaction_id: str,
        *,
        kind: InteractionKind | None = None,
        summary: str | None = None,
        at: datetime | None = None,
    ) -> ChangeSet:
        """Change an interaction's kind, summary or time, as one undoable operation.

        Raises:
            UserFacingError: the contact or the interaction does not exist, or a value cannot be
                stored.
        """
        when = self._when(at) if at is not None else None
        text = self._summary(summary) if summary is not None else None

        def change(current: list[Interaction]) -> list[Interaction]:
            found = _find(current, interaction_id)
            edited = Interaction(
                found.id,
                kind if kind is not None else found.kind,
                when if when is not None else found.at,
                text if text is not None else found.summary,
            )
            return [edited if i.id == interaction_id else i for i in current]

        return self._apply([contact_id], "Edit interaction", change)

    def delete(self, contact_id: int, interaction_id: str) -> ChangeSet:
        """Remove an interaction from a contact's timeline, as one undoable operation.

        Raises:
            UserFacingError: the contact or the interaction does not exist.
        """

        def drop(current: list[Interaction]) -> list[Interaction]:
            _find(current, interaction_id)
            return [i for i in current if i.id != interaction_id]

        return self._apply([contact_id], "Delete interaction", drop)

    def set_keep_in_touch(
        self, contact_ids: Sequence[int], every: int, unit: Cadence | None
    ) -> ChangeSet:
        """Ask to keep in touch with these contacts every N days, weeks or months (0: stop),
        as one undoable operation.

        Raises:
            UserFacingError: a negative or absurd cadence, or an unknown contact.
        """
        if every < 0 or every > _CADENCE_MAX:
            raise UserFacingError(f"Keep in touch every 0 to {_CADENCE_MAX} days, weeks or months.")
        if every and unit is None:
            raise UserFacingError("Say whether it is every N days, weeks or months.")

        def change(contact: Contact) -> None:
            contact.keep_in_touch_every = every
            contact.keep_in_touch_unit = unit if every else None

        what = f"every {every} {unit.value}" if every and unit else "never"
        return self._write(contact_ids, f"Keep in touch {what}", change)

    # The one write path

    def _apply(self, ids: Sequence[int], label: str, edit: _Edit) -> ChangeSet:
        def change(contact: Contact) -> None:
            contact.interactions = sorted(edit(contact.interactions), key=lambda i: (i.at, i.id))

        return self._write(ids, label, change)

    def _write(self, ids: Sequence[int], label: str, change: _Change) -> ChangeSet:
        unique = list(dict.fromkeys(ids))
        with self._db.write() as conn:
            found = contacts_repo.get_many(conn, unique)
            missing = set(unique) - {c.id for c in found}
            if missing:
                raise UserFacingError(f"No contact with id {min(missing)}.")
            when = self._clock.now()
            op = journal.begin_operation(conn, "interaction", label, when)
            afters: list[Contact] = []
            for before in found:
                # A shallow copy: each change puts new values in, never edits shared ones
                # (a deep copy of a thousand contacts was half the time of logging for them).
                after = replace(before)
                change(after)
                after.updated_at = when
                journal.record(conn, op, before, after)
                afters.append(after)
            _replace_all(conn, afters)
            segments = self._segments(conn)
        changed = tuple(c.id for c in afters if c.id is not None)
        return ChangeSet(label, changed=changed, operation_id=op, segments=segments)

    @staticmethod
    def _segments(conn: Connection) -> frozenset[str]:
        """Segments whose members may change with a contact's interactions."""
        keys = {"due"}  # keep-in-touch reminders follow the last interaction
        for segment in segments_repo.all_segments(conn):
            if any(r.kind is RuleKind.NOT_CONTACTED_DAYS for r in rules_from_json(segment.rules)):
                keys.add(f"smart:{segment.id}")
        return frozenset(keys)

    def _when(self, at: datetime | None) -> datetime:
        """`at` in UTC to the second (now by default); refused when it is in the future."""
        now = self._clock.now()
        if at is None:
            return now
        # A naive time is the user's local time, as typed.
        when = at.astimezone(UTC).replace(microsecond=0)
        if when > now + _CLOCK_SKEW:
            raise UserFacingError(
                f"{when:%Y-%m-%d %H:%M} UTC is in the future; log an interaction once it has "
                "happened, or add a follow-up for it."
            )
        return when

    @staticmethod
    def _summary(text: str) -> str:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        problem = text_problem(text, "summary", multiline=True)
        if problem:
            raise UserFacingError(problem)
        text = clean_text(text).strip()
        if len(text) > SUMMARY_MAX:
            raise UserFacingError(
                f"The summary is {len(text):,} characters; Kith keeps up to {SUMMARY_MAX:,}. "
                "Shorten it and try again."
            )
        return text


def _replace_all(conn: Connection, contacts: list[Contact]) -> None:
    """Write these contacts over their rows in one batch per import (a meeting logged for a
    thousand selected contacts is one delete and one insert, not a thousand of each)."""
    ids = [c.id for c in contacts if c.id is not None]
    imports: dict[int, int | None] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(
            f"SELECT id, import_op FROM contacts WHERE id IN ({marks})", tuple(chunk)
        )
        # The import that brought a contact in stays its import, as an edit keeps it.
        imports.update((int(i), None if op is None else int(op)) for i, op in rows)
    contacts_repo.remove(conn, ids)
    by_import: dict[int | None, list[Contact]] = {}
    for contact in contacts:
        assert contact.id is not None
        by_import.setdefault(imports.get(contact.id), []).append(contact)
    for import_op, group in by_import.items():
        contacts_repo.insert_many(conn, group, import_op)


def _find(interactions: list[Interaction], interaction_id: str) -> Interaction:
    for item in interactions:
        if item.id == interaction_id:
            return item
    raise UserFacingError(f"This contact has no interaction {interaction_id!r}; it may be deleted.")
