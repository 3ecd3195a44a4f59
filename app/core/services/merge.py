"""Merging duplicates: one contact, or many groups at once, as one undoable operation.

The journal records the survivor's before and after and each absorbed contact's before and its
removal, so `undo` (from the window, `kith undo`, or after a restart) puts every contact back
exactly, ids included, and `redo` merges again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import Connection

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.domain.contact import Contact
from app.core.domain.merge import MergePlan
from app.core.errors import UserFacingError
from app.core.services.contacts import ChangeSet
from app.core.storage import contacts_repo, journal
from app.core.storage.database import Database
from app.core.tasks import TaskControl

STEP = 200
"""Groups merged between two progress reports (and chances to cancel)."""


class MergeService:
    """Preview and perform merges.

    Args:
        db: the open database.
        clock: what time merges are recorded at (tests pass a `FixedClock`).
    """

    def __init__(self, db: Database, clock: Clock = SYSTEM_CLOCK) -> None:
        self._db = db
        self._clock = clock

    def plan(
        self,
        ids: Sequence[int],
        survivor_id: int | None = None,
        choices: Mapping[str, int] | None = None,
    ) -> MergePlan:
        """The plan for merging these contacts, with default choices unless given.

        Raises:
            UserFacingError: an id names no contact, a contact is in the trash, or fewer than
                two different contacts are given.
        """
        with self._db.read() as conn:
            return _plan(conn, ids, survivor_id, choices)

    def preview(
        self,
        ids: Sequence[int],
        survivor_id: int | None = None,
        choices: Mapping[str, int] | None = None,
    ) -> Contact:
        """The merged contact as it would be saved, without saving it."""
        return self.plan(ids, survivor_id, choices).result()

    def merge(
        self,
        ids: Sequence[int],
        survivor_id: int | None = None,
        choices: Mapping[str, int] | None = None,
        control: TaskControl | None = None,
    ) -> ChangeSet:
        """Merge these contacts into one, as one undoable operation.

        Args:
            ids: the contacts to merge (two or more).
            survivor_id: the contact that stays (by default the lowest id).
            choices: single-valued field -> id of the contact whose value wins; fields not
                named keep the default (the survivor's value, else the first filled one).
            control: progress and cancel; a cancelled merge writes nothing.

        Raises:
            UserFacingError: see `plan`.
            Cancelled: `control` was cancelled; nothing was written.
        """
        return self.merge_groups([ids], [survivor_id], [choices or {}], control)

    def merge_groups(
        self,
        groups: Sequence[Sequence[int]],
        survivors: Sequence[int | None] | None = None,
        choices: Sequence[Mapping[str, int]] | None = None,
        control: TaskControl | None = None,
    ) -> ChangeSet:
        """Merge each group into one contact, all in one undoable operation.

        Groups must not share a contact. `survivors` and `choices`, when given, hold one entry
        per group. A cancel rolls the whole operation back.

        Raises:
            UserFacingError: a group is not mergeable (see `plan`), or two groups share a
                contact.
            Cancelled: `control` was cancelled; nothing was written.
        """
        control = control or TaskControl()
        seen: set[int] = set()
        for group in groups:
            shared = seen & set(group)
            if shared:
                raise UserFacingError(
                    f"Contact {min(shared)} is in two of the groups to merge; merge one first."
                )
            seen |= set(group)
        if not groups:
            return ChangeSet("Nothing to merge")
        survivors = survivors or [None] * len(groups)
        choices = choices or [{}] * len(groups)
        changed: list[int] = []
        removed: list[int] = []
        with self._db.write() as conn:
            when = self._clock.now()
            label = _label(conn, groups, survivors)
            op = journal.begin_operation(conn, "merge", label, when)
            for n, (group, survivor, chosen) in enumerate(
                zip(groups, survivors, choices, strict=True)
            ):
                if n % STEP == 0:
                    control.step(n, len(groups))
                plan = _plan(conn, group, survivor, chosen)
                _apply(conn, op, plan, when)
                changed.append(plan.survivor_id)
                removed += plan.absorbed_ids
            control.step(len(groups), len(groups))
        # Which segments a merge touches depends on every field of every contact (tags,
        # stages, smart rules, imports): recount them all.
        return ChangeSet(
            label, changed=tuple(changed), removed=tuple(removed), operation_id=op, segments=None
        )


def _plan(
    conn: Connection,
    ids: Sequence[int],
    survivor_id: int | None,
    choices: Mapping[str, int] | None,
) -> MergePlan:
    unique = list(dict.fromkeys(ids))
    if len(unique) < 2:
        raise UserFacingError("A merge needs two or more different contacts.")
    found = contacts_repo.get_many(conn, unique)
    missing = set(unique) - {c.id for c in found}
    if missing:
        raise UserFacingError(f"No contact with id {min(missing)}; `kith list` shows the ids.")
    trashed = [c.id for c in found if c.deleted_at is not None]
    if trashed:
        raise UserFacingError(
            f"Contact {trashed[0]} is in the trash; restore it before merging it."
        )
    if survivor_id is not None and survivor_id not in unique:
        raise UserFacingError(f"Contact {survivor_id} is not one of the contacts to merge.")
    plan = MergePlan.default(found, survivor_id)
    for name, contact_id in (choices or {}).items():
        try:
            plan = plan.choose(name, contact_id)
        except ValueError as exc:
            raise UserFacingError(f"Cannot merge that way: {exc}.") from None
    return plan


def _apply(conn: Connection, op: int, plan: MergePlan, when: datetime) -> None:
    """Write one merge into operation `op`: the survivor rewritten, the others removed."""
    merged = plan.result()
    merged.updated_at = when
    survivor = plan.contact(plan.survivor_id)
    for absorbed_id in plan.absorbed_ids:
        journal.record(conn, op, plan.contact(absorbed_id), None)
    # Removed before the survivor is rewritten: its UID may be one an absorbed contact held.
    contacts_repo.remove(conn, list(plan.absorbed_ids))
    contacts_repo.replace(conn, merged)
    journal.record(conn, op, survivor, merged)
    contacts_repo.delete_unused_tags(conn)


def _label(
    conn: Connection, groups: Sequence[Sequence[int]], survivors: Sequence[int | None]
) -> str:
    """ "Merge 3 contacts into Ann Lee", or "Merge 12 groups of duplicates"."""
    if len(groups) > 1:
        return f"Merge {len(groups)} groups of duplicates"
    unique = list(dict.fromkeys(groups[0]))
    target = survivors[0] if survivors[0] is not None else min(unique, default=0)
    name = contacts_repo.get(conn, target)
    into = f" into {name.display_name}" if name is not None and name.display_name else ""
    return f"Merge {len(unique)} contacts{into}"
