"""Merging duplicates: one contact, or many groups at once, as one undoable operation.

The journal records the survivor's before and after and each absorbed contact's before and its
removal, so `undo` (from the window, `kith undo`, or after a restart) puts every contact back
exactly, ids included, and `redo` merges again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.domain.contact import Contact
from app.core.domain.merge import MergePlan
from app.core.errors import UserFacingError
from app.core.services.contacts import ChangeSet
from app.core.storage import contacts_repo, journal, reminders_repo
from app.core.storage.database import Database
from app.core.tasks import TaskControl

if TYPE_CHECKING:
    from sqlalchemy import Connection

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
            jobs = list(zip(groups, survivors, choices, strict=True))
            # Many contacts leave and come back to the search index: it merges its segments
            # once at the end, not after every chunk (as undo does for a large operation).
            with journal.bulk_index_changes(conn, len(seen)):
                for start in range(0, len(jobs), STEP):
                    control.step(start, len(jobs))
                    plans = _plans(conn, jobs[start : start + STEP])
                    _apply(conn, op, plans, when)
                    for plan in plans:
                        changed.append(plan.survivor_id)
                        removed += plan.absorbed_ids
            contacts_repo.delete_unused_tags(conn)  # once: it reads every tag link
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
    return _plans(conn, [(ids, survivor_id, choices or {})])[0]


_Job = tuple[Sequence[int], int | None, Mapping[str, int]]


def _plans(conn: Connection, jobs: Sequence[_Job]) -> list[MergePlan]:
    """The plan of each (ids, survivor, choices), reading all their contacts at once.

    Raises:
        UserFacingError: a group has fewer than two contacts, one that does not exist or one
            in the trash, or a survivor or choice outside the group.
    """
    wanted = [list(dict.fromkeys(ids)) for ids, _, _ in jobs]
    found = {c.id: c for c in contacts_repo.get_many(conn, [i for u in wanted for i in u])}
    plans = []
    for unique, (_, survivor_id, choices) in zip(wanted, jobs, strict=True):
        if len(unique) < 2:
            raise UserFacingError("A merge needs two or more different contacts.")
        missing = [i for i in unique if i not in found]
        if missing:
            raise UserFacingError(f"No contact with id {min(missing)}; `kith list` shows the ids.")
        trashed = [i for i in unique if found[i].deleted_at is not None]
        if trashed:
            raise UserFacingError(
                f"Contact {trashed[0]} is in the trash; restore it before merging it."
            )
        if survivor_id is not None and survivor_id not in unique:
            raise UserFacingError(f"Contact {survivor_id} is not one of the contacts to merge.")
        plan = MergePlan.default([found[i] for i in unique], survivor_id)
        for name, contact_id in choices.items():
            try:
                plan = plan.choose(name, contact_id)
            except ValueError as exc:
                raise UserFacingError(f"Cannot merge that way: {exc}.") from None
        plans.append(plan)
    return plans


def _apply(conn: Connection, op: int, plans: Sequence[MergePlan], when: datetime) -> None:
    """Write merges into operation `op`: each survivor rewritten, the others removed.

    A chunk of merges at a time, a few statements each: a bulk merge of thousands of groups
    spent most of its time on per-contact statements.
    """
    every = [i for p in plans for i in p.ids]
    marks = ",".join("?" * len(every))
    # A survivor stays in the import that brought it in, so that import's segment keeps it;
    # the journal keeps the others' imports, so that undo puts them back in their segments.
    import_ops: dict[int, int | None] = dict(
        conn.exec_driver_sql(
            f"SELECT id, import_op FROM contacts WHERE id IN ({marks})", tuple(every)
        ).all()
    )
    by_import: dict[int | None, list[Contact]] = {}
    for plan in plans:
        merged = plan.result()
        merged.updated_at = when
        for absorbed_id in plan.absorbed_ids:
            absorbed = plan.contact(absorbed_id)
            journal.record(conn, op, absorbed, None, import_op=import_ops.get(absorbed_id))
        journal.record(conn, op, plan.contact(plan.survivor_id), merged)
        by_import.setdefault(import_ops.get(plan.survivor_id), []).append(merged)
        # Follow-ups live beside the contacts, not in them: they go to the survivor, and stay
        # there if the merge is undone (a follow-up is never lost with a contact merged away).
        reminders_repo.move_follow_ups(conn, list(plan.absorbed_ids), plan.survivor_id)
    # All removed before any survivor is written again: a UID moves with its contact only.
    contacts_repo.remove(conn, every)
    for import_op, merged_contacts in by_import.items():
        contacts_repo.insert_many(conn, merged_contacts, import_op)


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
