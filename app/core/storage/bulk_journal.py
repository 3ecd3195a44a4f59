"""Set-based changes to many contacts (tag, stage, delete, restore), journaled compactly.

A bulk operation is a few SQL statements over a temporary table of ids, a chunk of ids at a
time (for progress and cancel). Its journal is the value it wrote (`bulk_operations`), and per
contact changed the column's value and `updated_at` before (`bulk_entries`) and the tags put on
or taken off (`bulk_tag_links`): no snapshots, so that undo and redo are set-based too.
Tagging 100,000 contacts wrote two JSON snapshots each and took 85 s; this takes a few seconds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection

from app.core.domain.contact import Contact
from app.core.tasks import TaskControl

CHUNK = 10_000
"""Contacts changed per step: progress and cancel are checked between chunks."""
_PER_STATEMENT = 10_000
_IDS = "temp.bulk_ids"

COLUMN_KINDS = {"stage": "stage", "delete": "deleted_at", "restore": "deleted_at"}
"""The bulk operations that set one column, and that column."""
TAG_KIND = "tag"


@dataclass(slots=True)
class Touched:
    """What a change touched, so that services can name the segments it may have changed.

    Attributes:
        tags: names (as stored) of tags put on or taken off a contact.
        stages: stage values a contact left or entered (None: no stage).
        favourite: a favourite's membership may have changed.
        trash: a contact went into or out of the trash.
        lifecycle: a contact appeared or disappeared (added, removed, deleted, restored).
        fields: other fields changed (any rule, attention reason or reminder may differ).
        imports: operations whose import segment may have changed.
    """

    tags: set[str] = field(default_factory=set)
    stages: set[str | None] = field(default_factory=set)
    favourite: bool = False
    trash: bool = False
    lifecycle: bool = False
    fields: bool = False
    imports: set[int] = field(default_factory=set)

    def note(self, before: Contact | None, after: Contact | None) -> None:
        """Add what changing one contact from `before` to `after` touched (None: absent)."""
        if before is None or after is None or before.deleted_at != after.deleted_at:
            # It joins or leaves every segment it is in.
            for contact in (before, after):
                if contact is not None:
                    self.tags.update(contact.tags)
                    self.stages.add(contact.stage.value if contact.stage else None)
                    self.favourite |= contact.favourite
                    self.trash |= contact.deleted_at is not None
            self.lifecycle = self.fields = True
            return
        self.tags.update(set(before.tags).symmetric_difference(after.tags))
        if before.stage != after.stage:
            self.stages.update(s.value if s else None for s in (before.stage, after.stage))
        self.favourite |= before.favourite != after.favourite
        self.fields |= _rest(before) != _rest(after)


def _rest(contact: Contact) -> Contact:
    """The contact without what `Touched` names apart (and its time of change)."""
    return replace(contact, tags=[], stage=None, favourite=False, updated_at=None)


@dataclass(slots=True)
class BulkChange:
    """Contacts a bulk operation (or its undo or redo) changed, and what it touched."""

    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    touched: Touched = field(default_factory=Touched)


@dataclass(frozen=True, slots=True)
class TagPlan:
    """Which stored tags a tag change removes, and for each name it adds, its equals.

    Tags compare by `str.casefold` (as Kith always has): "É" removes "é", and a contact with
    "VIP" does not get "vip" too.
    """

    remove_ids: tuple[int, ...]
    add: tuple[tuple[str, tuple[int, ...]], ...]
    """Each name to add with the ids of stored tags equal to it, not counting those removed."""
    readds: bool = False
    """Whether a name is both removed and added: a contact may end as it began."""


def load_ids(conn: Connection, ids: Sequence[int]) -> tuple[list[int], list[int]]:
    """Put these ids in the temporary id table; returns them sorted and unique, and the missing.

    The table lives in the caller's transaction: a rollback (an error, a cancel) removes it.
    """
    conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS bulk_ids (id INTEGER PRIMARY KEY)")
    conn.exec_driver_sql(f"DELETE FROM {_IDS}")
    unique = sorted(set(ids))
    for start in range(0, len(unique), _PER_STATEMENT):
        part = unique[start : start + _PER_STATEMENT]
        conn.exec_driver_sql(
            f"INSERT INTO {_IDS} (id) VALUES {','.join(['(?)'] * len(part))}", tuple(part)
        )
    missing = conn.exec_driver_sql(
        f"SELECT b.id FROM {_IDS} b WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = b.id)"
    ).all()
    return unique, [int(r[0]) for r in missing]


def clear_ids(conn: Connection) -> None:
    """Empty the temporary id table (it stays on the pooled connection, empty)."""
    conn.exec_driver_sql(f"DELETE FROM {_IDS}")


def _ranges(ids: Sequence[int]) -> Iterator[tuple[int, int, int]]:
    """(first id, last id, how many done after it) for each chunk of the sorted `ids`."""
    for start in range(0, len(ids), CHUNK):
        end = min(start + CHUNK, len(ids))
        yield ids[start], ids[end - 1], end


def _steps(ids: Sequence[int], control: TaskControl) -> Iterator[tuple[int, int]]:
    """Each chunk's id range; reports progress after it (which raises Cancelled on cancel)."""
    total = len(ids)
    control.step(0, total)
    for low, high, done in _ranges(ids):
        yield low, high
        control.step(done, total)


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


# Forward: set a column


def column_would_change(conn: Connection, kind: str, value: str | None) -> bool:
    """Whether setting `kind`'s column over the loaded ids would change any contact."""
    condition, params = _column_condition(kind, value)
    row = conn.exec_driver_sql(
        f"SELECT 1 FROM {_IDS} b JOIN contacts c ON c.id = b.id WHERE {condition} LIMIT 1", params
    ).first()
    return row is not None


def _column_condition(kind: str, value: str | None) -> tuple[str, tuple[object, ...]]:
    """Which contacts `kind` changes: a different stage, a live one to delete, a trashed one."""
    if kind == "delete":
        return "c.deleted_at IS NULL", ()
    if kind == "restore":
        return "c.deleted_at IS NOT NULL", ()
    return "c.stage IS NOT ?", (value,)


def set_column(
    conn: Connection,
    op_id: int,
    *,
    kind: str,
    value: str | None,
    at: str,
    ids: Sequence[int],
    control: TaskControl,
) -> None:
    """Set `kind`'s column to `value` (and `updated_at` to `at`) on the loaded ids it changes."""
    column = COLUMN_KINDS[kind]
    condition, params = _column_condition(kind, value)
    conn.exec_driver_sql(
        "INSERT INTO bulk_operations (op_id, kind, value, at) VALUES (?, ?, ?, ?)",
        (op_id, kind, value, at),
    )
    for low, high in _steps(ids, control):
        conn.exec_driver_sql(
            "INSERT INTO bulk_entries (op_id, contact_id, before, updated_before) "
            f"SELECT ?, c.id, c.{column}, c.updated_at FROM {_IDS} b "
            f"JOIN contacts c ON c.id = b.id WHERE b.id BETWEEN ? AND ? AND {condition}",
            (op_id, low, high, *params),
        )
        conn.exec_driver_sql(
            f"UPDATE contacts SET {column} = ?, updated_at = ? WHERE id IN (SELECT contact_id "
            "FROM bulk_entries WHERE op_id = ? AND contact_id BETWEEN ? AND ?)",
            (value, at, op_id, low, high),
        )


# Forward: tags


def plan_tags(conn: Connection, add: Sequence[str], remove: Sequence[str]) -> TagPlan:
    """Resolve tag names against the stored tags (a few rows), by `casefold`."""
    stored = [(int(i), str(n)) for i, n in conn.exec_driver_sql("SELECT id, name FROM tags")]
    drop = {t.casefold() for t in remove}
    remove_ids = tuple(i for i, n in stored if n.casefold() in drop)
    adds: dict[str, tuple[str, tuple[int, ...]]] = {}
    for name in add:
        key = name.casefold()
        if key not in adds:
            equal = tuple(i for i, n in stored if n.casefold() == key and i not in remove_ids)
            adds[key] = (name, equal)
    return TagPlan(remove_ids, tuple(adds.values()), readds=bool(drop & adds.keys()))


def tags_would_change(conn: Connection, plan: TagPlan) -> bool:
    """Whether the plan would change any loaded contact's tags."""
    if plan.remove_ids:
        found = conn.exec_driver_sql(
            f"SELECT 1 FROM {_IDS} b JOIN contact_tags ct ON ct.contact_id = b.id "
            f"WHERE ct.tag_id IN ({_marks(plan.remove_ids)}) LIMIT 1",
            plan.remove_ids,
        ).first()
        if found:
            return True
    for _, equal in plan.add:
        found = conn.exec_driver_sql(
            f"SELECT 1 FROM {_IDS} b WHERE NOT EXISTS (SELECT 1 FROM contact_tags ct "
            f"WHERE ct.contact_id = b.id AND ct.tag_id IN ({_marks(equal)})) LIMIT 1",
            equal,
        ).first()
        if found:
            return True
    return False


def _tag_id(conn: Connection, name: str) -> tuple[int, str]:
    """The stored tag equal to `name` (SQLite's NOCASE), created if there is none."""
    conn.exec_driver_sql("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
    row = conn.exec_driver_sql("SELECT id, name FROM tags WHERE name = ?", (name,)).one()
    return int(row[0]), str(row[1])


def change_tags(
    conn: Connection,
    op_id: int,
    plan: TagPlan,
    *,
    at: str,
    ids: Sequence[int],
    control: TaskControl,
) -> None:
    """Take the plan's tags off and put its new ones on (at the end) the loaded ids.

    As the contact-by-contact code did: removed first, then each name added in order to the
    contacts that do not carry it (or an equal) after the removal.
    """
    conn.exec_driver_sql(
        "INSERT INTO bulk_operations (op_id, kind, value, at) VALUES (?, ?, NULL, ?)",
        (op_id, TAG_KIND, at),
    )
    targets = [(*_tag_id(conn, name), equal) for name, equal in plan.add]
    for low, high in _steps(ids, control):
        if plan.remove_ids:
            marks = _marks(plan.remove_ids)
            conn.exec_driver_sql(
                "INSERT INTO bulk_tag_links (op_id, contact_id, added, tag, position) "
                f"SELECT ?, ct.contact_id, 0, t.name, ct.position FROM {_IDS} b "
                "JOIN contact_tags ct ON ct.contact_id = b.id JOIN tags t ON t.id = ct.tag_id "
                f"WHERE b.id BETWEEN ? AND ? AND ct.tag_id IN ({marks})",
                (op_id, low, high, *plan.remove_ids),
            )
            conn.exec_driver_sql(
                "DELETE FROM contact_tags WHERE contact_id BETWEEN ? AND ? AND contact_id IN "
                f"(SELECT id FROM {_IDS}) AND tag_id IN ({marks})",
                (low, high, *plan.remove_ids),
            )
        for tag_id, name, equal in targets:
            present = (tag_id, *equal)
            conn.exec_driver_sql(
                "INSERT INTO bulk_tag_links (op_id, contact_id, added, tag, position) "
                "SELECT ?, b.id, 1, ?, (SELECT coalesce(max(ct.position), -1) + 1 "
                f"FROM contact_tags ct WHERE ct.contact_id = b.id) FROM {_IDS} b "
                "WHERE b.id BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM contact_tags ct "
                f"WHERE ct.contact_id = b.id AND ct.tag_id IN ({_marks(present)}))",
                (op_id, name, low, high, *present),
            )
            conn.exec_driver_sql(
                "INSERT INTO contact_tags (contact_id, tag_id, position) "
                "SELECT contact_id, ?, position FROM bulk_tag_links "
                "WHERE op_id = ? AND contact_id BETWEEN ? AND ? AND added = 1 AND tag = ?",
                (tag_id, op_id, low, high, name),
            )
        if plan.readds:
            _drop_round_trips(conn, op_id, low, high)
        conn.exec_driver_sql(
            "INSERT INTO bulk_entries (op_id, contact_id, before, updated_before) "
            "SELECT ?, c.id, NULL, c.updated_at FROM contacts c WHERE c.id IN (SELECT "
            "contact_id FROM bulk_tag_links WHERE op_id = ? AND contact_id BETWEEN ? AND ?)",
            (op_id, op_id, low, high),
        )
        _set_updated(conn, op_id, at, low, high)
    _delete_unused_tags(conn)


def _drop_round_trips(conn: Connection, op_id: int, low: int, high: int) -> None:
    """Put back the tags of contacts whose list ends as it began (a tag removed, then added).

    Contact by contact, in Python: only a change that both removes and adds a name gets here.
    """
    rows = conn.exec_driver_sql(
        "SELECT contact_id, added, tag, position FROM bulk_tag_links l WHERE op_id = ? "
        "AND contact_id BETWEEN ? AND ? AND EXISTS (SELECT 1 FROM bulk_tag_links x "
        "WHERE x.op_id = l.op_id AND x.contact_id = l.contact_id AND x.added <> l.added)",
        (op_id, low, high),
    ).all()
    links: dict[int, list[tuple[int, str, int]]] = {}
    for contact_id, added, tag, position in rows:
        links.setdefault(int(contact_id), []).append((int(added), str(tag), int(position)))
    for contact_id, own in links.items():
        now = conn.exec_driver_sql(
            "SELECT t.name, ct.position FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id "
            "WHERE ct.contact_id = ?",
            (contact_id,),
        ).all()
        current = sorted((int(p), str(n)) for n, p in now)
        put_on = {(p, n) for a, n, p in own if a}
        before = sorted(
            [c for c in current if c not in put_on] + [(p, n) for a, n, p in own if not a]
        )
        if [n for _, n in before] != [n for _, n in current]:
            continue
        _unlink(conn, op_id, contact_id, contact_id, added=1)
        _link(conn, op_id, contact_id, contact_id, added=0)
        conn.exec_driver_sql(
            "DELETE FROM bulk_tag_links WHERE op_id = ? AND contact_id = ?", (op_id, contact_id)
        )


def _set_updated(conn: Connection, op_id: int, at: str, low: int, high: int) -> None:
    conn.exec_driver_sql(
        "UPDATE contacts SET updated_at = ? WHERE id IN (SELECT contact_id FROM bulk_entries "
        "WHERE op_id = ? AND contact_id BETWEEN ? AND ?)",
        (at, op_id, low, high),
    )


def _delete_unused_tags(conn: Connection) -> None:
    conn.exec_driver_sql(
        "DELETE FROM tags WHERE id NOT IN (SELECT DISTINCT tag_id FROM contact_tags)"
    )


# What an operation changed


def changed_ids(conn: Connection, op_id: int) -> list[int]:
    """The contacts bulk operation `op_id` changed, by id."""
    rows = conn.exec_driver_sql(
        "SELECT contact_id FROM bulk_entries WHERE op_id = ? ORDER BY contact_id", (op_id,)
    )
    return [int(r[0]) for r in rows]


def is_bulk(conn: Connection, op_id: int) -> bool:
    """Whether `op_id` was journaled as a bulk operation (not as snapshots)."""
    row = conn.exec_driver_sql("SELECT 1 FROM bulk_operations WHERE op_id = ?", (op_id,)).first()
    return row is not None


def touched(conn: Connection, op_id: int) -> Touched:
    """What bulk operation `op_id` touched (the same for it, its undo and its redo)."""
    kind, value = conn.exec_driver_sql(
        "SELECT kind, value FROM bulk_operations WHERE op_id = ?", (op_id,)
    ).one()
    result = Touched()
    if kind == TAG_KIND:
        rows = conn.exec_driver_sql(
            "SELECT DISTINCT tag FROM bulk_tag_links WHERE op_id = ?", (op_id,)
        )
        result.tags = {str(r[0]) for r in rows}
        return result
    if kind == "stage":
        rows = conn.exec_driver_sql(
            "SELECT DISTINCT before FROM bulk_entries WHERE op_id = ?", (op_id,)
        )
        result.stages = {r[0] for r in rows} | {value}
        return result
    # A delete or restore: every segment of these contacts loses or gains them.
    scope = "c.id IN (SELECT contact_id FROM bulk_entries WHERE op_id = ?)"
    tags = conn.exec_driver_sql(
        "SELECT DISTINCT t.name FROM tags t JOIN contact_tags ct ON ct.tag_id = t.id "
        f"JOIN contacts c ON c.id = ct.contact_id WHERE {scope}",
        (op_id,),
    )
    result.tags = {str(r[0]) for r in tags}
    stages = conn.exec_driver_sql(
        f"SELECT DISTINCT c.stage FROM contacts c WHERE {scope}", (op_id,)
    )
    result.stages = {r[0] for r in stages}
    favourite = conn.exec_driver_sql(
        f"SELECT 1 FROM contacts c WHERE {scope} AND c.favourite = 1 LIMIT 1", (op_id,)
    ).first()
    imports = conn.exec_driver_sql(
        f"SELECT DISTINCT c.import_op FROM contacts c WHERE {scope} AND c.import_op IS NOT NULL",
        (op_id,),
    )
    result.imports = {int(r[0]) for r in imports}
    result.favourite = favourite is not None
    result.trash = result.lifecycle = True
    return result


# Undo and redo


def _entry_ids(conn: Connection, op_id: int) -> list[int]:
    return changed_ids(conn, op_id)


def undo(conn: Connection, op_id: int, control: TaskControl) -> BulkChange:
    """Put back what bulk operation `op_id` changed, set-based, a chunk at a time."""
    kind = str(
        conn.exec_driver_sql("SELECT kind FROM bulk_operations WHERE op_id = ?", (op_id,)).scalar()
    )
    ids = _entry_ids(conn, op_id)
    if kind == TAG_KIND:
        _restore_tag_names(conn, op_id, added=0)
        for low, high in _steps(ids, control):
            _unlink(conn, op_id, low, high, added=1)
            _link(conn, op_id, low, high, added=0)
            _put_back_updated(conn, op_id, low, high, column=None)
        _delete_unused_tags(conn)
    else:
        column = COLUMN_KINDS[kind]
        for low, high in _steps(ids, control):
            _put_back_updated(conn, op_id, low, high, column=column)
    return _result(conn, op_id, kind, ids, undoing=True)


def redo(conn: Connection, op_id: int, control: TaskControl) -> BulkChange:
    """Apply bulk operation `op_id` again, set-based, a chunk at a time."""
    kind, value, at = conn.exec_driver_sql(
        "SELECT kind, value, at FROM bulk_operations WHERE op_id = ?", (op_id,)
    ).one()
    ids = _entry_ids(conn, op_id)
    if kind == TAG_KIND:
        _restore_tag_names(conn, op_id, added=1)
        for low, high in _steps(ids, control):
            _unlink(conn, op_id, low, high, added=0)
            _link(conn, op_id, low, high, added=1)
            _set_updated(conn, op_id, at, low, high)
        _delete_unused_tags(conn)
    else:
        column = COLUMN_KINDS[kind]
        for low, high in _steps(ids, control):
            conn.exec_driver_sql(
                f"UPDATE contacts SET {column} = ?, updated_at = ? WHERE id IN (SELECT "
                "contact_id FROM bulk_entries WHERE op_id = ? AND contact_id BETWEEN ? AND ?)",
                (value, at, op_id, low, high),
            )
    return _result(conn, op_id, str(kind), ids, undoing=False)


def _result(
    conn: Connection, op_id: int, kind: str, ids: list[int], *, undoing: bool
) -> BulkChange:
    change = BulkChange(touched=touched(conn, op_id))
    # A delete's undo brings contacts back, as a restore does; its redo takes them away.
    appear = (kind == "delete") == undoing
    if kind in ("delete", "restore"):
        if appear:
            change.added = ids
        else:
            change.removed = ids
    else:
        change.changed = ids
    return change


def _restore_tag_names(conn: Connection, op_id: int, *, added: int) -> None:
    """Create again, with their own spelling, the tags that links are about to need."""
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO tags (name) SELECT DISTINCT tag FROM bulk_tag_links "
        "WHERE op_id = ? AND added = ?",
        (op_id, added),
    )


def _unlink(conn: Connection, op_id: int, low: int, high: int, *, added: int) -> None:
    conn.exec_driver_sql(
        "DELETE FROM contact_tags WHERE (contact_id, tag_id) IN (SELECT l.contact_id, t.id "
        "FROM bulk_tag_links l JOIN tags t ON t.name = l.tag "
        "WHERE l.op_id = ? AND l.added = ? AND l.contact_id BETWEEN ? AND ?)",
        (op_id, added, low, high),
    )


def _link(conn: Connection, op_id: int, low: int, high: int, *, added: int) -> None:
    # Only contacts still stored: one removed since (outside the journal) is skipped.
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id, position) "
        "SELECT l.contact_id, t.id, l.position FROM bulk_tag_links l "
        "JOIN tags t ON t.name = l.tag JOIN contacts c ON c.id = l.contact_id "
        "WHERE l.op_id = ? AND l.added = ? AND l.contact_id BETWEEN ? AND ?",
        (op_id, added, low, high),
    )


def _put_back_updated(
    conn: Connection, op_id: int, low: int, high: int, *, column: str | None
) -> None:
    """Put back `updated_at`, and `column` when given, as they were before the operation."""
    also = f"{column} = e.before, " if column else ""
    conn.exec_driver_sql(
        f"UPDATE contacts SET {also}updated_at = e.updated_before FROM bulk_entries e "
        "WHERE e.op_id = ? AND e.contact_id = contacts.id AND e.contact_id BETWEEN ? AND ?",
        (op_id, low, high),
    )
