"""The duplicates review: decided pairs never shown again, decisions undone, bulk merge."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.clock import FixedClock
from app.core.domain.contact import Contact, Email, Name
from app.core.domain.normalise import normalise_email
from app.core.errors import UserFacingError
from app.core.services.contacts import ContactService
from app.core.services.dedupe import DUPLICATES, DedupeService
from app.core.storage import migrate
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.search import ListQuery
from app.core.tasks import TaskControl
from tests.conftest import PASSPHRASE

CLOCK = FixedClock(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))


@dataclass(frozen=True)
class _Group:
    ids: tuple[int, ...]
    score: float
    reasons: tuple[str, ...]


def same_email(contacts: list[Contact], control: TaskControl) -> Sequence[_Group]:
    """A plain matcher for these tests: contacts sharing their first email are one group."""
    by_email: dict[str, list[int]] = {}
    for c in contacts:
        if c.emails and c.id is not None:
            by_email.setdefault(normalise_email(c.emails[0].value), []).append(c.id)
    return [
        _Group(tuple(ids), 0.5 + len(ids) / 10, (f"same email {email}",))
        for email, ids in by_email.items()
        if len(ids) > 1
    ]


def _people(db: Database, *spec: tuple[str, str]) -> list[int]:
    service = ContactService(db, "GB", CLOCK)
    return [
        service.add(Contact(name=Name(given=given), emails=[Email(email)])).added[0]
        for given, email in spec
    ]


def test_groups_come_best_first_with_their_reasons(db: Database) -> None:
    a, b, c, d, e = _people(
        db, ("Ann", "ann@x.org"), ("Anne", "ANN@x.org"), ("Bo", "bo@x.org"),
        ("Bob", "bo@x.org"), ("Bobby", "bo@x.org"),
    )  # fmt: skip
    ContactService(db, "GB", CLOCK).delete([e])  # the trash is not scanned
    service = DedupeService(db, CLOCK, scan=same_email)
    groups = service.groups()
    assert [(g.ids, g.score, g.reasons) for g in groups] == [
        ((a, b), 0.7, ("same email ann@x.org",)),
        ((c, d), 0.7, ("same email bo@x.org",)),
    ]
    assert service.groups(min_score=0.8) == []


def test_not_duplicates_are_never_shown_again_until_the_decision_is_forgotten(
    db: Database, db_path: Path
) -> None:
    a, b, c, d = _people(
        db, ("Ann", "ann@x.org"), ("Anne", "ann@x.org"), ("Annie", "ann@x.org"), ("Bo", "bo@x.org")
    )
    service = DedupeService(db, CLOCK, scan=same_email)
    assert [g.ids for g in service.groups()] == [(a, b, c)]
    change = service.mark_not_duplicates([c, a])
    assert change.segments == frozenset({DUPLICATES})
    # a and c are different people: the group splits, and c alone is not shown.
    assert [g.ids for g in service.groups()] == [(a, b)]
    service.mark_not_duplicates([a, b])
    assert [g.ids for g in service.groups()] == [(b, c)]  # never said of these two
    service.mark_not_duplicates([b, c])
    assert service.groups() == []
    db.close()
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))  # remembered in the store
    try:
        service = DedupeService(db, CLOCK, scan=same_email)
        assert service.groups() == []
        assert [d.ids for d in service.decisions()] == [(b, c), (a, b), (a, c)]
        assert service.decisions()[0].created_at == CLOCK.now()
        assert service.mark_not_duplicates([b, a]).segments is None  # decided already
        forgotten = service.forget_decision()  # the newest: b and c
        assert forgotten.label == "Forget not duplicates: 2 contacts"
        assert [g.ids for g in service.groups()] == [(b, c)]
        service.forget_decision(service.decisions()[0].id)  # a and b
        service.forget_decision(service.decisions()[0].id)  # a and c
        assert [g.ids for g in service.groups()] == [(a, b, c)]
        assert service.forget_decision().label == "Nothing to forget"
        with pytest.raises(UserFacingError, match="two or more"):
            service.mark_not_duplicates([a, a])
        with pytest.raises(UserFacingError, match="No contact with id 999"):
            service.mark_not_duplicates([a, 999])
        assert d not in {i for g in service.groups() for i in g.ids}
    finally:
        db.close()


def test_merge_above_a_score_is_one_operation_with_one_undo(db: Database) -> None:
    ids = _people(
        db, ("Ann", "ann@x.org"), ("Anne", "ann@x.org"), ("Bo", "bo@x.org"), ("Bob", "bo@x.org"),
        ("Bobby", "bo@x.org"), ("Cy", "cy@x.org"),
    )  # fmt: skip
    contacts = ContactService(db, "GB", CLOCK)
    before = contacts.get_many(ids)
    service = DedupeService(db, CLOCK, scan=same_email)
    change = service.merge_above(0.8)  # only the group of three scores 0.8
    assert change.changed == (ids[2],) and change.removed == (ids[3], ids[4])
    assert contacts.count(ListQuery()) == 4
    service.merge_above(0.0)
    assert contacts.count(ListQuery()) == 3 and service.groups() == []
    contacts.undo()
    contacts.undo()
    assert contacts.get_many(ids) == before


def test_an_older_database_gains_the_decisions_table(db: Database, db_path: Path) -> None:
    with db.write() as conn:  # what 0003's Kith had
        conn.exec_driver_sql("DROP TABLE not_duplicates")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0003'")
    a, b = _people(db, ("Ann", "ann@x.org"), ("Anne", "ann@x.org"))
    db.close()
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        with db.read() as conn:
            assert migrate.stored_revision(conn) == migrate.SCHEMA_HEAD
        service = DedupeService(db, CLOCK, scan=same_email)
        service.mark_not_duplicates([a, b])
        assert service.groups() == []
    finally:
        db.close()


def test_the_matcher_takes_the_contacts_as_a_stream_and_leaves_no_caches_behind(
    db: Database,
) -> None:
    """A scan never holds every whole contact at once, and frees what it normalised.

    (bench/bench_scan_responsive.py weighs both: the scan's peak memory, and the collector's
    stall when it walks what a scan left behind.)
    """
    ids = _people(db, ("Ann", "ann@x.org"), ("Anne", "ann@x.org"), ("Bo", "bo@x.org"))
    seen: list[int | None] = []

    def streamed(contacts: Iterable[Contact], control: TaskControl) -> Sequence[_Group]:
        assert isinstance(contacts, Iterator)  # read as the matcher goes, not a list
        seen.extend(c.id for c in contacts)
        return []

    DedupeService(db, CLOCK, scan=streamed).groups()
    assert seen == ids

    from app.core.dedupe.names import name_tokens  # noqa: PLC0415 - the real matcher's cache

    assert [g.ids for g in DedupeService(db, CLOCK).groups()] == [tuple(ids[:2])]
    assert name_tokens.cache_info().currsize == 0
