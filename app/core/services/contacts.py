"""Use cases over contacts: add, edit, delete, restore, tag, undo; each returns a ChangeSet."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
from app.core.storage import contacts_repo, journal, search, settings_repo
from app.core.storage.database import Database
from app.core.storage.search import ListQuery, ListRow


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


_Change = Callable[[Contact], bool]
"""Changes a copy of a contact in place; returns whether it changed anything."""


class ContactService:
    """The contact use cases the window and the command line share.

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
        self._db = db
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

    # Reading

    def get(self, contact_id: int) -> Contact | None:
        """One contact (also from the trash), or None."""
        with self._db.read() as conn:
            return contacts_repo.get(conn, contact_id)

    def get_many(self, ids: Sequence[int]) -> list[Contact]:
        """These contacts, in this order."""
        with self._db.read() as conn:
            return contacts_repo.get_many(conn, ids)

    def ids(self, query: ListQuery, limit: int | None = None) -> list[int]:
        """Ids `query` selects, in its order."""
        with self._db.read() as conn:
            return search.ids(conn, query, limit)

    def rows(self, ids: Sequence[int]) -> list[ListRow]:
        """List lines for these ids."""
        with self._db.read() as conn:
            return search.rows(conn, ids)

    def count(self, query: ListQuery) -> int:
        """How many contacts `query` selects."""
        with self._db.read() as conn:
            return search.count(conn, query)

    def tag_counts(self) -> list[tuple[str, int]]:
        """Tags with their numbers of live contacts."""
        with self._db.read() as conn:
            return search.tag_counts(conn)

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
        return ChangeSet(f"Add {contact.display_name}", added=(new_id,), operation_id=op)

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
        return ChangeSet(label, changed=(contact_id,), operation_id=op)

    def _modify(
        self, ids: Sequence[int], kind: str, label: Callable[[int], str], change: _Change
    ) -> ChangeSet:
        """Apply `change` to each contact; one operation, or none when nothing changes.

        `label` makes the operation's label from the number of contacts changed. An operation
        that changes nothing is not recorded: it would take the undo step and drop the redo.
        """
        unique = list(dict.fromkeys(ids))
        with self._db.write() as conn:
            found = contacts_repo.get_many(conn, unique)
            missing = set(unique) - {c.id for c in found}
            if missing:
                raise UserFacingError(f"No contact with id {min(missing)}.")
            when = self._clock.now()
            pairs: list[tuple[Contact, Contact]] = []
            for before in found:
                after = copy.deepcopy(before)
                if change(after):
                    after.updated_at = when
                    pairs.append((before, after))
            if not pairs:
                return ChangeSet(label(0))
            text = label(len(pairs))
            op = journal.begin_operation(conn, kind, text, when)
            for before, after in pairs:
                contacts_repo.replace(conn, after)
                journal.record(conn, op, before, after)
            contacts_repo.delete_unused_tags(conn)
        changed = tuple(after.id for _, after in pairs if after.id is not None)
        return ChangeSet(text, changed=changed, operation_id=op)

    def delete(self, ids: Sequence[int]) -> ChangeSet:
        """Move contacts to the trash, as one undoable operation (none if all are there)."""
        when = self._clock.now()

        def trash(c: Contact) -> bool:
            if c.deleted_at is not None:
                return False
            c.deleted_at = when
            return True

        result = self._modify(ids, "delete", _counted("Delete"), trash)
        return ChangeSet(result.label, removed=result.changed, operation_id=result.operation_id)

    def restore_deleted(self, ids: Sequence[int]) -> ChangeSet:
        """Take contacts out of the trash, as one undoable operation (none if none are there)."""

        def untrash(c: Contact) -> bool:
            if c.deleted_at is None:
                return False
            c.deleted_at = None
            return True

        result = self._modify(ids, "restore", _counted("Restore"), untrash)
        return ChangeSet(result.label, added=result.changed, operation_id=result.operation_id)

    def tag(
        self, ids: Sequence[int], add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> ChangeSet:
        """Add and remove tags on many contacts at once."""
        drop = {t.casefold() for t in remove}

        def retag(c: Contact) -> bool:
            tags = [t for t in c.tags if t.casefold() not in drop]
            tags += [t for t in add if t.casefold() not in {x.casefold() for x in tags}]
            if tags == c.tags:
                return False
            c.tags = tags
            return True

        return self._modify(ids, "tag", lambda _: "Change tags", retag)

    def set_stage(self, ids: Sequence[int], stage: Stage | None) -> ChangeSet:
        """Set the relationship stage of many contacts at once."""

        def restage(c: Contact) -> bool:
            if c.stage == stage:
                return False
            c.stage = stage
            return True

        return self._modify(ids, "stage", lambda _: "Set stage", restage)

    def undo(self) -> ChangeSet | None:
        """Reverse the last operation (edit, delete, import, merge); None if there is none."""
        with self._db.write() as conn:
            return _reversed("Undo", journal.undo(conn))

    def redo(self) -> ChangeSet | None:
        """Apply again the last undone operation; None if there is none."""
        with self._db.write() as conn:
            return _reversed("Redo", journal.redo(conn))

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


def _reversed(verb: str, reversal: journal.Reversal | None) -> ChangeSet | None:
    """What an undo or redo changed, labelled for the user ("Undo Import cards.vcf")."""
    if reversal is None:
        return None
    return ChangeSet(
        f"{verb} {reversal.operation.label}",
        tuple(reversal.added),
        tuple(reversal.changed),
        tuple(reversal.removed),
    )
