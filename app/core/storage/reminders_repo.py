"""Reminders in the store: who has dated things, follow-ups, done and snoozed occurrences, and
which occurrences were already notified.

Reading the contacts that reminders concern leaves out, in SQL, every contact whose birthday or
anniversary is not near (checked against the month-days of the window), so that a check at
100,000 contacts builds only the few hundred that matter.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from app.core.domain.contact import Contact, Event
from app.core.domain.dates import PartialDate
from app.core.domain.interaction import Cadence
from app.core.domain.serialise import decoder, field_type
from app.core.reminders.compute import State
from app.core.reminders.model import FollowUp, Subject

if TYPE_CHECKING:
    from sqlalchemy import Connection

_CHUNK = 500
_DONE, _SNOOZED = "done", "snoozed"
_events = decoder(field_type(Contact, "events"))
_SUBJECT = (
    "SELECT c.id, c.display_name, c.created_at, c.birthday, c.anniversary, "
    "json_extract(c.data, '$.events'), json_extract(c.data, '$.keep_in_touch_every'), "
    "json_extract(c.data, '$.keep_in_touch_unit'), c.last_contacted FROM contacts c "
    "WHERE c.deleted_at IS NULL"
)


# Each names its partial index (0005): SQLite's own plan walks a wider one and reads every
# whole row, 1 s at 100,000 contacts instead of 60 ms. The conditions repeat the indexes' own.
_NEAR_DAYS = (
    "SELECT id FROM contacts INDEXED BY ix_contacts_days WHERE deleted_at IS NULL "
    "AND (birthday IS NOT NULL OR anniversary IS NOT NULL) "
    "AND (substr(birthday, -5) IN ({marks}) OR substr(anniversary, -5) IN ({marks}))"
)
_REMINDING = (
    "SELECT id FROM contacts INDEXED BY ix_contacts_reminding WHERE deleted_at IS NULL "
    "AND (instr(data, '\"events\":') > 0 OR instr(data, '\"keep_in_touch_every\":') > 0)"
)


def subjects(
    conn: Connection, month_days: Collection[str], also: Collection[int] = ()
) -> list[Subject]:
    """Live contacts with a reminder that may fall in the window.

    Args:
        conn: the connection.
        month_days: "MM-DD" of every day of the window; a birthday or anniversary on another
            day is left out.
        also: contacts to read whatever their dates (a snoozed occurrence, a follow-up).
    """
    days = sorted(set(month_days))
    found: set[int] = set(also)
    if days:
        marks = ",".join("?" * len(days))
        near = conn.exec_driver_sql(_NEAR_DAYS.format(marks=marks), (*days, *days))
        found.update(int(r[0]) for r in near)
    found.update(int(r[0]) for r in conn.exec_driver_sql(_REMINDING))
    result: list[Subject] = []
    for chunk in _chunks(sorted(found)):
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(f"{_SUBJECT} AND c.id IN ({marks})", tuple(chunk)).all()
        result += _subjects(conn, rows)
    return result


def subject(conn: Connection, contact_id: int) -> Subject | None:
    """What reminders need of one live contact, whatever its dates; None if it is not live."""
    rows = conn.exec_driver_sql(f"{_SUBJECT} AND c.id = ?", (contact_id,)).all()
    found = _subjects(conn, rows)
    return found[0] if found else None


def _subjects(conn: Connection, rows: Iterable[tuple[object, ...]]) -> list[Subject]:
    rows = list(rows)
    ids = [int(str(r[0])) for r in rows]
    follow_ups = _open_follow_ups(conn, ids)
    done = _keep_in_touch_done(conn, ids)
    found = []
    for cid, name, created, birthday, anniversary, events, every, unit, last in rows:
        contact_id = int(str(cid))
        found.append(
            Subject(
                contact_id,
                str(name),
                datetime.fromisoformat(str(created)),
                PartialDate.try_parse(str(birthday)) if birthday else None,
                PartialDate.try_parse(str(anniversary)) if anniversary else None,
                tuple[Event, ...](_events(json.loads(str(events))) if events else ()),
                int(str(every or 0)),
                Cadence(str(unit)) if unit else None,
                datetime.fromisoformat(str(last)) if last else None,
                done.get(contact_id),
                tuple(follow_ups.get(contact_id, ())),
            )
        )
    return found


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _open_follow_ups(conn: Connection, ids: list[int]) -> dict[int, list[FollowUp]]:
    found: dict[int, list[FollowUp]] = defaultdict(list)
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(
            "SELECT id, contact_id, due, note FROM follow_ups "
            f"WHERE done_at IS NULL AND contact_id IN ({marks}) ORDER BY due, id",
            tuple(chunk),
        )
        for fid, cid, due, note in rows:
            found[int(cid)].append(FollowUp(int(fid), int(cid), date.fromisoformat(due), note))
    return found


def _keep_in_touch_done(conn: Connection, ids: list[int]) -> dict[int, datetime]:
    found: dict[int, datetime] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(
            "SELECT contact_id, max(at) FROM reminder_state WHERE status = ? "
            f"AND reminder_id LIKE 'keep-in-touch:%' AND contact_id IN ({marks}) "
            "GROUP BY contact_id",
            (_DONE, *chunk),
        )
        found.update((int(cid), datetime.fromisoformat(at)) for cid, at in rows)
    return found


def contacts_with_open_follow_ups(conn: Connection) -> list[int]:
    """Contacts with a follow-up not yet done (they are read whatever their dates)."""
    rows = conn.exec_driver_sql("SELECT DISTINCT contact_id FROM follow_ups WHERE done_at IS NULL")
    return [int(r[0]) for r in rows]


def add_follow_up(conn: Connection, contact_id: int, due: date, note: str, at: datetime) -> int:
    """Store a follow-up; returns its id."""
    conn.exec_driver_sql(
        "INSERT INTO follow_ups (contact_id, due, note, created_at) VALUES (?, ?, ?, ?)",
        (contact_id, due.isoformat(), note, at.isoformat()),
    )
    return int(conn.exec_driver_sql("SELECT last_insert_rowid()").scalar_one())


def finish_follow_up(conn: Connection, follow_up_id: int, at: datetime) -> bool:
    """Mark a follow-up done; False when there is no open follow-up with that id."""
    result = conn.exec_driver_sql(
        "UPDATE follow_ups SET done_at = ? WHERE id = ? AND done_at IS NULL",
        (at.isoformat(), follow_up_id),
    )
    return bool(result.rowcount)


def move_follow_ups(conn: Connection, from_ids: list[int], into_id: int) -> None:
    """Give these contacts' follow-ups to another contact."""
    for chunk in _chunks(from_ids):
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(
            f"UPDATE follow_ups SET contact_id = ? WHERE contact_id IN ({marks})",
            (into_id, *chunk),
        )


def states(conn: Connection) -> dict[str, State]:
    """Every occurrence that was done or snoozed."""
    rows = conn.exec_driver_sql("SELECT reminder_id, status, until FROM reminder_state")
    return {
        str(rid): State(status == _DONE, date.fromisoformat(until) if until else None)
        for rid, status, until in rows
    }


def snoozed_contacts(conn: Connection, since: date) -> list[int]:
    """Contacts with an occurrence snoozed until `since` or later."""
    rows = conn.exec_driver_sql(
        "SELECT DISTINCT contact_id FROM reminder_state WHERE status = ? AND until >= ?",
        (_SNOOZED, since.isoformat()),
    )
    return [int(r[0]) for r in rows]


def set_done(conn: Connection, reminder_id: str, contact_id: int, at: datetime) -> None:
    """Mark an occurrence done (a snooze on it ends)."""
    _put_state(conn, reminder_id, contact_id, status=_DONE, until=None, at=at)


def set_snoozed(
    conn: Connection, reminder_id: str, contact_id: int, until: date, at: datetime
) -> None:
    """Snooze an occurrence until a day; it may notify again then."""
    _put_state(conn, reminder_id, contact_id, status=_SNOOZED, until=until, at=at)
    conn.exec_driver_sql("DELETE FROM reminders_notified WHERE reminder_id = ?", (reminder_id,))


def _put_state(
    conn: Connection,
    reminder_id: str,
    contact_id: int,
    *,
    status: str,
    until: date | None,
    at: datetime,
) -> None:
    conn.exec_driver_sql(
        "INSERT INTO reminder_state (reminder_id, contact_id, status, until, at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(reminder_id) DO UPDATE SET "
        "status = excluded.status, until = excluded.until, at = excluded.at",
        (reminder_id, contact_id, status, until.isoformat() if until else None, at.isoformat()),
    )


def notified(conn: Connection, reminder_ids: Collection[str]) -> set[str]:
    """Which of these occurrences were already notified."""
    found: set[str] = set()
    ids = list(reminder_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(
            f"SELECT reminder_id FROM reminders_notified WHERE reminder_id IN ({marks})",
            tuple(chunk),
        )
        found.update(str(r[0]) for r in rows)
    return found


def mark_notified(conn: Connection, reminder_ids: Iterable[str], at: datetime) -> None:
    """Record that these occurrences were notified at `at`."""
    rows = [(rid, at.isoformat()) for rid in reminder_ids]
    if rows:
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO reminders_notified (reminder_id, at) VALUES (?, ?)", rows
        )


def forget_before(conn: Connection, before: datetime) -> None:
    """Drop what concerns occurrences that can no longer be due: notifications, and done or
    snoozed marks, older than `before` (a keep-in-touch "done" is kept: the cadence counts
    from it)."""
    conn.exec_driver_sql("DELETE FROM reminders_notified WHERE at < ?", (before.isoformat(),))
    conn.exec_driver_sql(
        "DELETE FROM reminder_state WHERE at < ? AND (until IS NULL OR until < ?) "
        "AND reminder_id NOT LIKE 'keep-in-touch:%'",
        (before.isoformat(), before.date().isoformat()),
    )
