"""Saved smart segments (name and JSON rules) and the imports a segment can select."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True, slots=True)
class SegmentRecord:
    """A stored segment as the table holds it; `rules` is JSON text read by services.segments."""

    id: int
    name: str
    rules: str
    position: int


@dataclass(frozen=True, slots=True)
class ImportRecordInfo:
    """An import operation that has not been undone."""

    operation_id: int
    label: str
    created_at: str


def all_segments(conn: Connection) -> list[SegmentRecord]:
    """Every saved segment, in the user's order."""
    result = conn.exec_driver_sql(
        "SELECT id, name, rules, position FROM segments ORDER BY position, id"
    )
    return [SegmentRecord(int(i), str(n), str(r), int(p)) for i, n, r, p in result]


def insert(conn: Connection, name: str, rules: str) -> int:
    """Store a new segment at the end of the list; returns its id."""
    position = conn.exec_driver_sql("SELECT coalesce(max(position), -1) + 1 FROM segments")
    pos = int(position.scalar_one())
    result = conn.exec_driver_sql(
        "INSERT INTO segments (name, rules, position) VALUES (?, ?, ?)", (name, rules, pos)
    )
    return int(result.lastrowid or 0)


def update(conn: Connection, segment_id: int, name: str, rules: str) -> None:
    """Rename a segment and replace its rules."""
    conn.exec_driver_sql(
        "UPDATE segments SET name = ?, rules = ? WHERE id = ?", (name, rules, segment_id)
    )


def delete(conn: Connection, segment_id: int) -> None:
    """Remove a segment (its contacts are untouched)."""
    conn.exec_driver_sql("DELETE FROM segments WHERE id = ?", (segment_id,))


def recent_imports(conn: Connection, limit: int = 5) -> list[ImportRecordInfo]:
    """The latest imports that are not undone, newest first."""
    result = conn.exec_driver_sql(
        "SELECT id, label, created_at FROM operations WHERE kind = 'import' AND undone = 0 "
        "ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    return [ImportRecordInfo(int(i), str(lbl), str(at)) for i, lbl, at in result]
