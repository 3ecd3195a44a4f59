""" "Not duplicates" decisions: which pairs of contacts the user said are different people."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True, slots=True)
class Decision:
    """One "Not duplicates" decision: the contacts it named, and when."""

    id: int
    ids: tuple[int, ...]
    created_at: datetime


def pairs_of(ids: Iterable[int]) -> list[tuple[int, int]]:
    """Every pair of distinct ids, the lower first."""
    return list(combinations(sorted(set(ids)), 2))


def add(conn: Connection, ids: Sequence[int], when: datetime) -> int | None:
    """Record that these contacts are not duplicates of each other.

    Returns:
        The new decision's id, or None when every pair was decided already.
    """
    pairs = pairs_of(ids)
    decided = decided_pairs(conn, ids)
    new = [p for p in pairs if p not in decided]
    if not new:
        return None
    decision = int(
        conn.exec_driver_sql("SELECT coalesce(max(decision_id), 0) + 1 FROM not_duplicates").one()[
            0
        ]
    )
    conn.exec_driver_sql(
        "INSERT INTO not_duplicates (low, high, decision_id, created_at) VALUES (?, ?, ?, ?)",
        [(low, high, decision, when.isoformat()) for low, high in new],
    )
    return decision


def remove(conn: Connection, decision_id: int) -> list[tuple[int, int]]:
    """Forget a decision; returns the pairs it held (none if there was no such decision)."""
    pairs = conn.exec_driver_sql(
        "SELECT low, high FROM not_duplicates WHERE decision_id = ? ORDER BY low, high",
        (decision_id,),
    ).all()
    conn.exec_driver_sql("DELETE FROM not_duplicates WHERE decision_id = ?", (decision_id,))
    return [(int(low), int(high)) for low, high in pairs]


def decided_pairs(conn: Connection, ids: Iterable[int] | None = None) -> set[tuple[int, int]]:
    """The decided pairs (among `ids` only, when given)."""
    rows = conn.exec_driver_sql("SELECT low, high FROM not_duplicates").all()
    pairs = {(int(low), int(high)) for low, high in rows}
    if ids is None:
        return pairs
    wanted = set(ids)
    return {p for p in pairs if p[0] in wanted and p[1] in wanted}


def all_decisions(conn: Connection) -> list[Decision]:
    """Every decision, the newest first."""
    rows = conn.exec_driver_sql(
        "SELECT decision_id, low, high, created_at FROM not_duplicates "
        "ORDER BY decision_id DESC, low, high"
    ).all()
    grouped: dict[int, tuple[set[int], str]] = {}
    for decision, low, high, created in rows:
        ids, _ = grouped.setdefault(int(decision), (set(), str(created)))
        ids.update((int(low), int(high)))
    return [
        Decision(d, tuple(sorted(ids)), datetime.fromisoformat(created))
        for d, (ids, created) in grouped.items()
    ]
