"""Use cases over contacts: add, edit, delete, restore, tag, undo; each returns a ChangeSet."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.core.domain.contact import PHOTO_MAX_BYTES, Contact, Stage
from app.core.domain.normalise import default_region, is_valid_email, to_e164
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
    """

    def __init__(self, db: Database, region: str | None = None) -> None:
        self._db = db
        self._region = region

    @property
    def region(self) -> str:
        """The default phone region."""
        if self._region is None:
            with self._db.read() as conn:
                self._region = settings_repo.get(conn, settings_repo.REGION) or default_region()
        return self._region

    def set_region(self, region: str) -> None:
        """Store the default phone region (ISO 3166 alpha-2, e.g. "DE")."""
        region = region.strip().upper()
        if len(region) != 2 or not region.isalpha():
            raise UserFacingError(f"{region!r} is not a two-letter country code such as DE or US.")
        with self._db.write() as conn:
            settings_repo.put(conn, settings_repo.REGION, region)
        self._region = region

    def normalise(self, contact: Contact) -> Contact:
        """Check emails and the photo, fill E.164 forms; raise on what cannot be stored.

        Raises:
            UserFacingError: an email is not an email address, or the photo is too large.
        """
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
            op = journal.begin_operation(conn, "add", f"Add {contact.display_name}")
            (new_id,) = contacts_repo.next_ids(conn, 1)
            if contact.uid and contacts_repo.find_by_uid(conn, contact.uid) is not None:
                contact.uid = ""
            contacts_repo.prepare_new(contact, new_id, contacts_repo.now())
            contacts_repo.insert_many(conn, [contact])
            journal.record_created(conn, op, [new_id])
        return ChangeSet(f"Add {contact.display_name}", added=(new_id,), operation_id=op)

    def update(self, contact: Contact) -> ChangeSet:
        """Write an edited contact over the stored one, as one undoable operation."""
        if contact.id is None:
            raise ValueError("update needs a stored contact")
        contact_id = contact.id
        contact = self.normalise(copy.deepcopy(contact))
        label = f"Edit {contact.display_name}"
        with self._db.write() as conn:
            before = contacts_repo.get(conn, contact_id)
            if before is None:
                raise UserFacingError(f"Contact {contact.id} no longer exists.")
            op = journal.begin_operation(conn, "edit", label)
            contact.created_at = before.created_at
            contact.updated_at = contacts_repo.now()
            contacts_repo.replace(conn, contact)
            contacts_repo.delete_unused_tags(conn)
            journal.record(conn, op, before, contact)
        return ChangeSet(label, changed=(contact_id,), operation_id=op)

    def _modify(self, ids: Sequence[int], kind: str, label: str, change: _Change) -> ChangeSet:
        with self._db.write() as conn:
            found = contacts_repo.get_many(conn, list(dict.fromkeys(ids)))
            missing = set(ids) - {c.id for c in found}
            if missing:
                raise UserFacingError(f"No contact with id {min(missing)}.")
            op = journal.begin_operation(conn, kind, label)
            when = contacts_repo.now()
            changed: list[int] = []
            for before in found:
                after = copy.deepcopy(before)
                if not change(after):
                    continue
                after.updated_at = when
                contacts_repo.replace(conn, after)
                journal.record(conn, op, before, after)
                assert after.id is not None
                changed.append(after.id)
            contacts_repo.delete_unused_tags(conn)
        return ChangeSet(label, changed=tuple(changed), operation_id=op)

    def delete(self, ids: Sequence[int]) -> ChangeSet:
        """Move contacts to the trash, as one undoable operation."""
        when = contacts_repo.now()

        def trash(c: Contact) -> bool:
            if c.deleted_at is not None:
                return False
            c.deleted_at = when
            return True

        label = f"Delete {len(ids)} contact{'s' if len(ids) != 1 else ''}"
        result = self._modify(ids, "delete", label, trash)
        return ChangeSet(label, removed=result.changed, operation_id=result.operation_id)

    def restore_deleted(self, ids: Sequence[int]) -> ChangeSet:
        """Take contacts out of the trash, as one undoable operation."""

        def untrash(c: Contact) -> bool:
            if c.deleted_at is None:
                return False
            c.deleted_at = None
            return True

        label = f"Restore {len(ids)} contact{'s' if len(ids) != 1 else ''}"
        result = self._modify(ids, "restore", label, untrash)
        return ChangeSet(label, added=result.changed, operation_id=result.operation_id)

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

        return self._modify(ids, "tag", "Change tags", retag)

    def set_stage(self, ids: Sequence[int], stage: Stage | None) -> ChangeSet:
        """Set the relationship stage of many contacts at once."""

        def restage(c: Contact) -> bool:
            if c.stage == stage:
                return False
            c.stage = stage
            return True

        return self._modify(ids, "stage", "Set stage", restage)

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
