"""The incremental duplicate check: a few contacts just added or edited, against the rest.

A scan weighs every pair with the model it learnt from the whole address book, and weighs an
exact agreement by how many contacts share the value (a rare surname says more than "Smith").
A check must answer in milliseconds, so it cannot count every value; it counts only the values
of the contacts it checks, through indexed queries (the phone and email tables, the search
index for names), and weighs them with the last scan's model (else the typical weights, with
the prior for this many contacts). So a check scores a pair as a scan would, and two
strangers who share only a common name are not reported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection

from app.core.dedupe.batch import Batch
from app.core.dedupe.levels import Field, compare_records
from app.core.dedupe.model import MatchModel, default_model
from app.core.dedupe.reasons import reasons
from app.core.dedupe.record import Record, to_record
from app.core.domain.contact import Contact
from app.core.domain.normalise import fold

CHECK_SHARED_LIMIT = 12
"""A phone or email held by more contacts than this (a switchboard, "info@") finds no
candidates in a check, as in a scan's blocking (`app.core.dedupe.blocking.CONTACT_LIMIT`)."""
CHECK_NAME_LIMIT = 60
"""A family name alone finds candidates only when this few contacts bear it (a scan's
`BLOCK_LIMIT`); a commoner one needs the start of the given name too."""
_CHECK_NAME_ROWS = 200
_WORD = re.compile(r"[^\W_]+")


def weights(conn: Connection, learnt: MatchModel | None) -> tuple[MatchModel, int]:
    """A model to weigh a check with (the last scan's weights, else the typical ones for this
    many contacts), with no value counted yet; and the number of live contacts."""
    live = int(conn.exec_driver_sql("SELECT count(*) FROM contacts WHERE deleted_at IS NULL")
               .scalar_one())  # fmt: skip
    base = learnt or default_model(live)
    return MatchModel(dict(base.m), dict(base.u), base.prior, base.household), live


def count_values(conn: Connection, model: MatchModel, record: Record, live: int) -> None:
    """Count, among live contacts, the names, phones and emails of `record` into `model`.

    The counts are what a scan's term frequencies would hold for these values, near enough:
    a name is counted by the search index (a word anywhere in the name), a phone by its E.164
    form. Birthdays, addresses and organisations are not counted: their levels' own weights
    apply, as for any value nobody counted. `live` stands for how many hold each field.
    """
    names = ((Field.GIVEN, record.given), (Field.FAMILY, record.family))
    for field, name in names:
        if name and name not in model.counts.get(field, {}):
            words = _words(name)
            if words:
                found = conn.exec_driver_sql(
                    "SELECT count(*) FROM contact_fts f JOIN contacts c ON c.id = f.rowid "
                    "WHERE contact_fts MATCH ? AND c.deleted_at IS NULL",
                    (_all_of(words),),
                ).scalar_one()
                _count(model, field, name, int(found), live)
    for key in record.phones:
        e164 = record.phone(key).e164
        if e164:
            _count(model, Field.PHONE, key, _holders(conn, "contact_phones", "e164", e164), live)
    for email in record.emails:
        _count(model, Field.EMAIL, email, _holders(conn, "contact_emails", "email", email), live)


def _count(model: MatchModel, field: Field, value: str, holders: int, live: int) -> None:
    if holders:
        model.counts.setdefault(field, Counter())[value] = holders
        model.present[field] = live


def _holders(conn: Connection, table: str, column: str, value: str) -> int:
    return int(
        conn.exec_driver_sql(
            f"SELECT count(DISTINCT t.contact_id) FROM {table} t "  # our own table names
            "JOIN contacts c ON c.id = t.contact_id "
            f"WHERE t.{column} = ? AND c.deleted_at IS NULL",
            (value,),
        ).scalar_one()
    )


def score(
    model: MatchModel, contact: Contact, others: Sequence[Contact], floor: float
) -> list[tuple[int, float, tuple[str, ...]]]:
    """Those of `others` (stored contacts) that are `contact` with a probability of `floor` or
    more: their ids, the probabilities and the reasons in words.

    Weighed in one batch: a common name can bring two hundred candidates, and weighing them
    one at a time (numpy on one row each) took 35 ms of a check.
    """
    if not others:
        return []
    mine = to_record(contact, -1)
    theirs = [to_record(other, -2) for other in others]
    compared = [compare_records(mine, record) for record in theirs]
    batch = Batch.of([c.levels for c in compared], [model.rarities(c) for c in compared])
    probabilities = model.probabilities(batch).tolist()
    return [
        (other.id, p, reasons(mine, record, c))
        for other, record, c, p in zip(others, theirs, compared, probabilities, strict=True)
        if other.id is not None and p >= floor
    ]


def candidates(conn: Connection, contact: Contact) -> set[int]:
    """Contacts worth comparing with `contact`: sharing a phone, an email or the name."""
    assert contact.id is not None
    found = _shared(conn, "contact_phones", "e164", contact.id)
    found |= _shared(conn, "contact_emails", "email", contact.id)
    found |= _by_name(conn, contact)
    found.discard(contact.id)
    return found


def _words(text: str) -> list[str]:
    """The words of `text` as the search index holds them (folded, letters and digits)."""
    return _WORD.findall(fold(text))


def _shared(conn: Connection, table: str, column: str, contact_id: int) -> set[int]:
    """Other contacts holding one of this contact's values, skipping values held widely."""
    rows = conn.exec_driver_sql(
        f"SELECT b.{column}, b.contact_id FROM {table} a "  # our own table names
        f"JOIN {table} b ON b.{column} = a.{column} "
        "WHERE a.contact_id = ? AND b.contact_id != ?",
        (contact_id, contact_id),
    ).all()
    by_value: dict[str, set[int]] = {}
    for value, other in rows:
        by_value.setdefault(str(value), set()).add(int(other))
    return {
        i for members in by_value.values() if len(members) < CHECK_SHARED_LIMIT for i in members
    }


def _fts_ids(conn: Connection, match: str, limit: int) -> list[int]:
    rows = conn.exec_driver_sql(
        "SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? LIMIT ?", (match, limit)
    )
    return [int(r[0]) for r in rows]


def _all_of(words: Iterable[str]) -> str:
    return " AND ".join(f'name:"{w}"' for w in words)


def _by_name(conn: Connection, contact: Contact) -> set[int]:
    """Contacts whose name holds this one's family name (and given name's start if common)."""
    given, family = _words(contact.name.given), _words(contact.name.family)
    if not family:  # one name only: it must be rare to say anything
        family, given = given, []
    if not family:
        return set()
    same_family = _fts_ids(conn, _all_of(family), CHECK_NAME_LIMIT + 1)
    if len(same_family) <= CHECK_NAME_LIMIT:
        return set(same_family)
    if not given:
        return set()
    # A typo further on, a swapped order, or a short form ("Rob" for "Robert") still meets.
    start = f'name:"{given[0][:2]}"*'
    return set(_fts_ids(conn, f"{_all_of(family)} AND {start}", _CHECK_NAME_ROWS))
