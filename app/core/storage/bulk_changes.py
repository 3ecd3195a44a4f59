"""Set-based changes to many contacts: tag, untag, stage, delete, restore.

A few SQL statements over a temporary table of the chosen ids, a chunk of ids at a time (for
progress and cancel), each journaled compactly for `bulk_journal` to undo and redo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.storage import bulk_journal, contacts_repo
from app.core.tasks import TaskControl

if TYPE_CHECKING:
    from sqlalchemy import Connection

_PER_STATEMENT = 10_000
_IDS = "temp.bulk_ids"


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
    column = bulk_journal.COLUMN_KINDS[kind]
    condition, params = _column_condition(kind, value)
    conn.exec_driver_sql(
        "INSERT INTO bulk_operations (op_id, kind, value, at) VALUES (?, ?, ?, ?)",
        (op_id, kind, value, at),
    )
    for low, high in bulk_journal.steps(ids, control):
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
        (op_id, bulk_journal.TAG_KIND, at),
    )
    targets = [(*_tag_id(conn, name), equal) for name, equal in plan.add]
    for low, high in bulk_journal.steps(ids, control):
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
        bulk_journal.set_updated(conn, op_id, at, low, high)
    contacts_repo.delete_unused_tags(conn)


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
        bulk_journal.unlink_tags(conn, op_id, contact_id, contact_id, added=1)
        bulk_journal.link_tags(conn, op_id, contact_id, contact_id, added=0)
        conn.exec_driver_sql(
            "DELETE FROM bulk_tag_links WHERE op_id = ? AND contact_id = ?", (op_id, contact_id)
        )
