"""Segments: the built-in ones (favourites, stages, needs attention) and saved smart segments.

A smart segment is a name and a list of rules that must all hold. Each rule becomes an SQL
condition on `contacts c` (a `search.Filter`), so that the list filters and counts in SQLite
and never in Python.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.domain.contact import Stage
from app.core.errors import UserFacingError
from app.core.storage import search, segments_repo
from app.core.storage.database import Database
from app.core.storage.search import Filter, ListQuery
from app.core.storage.segments_repo import ImportRecordInfo


class RuleKind(enum.StrEnum):
    """What a smart segment rule tests."""

    TAG_IS = "tag is"
    STAGE_IS = "stage is"
    COMPANY_CONTAINS = "company contains"
    CITY_IS = "city is"
    BIRTHDAY_THIS_MONTH = "birthday this month"
    NOT_CONTACTED_DAYS = "not contacted for N days"
    MISSING_EMAIL = "missing email"
    MISSING_PHONE = "missing phone"
    ADDED_BY_IMPORT = "added by import"


NEEDS_VALUE = frozenset(
    {
        RuleKind.TAG_IS,
        RuleKind.STAGE_IS,
        RuleKind.COMPANY_CONTAINS,
        RuleKind.CITY_IS,
        RuleKind.NOT_CONTACTED_DAYS,
        RuleKind.ADDED_BY_IMPORT,
    }
)
"""The rule kinds that take a value; the others stand alone."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One condition of a smart segment."""

    kind: RuleKind
    value: str = ""


@dataclass(slots=True)
class SmartSegment:
    """A saved segment: every rule must hold. `id` is None until it is saved."""

    name: str
    rules: list[Rule] = field(default_factory=list)
    id: int | None = None


class Attention(enum.StrEnum):
    """Reasons a contact needs the user's attention."""

    INVALID_PHONE = "invalid phone"
    UNREACHABLE = "no way to reach"
    PROBABLE_DUPLICATE = "probable duplicate"


FAVOURITES = Filter("c.favourite = 1")
_NO_EMAIL = "NOT EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id)"
_NO_PHONE = "NOT EXISTS (SELECT 1 FROM contact_phones p WHERE p.contact_id = c.id)"
_LIVE_DUPLICATES = (
    # Values held more than once, then only those held more than once outside the trash:
    # the first step is an index scan, the second only looks at the (few) candidates.
    "SELECT x.{col} FROM {table} x WHERE x.{col} IN (SELECT {col} FROM {table} GROUP BY {col} "
    "HAVING count(*) > 1) AND x.contact_id NOT IN (SELECT id FROM contacts "
    "WHERE deleted_at IS NOT NULL) GROUP BY x.{col} HAVING count(*) > 1"
)
_ATTENTION_SQL = {
    # A phone the store could not read as E.164. The `data` column is compact JSON, so the
    # cheap text test finds the few candidates and json_each only confirms them.
    Attention.INVALID_PHONE: 'instr(c.data, \'"e164":""\') > 0 AND EXISTS (SELECT 1 FROM '
    "json_each(c.data, '$.phones') j WHERE coalesce(json_extract(j.value, '$.e164'), '') = '')",
    Attention.UNREACHABLE: f"{_NO_EMAIL} AND json_array_length(c.data, '$.phones') IS NULL "
    "AND json_array_length(c.data, '$.addresses') IS NULL",
    # Uncorrelated subqueries: SQLite builds each set of shared values once, not per contact.
    Attention.PROBABLE_DUPLICATE: "c.id IN (SELECT contact_id FROM contact_emails WHERE email IN ("
    + _LIVE_DUPLICATES.format(col="email", table="contact_emails")
    + ")) OR c.id IN (SELECT contact_id FROM contact_phones WHERE e164 IN ("
    + _LIVE_DUPLICATES.format(col="e164", table="contact_phones")
    + ")) OR c.sort_first IN (SELECT sort_first FROM contacts WHERE deleted_at IS NULL "
    "AND sort_first <> '' GROUP BY sort_first HAVING count(*) > 1)",
}


def attention_filter(reason: Attention | None = None) -> Filter:
    """Contacts that need attention for `reason`, or for any reason when it is None."""
    if reason is not None:
        return Filter(_ATTENTION_SQL[reason])
    return Filter(" OR ".join(f"({sql})" for sql in _ATTENTION_SQL.values()))


def stage_filter(stage: Stage) -> Filter:
    """Contacts at this relationship stage."""
    return Filter("c.stage = ?", (stage.value,))


def _number(rule: Rule) -> int:
    try:
        value = int(rule.value.strip())
    except ValueError:
        raise UserFacingError(f"“{rule.kind}” needs a whole number, not {rule.value!r}.") from None
    if value < 0:
        raise UserFacingError(f"“{rule.kind}” needs a number of 0 or more.")
    return value


def rule_filter(rule: Rule, today: date) -> Filter:
    """The SQL condition for one rule.

    Raises:
        UserFacingError: the rule's value does not fit its kind (a stage that does not exist,
            a number of days that is not a number).
    """
    kind, value = rule.kind, rule.value.strip()
    if kind in NEEDS_VALUE and not value:
        raise UserFacingError(f"“{kind}” needs a value.")
    if kind is RuleKind.TAG_IS:
        return Filter(
            "c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id "
            "WHERE t.name = ?)",
            (value,),
        )
    if kind is RuleKind.STAGE_IS:
        try:
            return stage_filter(Stage(value.lower()))
        except ValueError:
            names = ", ".join(s.value for s in Stage)
            raise UserFacingError(f"{value!r} is not a stage; use one of {names}.") from None
    if kind is RuleKind.COMPANY_CONTAINS:
        return Filter("instr(lower(c.org), lower(?)) > 0", (value,))
    if kind is RuleKind.CITY_IS:
        return Filter(
            "EXISTS (SELECT 1 FROM json_each(c.data, '$.addresses') a "
            "WHERE lower(trim(json_extract(a.value, '$.city'))) = lower(?))",
            (value,),
        )
    if kind is RuleKind.BIRTHDAY_THIS_MONTH:
        # Birthdays are 'YYYY-MM-DD' or '--MM-DD': the month is the fifth and fourth from last.
        return Filter("substr(c.birthday, -5, 2) = ?", (f"{today.month:02d}",))
    if kind is RuleKind.NOT_CONTACTED_DAYS:
        cutoff = (today - timedelta(days=_number(rule))).isoformat()
        return Filter("(c.last_contacted IS NULL OR c.last_contacted < ?)", (cutoff,))
    if kind is RuleKind.MISSING_EMAIL:
        return Filter(_NO_EMAIL)
    if kind is RuleKind.MISSING_PHONE:
        return Filter(_NO_PHONE)
    return Filter("c.import_op = ?", (_number(rule),))


def rules_filter(rules: Sequence[Rule], today: date) -> Filter:
    """The SQL condition that every rule holds (all contacts when there is none)."""
    parts = [rule_filter(r, today) for r in rules]
    if not parts:
        return Filter("1")
    sql = " AND ".join(f"({p.sql})" for p in parts)
    return Filter(sql, tuple(x for p in parts for x in p.params))


def rules_to_json(rules: Sequence[Rule]) -> str:
    """The stored form of a segment's rules."""
    return json.dumps([{"kind": r.kind.value, "value": r.value} for r in rules])


def rules_from_json(text: str) -> list[Rule]:
    """Rules from their stored form; a rule of a kind this version does not know is dropped."""
    rules = []
    for item in json.loads(text or "[]"):
        try:
            rules.append(Rule(RuleKind(item["kind"]), str(item.get("value", ""))))
        except (ValueError, KeyError, TypeError):
            continue
    return rules


class SegmentService:
    """Saved smart segments, and counts for any list of queries.

    Args:
        db: the open database.
        clock: the clock whose day date rules count from (tests pass a `FixedClock`).
    """

    def __init__(self, db: Database, clock: Clock = SYSTEM_CLOCK) -> None:
        self._db = db
        self._clock = clock
        self._today = clock.today

    def due_filter(self) -> Filter:
        """The "Due" segment's condition: contacts with a reminder due soon or overdue."""
        # Imported here: the reminder services build on this module (its rules).
        from app.core.services.reminders import ReminderService  # noqa: PLC0415

        return ReminderService(self._db, self._clock).due_filter()

    def smart_segments(self) -> list[SmartSegment]:
        """Every saved segment, in the user's order."""
        with self._db.read() as conn:
            stored = segments_repo.all_segments(conn)
        return [SmartSegment(s.name, rules_from_json(s.rules), s.id) for s in stored]

    def save(self, segment: SmartSegment) -> SmartSegment:
        """Store a new segment or replace a saved one, after checking its rules.

        Raises:
            UserFacingError: the name is empty or a rule is not valid.
        """
        name = segment.name.strip()
        if not name:
            raise UserFacingError("A smart segment needs a name.")
        rules_filter(segment.rules, self._today())
        text = rules_to_json(segment.rules)
        with self._db.write() as conn:
            if segment.id is None:
                new_id = segments_repo.insert(conn, name, text)
            else:
                segments_repo.update(conn, segment.id, name, text)
                new_id = segment.id
        return SmartSegment(name, list(segment.rules), new_id)

    def delete(self, segment_id: int) -> None:
        """Remove a saved segment."""
        with self._db.write() as conn:
            segments_repo.delete(conn, segment_id)

    def filter_for(self, segment: SmartSegment) -> Filter:
        """The SQL condition of a saved segment, for a ListQuery."""
        return rules_filter(segment.rules, self._today())

    def recent_imports(self, limit: int = 5) -> list[ImportRecordInfo]:
        """The latest imports that are not undone, newest first."""
        with self._db.read() as conn:
            return segments_repo.recent_imports(conn, limit)

    def counts(self, queries: Sequence[ListQuery]) -> list[int]:
        """How many contacts each query selects.

        One short transaction per count: every transaction holds the database's lock (the
        engine begins them IMMEDIATE), and the list's queries must not wait behind all of them.
        """
        found = []
        for query in queries:
            with self._db.read() as conn:
                found.append(search.count(conn, query))
        return found
