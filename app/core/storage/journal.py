"""The journal: every change grouped into operations, so that undo and redo work across restarts.

Each journal entry holds a contact's state before and after its operation as a JSON snapshot
(NULL: the contact did not exist). A new contact's `after` is filled only when it is undone,
which keeps a 100,000-contact import from writing every contact twice. Set-based operations on
many contacts (tag, stage, delete, restore) keep a compact journal of their own instead
(`bulk_journal`); undo and redo here hand those to it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from app.core.domain.contact import Contact
from app.core.domain.serialise import contact_from_dict, contact_to_dict
from app.core.storage import bulk_journal, contacts_repo
from app.core.storage.bulk_journal import Touched
from app.core.tasks import TaskControl

if TYPE_CHECKING:
    from sqlalchemy import Connection

CHUNK = 2000
"""Journal rows handled at a time by undo and redo."""
_IMPORT_OP = "import_op"
"""The key a removed contact's snapshot keeps its import under (not a field of Contact)."""
_FTS_AUTOMERGE = 4
"""FTS5's default `automerge`, put back after a bulk delete."""


@dataclass(frozen=True, slots=True)
class Operation:
    """A stored operation, as undo and redo name it to the user."""

    id: int
    kind: str
    label: str
    created_at: str


@dataclass(slots=True)
class Reversal:
    """What an undo or redo changed: the operation and the contact ids it touched."""

    operation: Operation
    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    touched: Touched = field(default_factory=Touched)


def _dump(contact: Contact | None, import_op: int | None = None) -> str | None:
    if contact is None:
        return None
    data = contact_to_dict(contact)
    if import_op is not None:
        data[_IMPORT_OP] = import_op
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _load(text: str | None) -> Contact | None:
    return contact_from_dict(json.loads(text)) if text else None


def begin_operation(conn: Connection, kind: str, label: str, at: datetime) -> int:
    """Start an operation made at `at` (UTC, from the caller's clock).

    Operations that were undone can no longer be redone.
    """
    conn.exec_driver_sql("DELETE FROM operations WHERE undone = 1")
    conn.exec_driver_sql(
        "INSERT INTO operations (kind, label, created_at, undone) VALUES (?, ?, ?, 0)",
        (kind, label, at.isoformat()),
    )
    row = conn.exec_driver_sql("SELECT last_insert_rowid()").one()
    return int(row[0])


def set_label(conn: Connection, op_id: int, label: str) -> None:
    """Rename operation `op_id` (its label is known only once it has run)."""
    conn.exec_driver_sql("UPDATE operations SET label = ? WHERE id = ?", (label, op_id))


def record(
    conn: Connection,
    op_id: int,
    before: Contact | None,
    after: Contact | None,
    *,
    import_op: int | None = None,
) -> None:
    """Record one contact's change within operation `op_id`.

    `import_op` is the import that brought in a contact the operation removes (a merge), so
    that undo puts it back into that import's segment.
    """
    subject = after or before
    assert subject is not None and subject.id is not None
    conn.exec_driver_sql(
        "INSERT INTO journal (op_id, contact_id, before, after) VALUES (?, ?, ?, ?)",
        (op_id, subject.id, _dump(before, import_op), _dump(after)),
    )


def record_created(conn: Connection, op_id: int, ids: Iterable[int]) -> None:
    """Record that these contacts were created by operation `op_id`."""
    rows = [(op_id, i) for i in ids]
    if not rows:
        return
    conn.exec_driver_sql(
        "INSERT INTO journal (op_id, contact_id, before, after) VALUES (?, ?, NULL, NULL)",
        rows,
    )


def _operation(conn: Connection, *, undone: bool) -> Operation | None:
    order = "ASC" if undone else "DESC"
    row = conn.exec_driver_sql(
        "SELECT id, kind, label, created_at FROM operations WHERE undone = ? "
        f"ORDER BY id {order} LIMIT 1",
        (int(undone),),
    ).first()
    return Operation(*row) if row else None


def last_done(conn: Connection) -> Operation | None:
    """The operation `undo` would reverse."""
    return _operation(conn, undone=False)


def first_undone(conn: Connection) -> Operation | None:
    """The operation `redo` would apply again."""
    return _operation(conn, undone=True)


def _entries(
    conn: Connection, op_id: int, *, created: bool, descending: bool = False
) -> Iterator[list[tuple[int, int, str | None, str | None]]]:
    """An operation's journal rows as they stand now, a chunk at a time.

    Keyset paging over the ids there are when it starts (rows the caller adds meanwhile are not
    visited): each chunk is read whole before the caller writes, so no cursor stays open on a
    table the caller changes, and memory holds one chunk, not the operation.
    """
    condition = "before IS NULL" if created else "before IS NOT NULL"
    low, high = conn.exec_driver_sql(
        "SELECT min(id), max(id) FROM journal WHERE op_id = ?", (op_id,)
    ).one()
    if low is None:
        return
    order, bound = ("DESC", "id >= ? AND id < ?") if descending else ("ASC", "id > ? AND id <= ?")
    window = [int(low), int(high) + 1] if descending else [int(low) - 1, int(high)]
    while True:
        rows = conn.exec_driver_sql(
            f"SELECT id, contact_id, before, after FROM journal WHERE op_id = ? AND {condition} "
            f"AND {bound} ORDER BY id {order} LIMIT ?",
            (op_id, *window, CHUNK),
        ).all()
        if not rows:
            return
        yield [(int(r[0]), int(r[1]), r[2], r[3]) for r in rows]
        window[1 if descending else 0] = int(rows[-1][0])


def _rewrite_created(
    conn: Connection, op_id: int, entry_ids: list[int], rows: list[tuple[int, str | None]]
) -> None:
    """Write created contacts' journal rows again, with (or without) their snapshots.

    New rows, not updated ones: a row that grows from nothing to a snapshot, or shrinks back,
    in place leaves its pages half empty, and the file grew by the snapshots' size at each undo
    and redo. Rows written anew fill pages, and the rows deleted free theirs for the next chunk.
    """
    marks = ",".join("?" * len(entry_ids))
    conn.exec_driver_sql(f"DELETE FROM journal WHERE id IN ({marks})", tuple(entry_ids))
    conn.exec_driver_sql(
        "INSERT INTO journal (op_id, contact_id, before, after) VALUES (?, ?, NULL, ?)",
        [(op_id, cid, after) for cid, after in rows],
    )


@contextlib.contextmanager
def bulk_index_changes(conn: Connection, removing: int) -> Iterator[None]:
    """Spare the search index from merging its segments after every one of many deletes.

    With automerge on, each delete from the contentless index cost about 250 us (a
    million-contact undo spent minutes there); with it off, a twentieth of that. The index
    is merged once at the end instead: fully (`optimize`) when little of it is left,
    a bounded amount of work otherwise.
    """
    if removing <= CHUNK:
        yield
        return
    conn.exec_driver_sql("INSERT INTO contact_fts (contact_fts, rank) VALUES ('automerge', 0)")
    yield
    conn.exec_driver_sql(
        f"INSERT INTO contact_fts (contact_fts, rank) VALUES ('automerge', {_FTS_AUTOMERGE})"
    )
    left = conn.exec_driver_sql("SELECT count(*) FROM contacts").scalar() or 0
    if left <= removing:
        conn.exec_driver_sql("INSERT INTO contact_fts (contact_fts) VALUES ('optimize')")
    else:
        conn.exec_driver_sql("INSERT INTO contact_fts (contact_fts, rank) VALUES ('merge', 2000)")


def _remove_created(conn: Connection, op_id: int, result: Reversal) -> None:
    """Snapshot and remove the contacts operation `op_id` created, a chunk at a time."""
    for chunk in _entries(conn, op_id, created=True, descending=True):
        ids = [cid for _, cid, _, _ in chunk]
        current = {c.id: c for c in contacts_repo.get_many(conn, ids)}
        for contact in current.values():
            result.touched.note(contact, None)
        # Removed first, so that the snapshots take the pages the contacts free.
        contacts_repo.remove(conn, ids)
        snapshots = [(cid, _dump(current.get(cid))) for cid in ids]
        _rewrite_created(conn, op_id, [e[0] for e in chunk], snapshots)
        result.removed += ids


def _from_bulk(op: Operation, change: bulk_journal.BulkChange) -> Reversal:
    return Reversal(op, change.added, change.changed, change.removed, change.touched)


def _note_import(result: Reversal) -> None:
    if result.operation.kind == "import":
        result.touched.imports.add(result.operation.id)


def undo(conn: Connection, control: TaskControl | None = None) -> Reversal | None:
    """Reverse the last operation that is not undone; None when there is nothing to undo.

    Contacts the operation created are snapshotted into their journal rows (so that redo can
    bring them back exactly) and removed a chunk at a time: undoing a million-contact import
    holds one chunk in memory, and the pages freed by each chunk hold the next one's snapshots.
    A bulk operation is undone set-based, reporting to `control` between chunks.
    """
    op = last_done(conn)
    if op is None:
        return None
    if bulk_journal.is_bulk(conn, op.id):
        change = bulk_journal.undo(conn, op.id, control or TaskControl())
        conn.exec_driver_sql("UPDATE operations SET undone = 1 WHERE id = ?", (op.id,))
        return _from_bulk(op, change)
    result = Reversal(op)
    _note_import(result)
    created = conn.exec_driver_sql(
        "SELECT count(*) FROM journal WHERE op_id = ? AND before IS NULL", (op.id,)
    ).scalar()
    with bulk_index_changes(conn, int(created or 0)):
        _remove_created(conn, op.id, result)
    for chunk in _entries(conn, op.id, created=False, descending=True):
        for _, cid, before, after in chunk:
            snapshot = _load(before)
            assert snapshot is not None
            result.touched.note(_load(after), snapshot)
            contacts_repo.replace(conn, snapshot)
            if before and f'"{_IMPORT_OP}":' in before:  # rarely: only removed contacts have it
                conn.exec_driver_sql(
                    "UPDATE contacts SET import_op = ? WHERE id = ?",
                    (json.loads(before).get(_IMPORT_OP), cid),
                )
            result.changed.append(cid)
    contacts_repo.delete_unused_tags(conn)
    conn.exec_driver_sql("UPDATE operations SET undone = 1 WHERE id = ?", (op.id,))
    return result


def redo(conn: Connection, control: TaskControl | None = None) -> Reversal | None:
    """Apply again the earliest undone operation; None when there is nothing to redo.

    Contacts an import created come back as that import's (their `import_op`), so its segment
    fills again; their snapshots are dropped once they are stored again. A bulk operation is
    applied again set-based, reporting to `control` between chunks.
    """
    op = first_undone(conn)
    if op is None:
        return None
    if bulk_journal.is_bulk(conn, op.id):
        change = bulk_journal.redo(conn, op.id, control or TaskControl())
        conn.exec_driver_sql("UPDATE operations SET undone = 0 WHERE id = ?", (op.id,))
        return _from_bulk(op, change)
    result = Reversal(op)
    _note_import(result)
    import_op = op.id if op.kind == "import" else None
    for chunk in _entries(conn, op.id, created=True):
        contacts = [c for c in (_load(after) for _, _, _, after in chunk) if c is not None]
        ids = [c.id for c in contacts if c.id is not None]
        for contact in contacts:
            result.touched.note(None, contact)
        # The snapshots go first, so that the contacts take the pages they free.
        _rewrite_created(conn, op.id, [e[0] for e in chunk], [(e[1], None) for e in chunk])
        # Only what is there: deleting an absent id from the contentless search index still
        # writes a tombstone into it.
        present = contacts_repo.stored_ids(conn, ids)
        contacts_repo.remove(conn, [i for i in ids if i in present])
        contacts_repo.insert_many(conn, contacts, import_op)
        result.added += ids
    for chunk in _entries(conn, op.id, created=False):
        for _, cid, before, after in chunk:
            snapshot = _load(after)
            result.touched.note(_load(before), snapshot)
            if snapshot is None:
                contacts_repo.remove(conn, [cid])
                result.removed.append(cid)
                continue
            contacts_repo.replace(conn, snapshot)
            result.changed.append(cid)
    contacts_repo.delete_unused_tags(conn)
    conn.exec_driver_sql("UPDATE operations SET undone = 0 WHERE id = ?", (op.id,))
    return result
