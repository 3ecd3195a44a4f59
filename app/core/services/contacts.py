"""Use cases over contacts: add, edit, delete, restore, tag, undo; each returns a ChangeSet.

Tag, stage, delete and restore are set-based: a few SQL statements over the chosen ids, a
chunk at a time, journaled compactly (`storage.bulk_journal`), so that 100,000 contacts take
seconds and report progress to a `TaskControl`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.domain.contact import PHOTO_MAX_BYTES, Contact, Stage
from app.core.domain.normalise import (
    contact_text_problems,
    default_region,
    is_valid_email,
    parse_region,
    phone_problem,
    to_e164,
    unify_line_breaks,
)
from app.core.errors import UserFacingError
from app.core.services.queries import ContactReader
from app.core.services.segment_catalogue import touched_keys
from app.core.services.segments import SmartSegment, rules_from_json
from app.core.storage import (
    bulk_changes,
    bulk_journal,
    contacts_repo,
    journal,
    segments_repo,
    settings_repo,
)
from app.core.storage.bulk_journal import Touched
from app.core.storage.database import Database
from app.core.tasks import TaskControl

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What one call changed, so that each pane can decide whether it cares."""

    label: str
    added: tuple[int, ...] = ()
    changed: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    operation_id: int | None = None
    segments: frozenset[str] | None = None
    """Keys of the segments whose members or counts may have changed ("tag:Clients",
    "stage:lead", "trash", "smart:3", ...); None means not known, so every segment is recounted.
    """

    @property
    def ids(self) -> tuple[int, ...]:
        """Every contact id touched."""
        return self.added + self.changed + self.removed


_WouldChange = Callable[["Connection"], bool]
_Apply = Callable[["Connection", int, str, list[int], TaskControl], None]


class ContactService(ContactReader):
    """The contact use cases the window and the command line share (reading is ContactReader's).

    Args:
        db: the open database.
        region: the phone region for numbers typed without a country code; by default the
            stored setting, else the locale's.
        clock: what time changes are recorded at (tests pass a `FixedClock`).

    Raises:
        UserFacingError: `region` is not a region phone numbering knows.
    """

    def __init__(
        self, db: Database, region: str | None = None, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        super().__init__(db)
        self._clock = clock
        self._region = parse_region(region)[0] if region else None

    @property
    def region(self) -> str:
        """The default phone region."""
        if self._region is None:
            with self._db.read() as conn:
                stored = settings_repo.get(conn, settings_repo.REGION)
            try:
                # A region stored by an older Kith was not checked ("UK", "XX").
                self._region = parse_region(stored)[0] if stored else default_region()
            except UserFacingError:
                self._region = default_region()
        return self._region

    def set_region(self, region: str) -> tuple[str, str]:
        """Store the default phone region (ISO 3166 alpha-2, e.g. "DE"; any case; UK is GB).

        Returns:
            The code stored, and a note when it differs from what was typed ("" otherwise).

        Raises:
            UserFacingError: no phone numbering has this region.
        """
        code, note = parse_region(region)
        with self._db.write() as conn:
            settings_repo.put(conn, settings_repo.REGION, code)
        self._region = code
        return code, note

    def phone_warnings(self, contact: Contact) -> list[str]:
        """A sentence naming each of the contact's numbers that Kith cannot read as valid."""
        found = []
        for phone in contact.phones:
            problem = phone_problem(phone.value, self.region)
            if problem:
                found.append(f"{phone.value!r} ({self.region}): {problem}")
        return found

    def normalise(self, contact: Contact, stored: Contact | None = None) -> Contact:
        """Check emails and the photo, fill E.164 forms; raise on what cannot be stored.

        A control character already in `stored` (the contact as it is stored, brought in by
        an older import) does not block an edit of another field; a new one is refused.

        Raises:
            UserFacingError: an email is not an email address, a text holds a control
                character, or the photo is too large.
        """
        unify_line_breaks(contact)
        known = set(contact_text_problems(stored)) if stored is not None else set()
        problem = next((p for p in contact_text_problems(contact) if p not in known), "")
        if problem:
            raise UserFacingError(problem)
        for email in contact.emails:
            if not is_valid_email(email.value):
                raise UserFacingError(f"{email.value!r} is not an email address.")
            email.value = email.value.strip()
        for phone in contact.phones:
            phone.e164 = to_e164(phone.value, self.region)
        if contact.photo is not None and len(contact.photo) > PHOTO_MAX_BYTES:
            raise UserFacingError(
                f"The photo is {len(contact.photo) // 1024} KB; Kith keeps photos up to "
                f"{PHOTO_MAX_BYTES // 1024} KB. Choose a smaller picture."
            )
        contact.tags = list(dict.fromkeys(t.strip() for t in contact.tags if t.strip()))
        if not contact.display_name:
            raise UserFacingError("A contact needs a name, an organisation, an email or a phone.")
        return contact

    # Changing

    def add(self, contact: Contact) -> ChangeSet:
        """Store a new contact as one undoable operation."""
        contact = self.normalise(copy.deepcopy(contact))
        with self._db.write() as conn:
            when = self._clock.now()
            op = journal.begin_operation(conn, "add", f"Add {contact.display_name}", when)
            (new_id,) = contacts_repo.next_ids(conn, 1)
            if contact.uid and contacts_repo.find_by_uid(conn, contact.uid) is not None:
                contact.uid = ""
            contacts_repo.prepare_new(contact, new_id, when)
            contacts_repo.insert_many(conn, [contact])
            journal.record_created(conn, op, [new_id])
            touched = Touched()
            touched.note(None, contact)
            keys = _keys(conn, touched)
        label = f"Add {contact.display_name}"
        return ChangeSet(label, added=(new_id,), operation_id=op, segments=keys)

    def update(self, contact: Contact) -> ChangeSet:
        """Write an edited contact over the stored one, as one undoable operation."""
        if contact.id is None:
            raise ValueError("update needs a stored contact")
        contact_id = contact.id
        _ = self.region  # read before the write transaction, so it never waits inside one
        with self._db.write() as conn:
            before = contacts_repo.get(conn, contact_id)
            if before is None:
                raise UserFacingError(f"Contact {contact.id} no longer exists.")
            # The stored contact is read once: it is both what the check compares with and
            # what the journal keeps.
            contact = self.normalise(copy.deepcopy(contact), before)
            label = f"Edit {contact.display_name}"
            when = self._clock.now()
            op = journal.begin_operation(conn, "edit", label, when)
            contact.created_at = before.created_at
            # The timeline has its own use cases: a card opened before an interaction was
            # logged must not write its older list back over the new one.
            contact.interactions = before.interactions
            contact.updated_at = when
            contacts_repo.replace(conn, contact)
            contacts_repo.delete_unused_tags(conn)
            journal.record(conn, op, before, contact)
            touched = Touched()
            touched.note(before, contact)
            keys = _keys(conn, touched)
        return ChangeSet(label, changed=(contact_id,), operation_id=op, segments=keys)

    def _bulk(
        self,
        ids: Sequence[int],
        *,
        kind: str,
        label: Callable[[int], str],
        would_change: _WouldChange,
        apply: _Apply,
        control: TaskControl | None,
        exact: bool = True,
    ) -> tuple[ChangeSet, list[int]]:
        """Run a set-based change as one operation, or none when it would change nothing.

        `label` makes the operation's label from the number of contacts changed. An operation
        that changes nothing is not recorded: it would take the undo step and drop the redo.
        `would_change` answers that beforehand; where it can only say "maybe" (`exact` False),
        the change runs under a savepoint that is rolled back if it changed nothing.
        Returns the ChangeSet (its ids in `changed`) and the ids changed.

        Raises:
            UserFacingError: an id is not a stored contact.
            Cancelled: `control` was cancelled; nothing was written.
        """
        control = control or TaskControl()
        with self._db.write() as conn:
            unique, missing = bulk_changes.load_ids(conn, ids)
            if missing:
                raise UserFacingError(f"No contact with id {min(missing)}.")
            if not would_change(conn):
                bulk_changes.clear_ids(conn)
                return ChangeSet(label(0), segments=frozenset()), []
            when = self._clock.now()
            # A check that can only say "maybe" (a tag both removed and added) is confirmed by
            # running the change under a savepoint, rolled back if it changed nothing.
            maybe = None if exact else conn.begin_nested()
            op = journal.begin_operation(conn, kind, label(len(unique)), when)
            apply(conn, op, when.isoformat(), unique, control)
            changed = bulk_journal.changed_ids(conn, op)
            if maybe is not None:
                if not changed:
                    maybe.rollback()
                    bulk_changes.clear_ids(conn)
                    return ChangeSet(label(0), segments=frozenset()), []
                maybe.commit()
            text = label(len(changed))
            journal.set_label(conn, op, text)
            keys = _keys(conn, bulk_journal.touched(conn, op))
            bulk_changes.clear_ids(conn)
        return ChangeSet(text, changed=tuple(changed), operation_id=op, segments=keys), changed

    def _set_column(
        self,
        ids: Sequence[int],
        kind: str,
        value: str | None,
        label: Callable[[int], str],
        control: TaskControl | None,
    ) -> tuple[ChangeSet, list[int]]:
        def would_change(conn: Connection) -> bool:
            return bulk_changes.column_would_change(conn, kind, value)

        def apply(conn: Connection, op: int, at: str, unique: list[int], ctl: TaskControl) -> None:
            written = at if kind == "delete" else value
            bulk_changes.set_column(
                conn, op, kind=kind, value=written, at=at, ids=unique, control=ctl
            )

        return self._bulk(
            ids, kind=kind, label=label, would_change=would_change, apply=apply, control=control
        )

    def delete(self, ids: Sequence[int], *, control: TaskControl | None = None) -> ChangeSet:
        """Move contacts to the trash, as one undoable operation (none if all are there).

        Raises:
            UserFacingError: an id is not a stored contact.
            Cancelled: `control` was cancelled; nothing was written.
        """
        result, changed = self._set_column(ids, "delete", None, _counted("Delete"), control)
        return _as(result, removed=changed)

    def restore_deleted(
        self, ids: Sequence[int], *, control: TaskControl | None = None
    ) -> ChangeSet:
        """Take contacts out of the trash, as one undoable operation (none if none are there).

        Raises:
            UserFacingError: an id is not a stored contact.
            Cancelled: `control` was cancelled; nothing was written.
        """
        result, changed = self._set_column(ids, "restore", None, _counted("Restore"), control)
        return _as(result, added=changed)

    def tag(
        self,
        ids: Sequence[int],
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
        *,
        control: TaskControl | None = None,
    ) -> ChangeSet:
        """Add and remove tags on many contacts at once, as one undoable operation.

        Tags compare case-insensitively (`casefold`): a contact keeps its "VIP" when "vip" is
        added, and removing "é" removes "É". Removed tags go first; added ones go at the end.

        Raises:
            UserFacingError: an id is not a stored contact, or a tag holds a control character.
            Cancelled: `control` was cancelled; nothing was written.
        """
        add = [t.strip() for t in add if t.strip()]
        remove = [t.strip() for t in remove if t.strip()]
        problems = contact_text_problems(Contact(tags=[*add, *remove]))
        if problems:
            raise UserFacingError(problems[0])
        plan: bulk_changes.TagPlan | None = None

        def would_change(conn: Connection) -> bool:
            nonlocal plan
            plan = bulk_changes.plan_tags(conn, add, remove)
            return bulk_changes.tags_would_change(conn, plan)

        def apply(conn: Connection, op: int, at: str, unique: list[int], ctl: TaskControl) -> None:
            assert plan is not None
            bulk_changes.change_tags(conn, op, plan, at=at, ids=unique, control=ctl)

        change, _ = self._bulk(
            ids,
            kind="tag",
            label=lambda _: "Change tags",
            would_change=would_change,
            apply=apply,
            control=control,
            exact=not any(t.casefold() in {r.casefold() for r in remove} for t in add),
        )
        return change

    def set_stage(
        self, ids: Sequence[int], stage: Stage | None, *, control: TaskControl | None = None
    ) -> ChangeSet:
        """Set the relationship stage of many contacts at once, as one undoable operation.

        Raises:
            UserFacingError: an id is not a stored contact.
            Cancelled: `control` was cancelled; nothing was written.
        """
        value = stage.value if stage is not None else None
        return self._set_column(ids, "stage", value, lambda _: "Set stage", control)[0]

    def undo(self, *, control: TaskControl | None = None) -> ChangeSet | None:
        """Reverse the last operation (edit, delete, import, merge); None if there is none.

        Raises:
            Cancelled: `control` was cancelled (a bulk operation's undo); nothing was written.
        """
        with self._db.write() as conn:
            reversal = journal.undo(conn, control)
            return _reversed("Undo", reversal, _keys(conn, reversal.touched) if reversal else None)

    def redo(self, *, control: TaskControl | None = None) -> ChangeSet | None:
        """Apply again the last undone operation; None if there is none.

        Raises:
            Cancelled: `control` was cancelled (a bulk operation's redo); nothing was written.
        """
        with self._db.write() as conn:
            reversal = journal.redo(conn, control)
            return _reversed("Redo", reversal, _keys(conn, reversal.touched) if reversal else None)

    def undo_label(self) -> str | None:
        """The label of the operation undo would reverse."""
        with self._db.read() as conn:
            op = journal.last_done(conn)
        return op.label if op else None

    def redo_label(self) -> str | None:
        """The label of the operation redo would apply."""
        with self._db.read() as conn:
            op = journal.first_undone(conn)
        return op.label if op else None


def _counted(verb: str) -> Callable[[int], str]:
    """A label maker: "Delete 1 contact", "Delete 3 contacts"."""
    return lambda n: f"{verb} {n} contact{'s' if n != 1 else ''}"


def _as(result: ChangeSet, **ids: list[int]) -> ChangeSet:
    """`result` with its ids named as added or removed instead of changed."""
    kind, values = next(iter(ids.items()))
    return ChangeSet(
        result.label,
        operation_id=result.operation_id,
        segments=result.segments,
        **{kind: tuple(values)},
    )


def _keys(conn: Connection, touched: Touched) -> frozenset[str]:
    """The segment keys a change that touched `touched` may have moved."""
    smart = [
        SmartSegment(s.name, rules_from_json(s.rules), s.id)
        for s in segments_repo.all_segments(conn)
    ]
    return touched_keys(touched, smart)


def _reversed(
    verb: str, reversal: journal.Reversal | None, keys: frozenset[str] | None
) -> ChangeSet | None:
    """What an undo or redo changed, labelled for the user ("Undo Import cards.vcf")."""
    if reversal is None:
        return None
    return ChangeSet(
        f"{verb} {reversal.operation.label}",
        tuple(reversal.added),
        tuple(reversal.changed),
        tuple(reversal.removed),
        segments=keys,
    )
