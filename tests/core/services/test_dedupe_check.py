"""The incremental check: a new or edited contact meets its likely duplicates at once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from faker import Faker

from app.core.clock import FixedClock
from app.core.dedupe.model import default_model, weights_from_json, weights_to_json
from app.core.domain.contact import Contact, Email, Name, Phone
from app.core.domain.dates import PartialDate
from app.core.services.contacts import ContactService
from app.core.services.dedupe import DedupeService
from app.core.services.dedupe_check import CHECK_NAME_LIMIT
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from tests.conftest import PASSPHRASE

CLOCK = FixedClock(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))


def _add(db: Database, *contacts: Contact) -> list[int]:
    service = ContactService(db, "GB", CLOCK)
    return [service.add(c).added[0] for c in contacts]


def _crowd(db: Database, fake: Faker, count: int, family: str | None = None) -> None:
    """Strangers (generated), so that a check has others to pass over."""
    fake.seed_instance(7)
    people = [
        Contact(
            name=Name(given=fake.first_name(), family=family or fake.last_name()),
            emails=[Email(f"person{n}@{fake.free_email_domain()}")],
            phones=[Phone(f"+44 20 7946 {n:04d}")],
            birthday=PartialDate(1950 + n % 50, 1 + n % 12, 1 + n % 28),
        )
        for n in range(count)
    ]
    _add(db, *people)


def test_a_shared_email_and_a_similar_name_is_found_with_its_reason(
    db: Database, fake: Faker
) -> None:
    _crowd(db, fake, 30)
    ann, other = _add(
        db,
        Contact(name=Name(given="Ann", family="Leeworth"), emails=[Email("ann.l@example.org")]),
        Contact(name=Name(given="Ann", family="Quarrie"), emails=[Email("aq@example.org")]),
    )
    (anne,) = _add(
        db,
        Contact(name=Name(given="Anne", family="Leeworth"), emails=[Email("ANN.L@example.org")]),
    )
    found = DedupeService(db, CLOCK).check([anne])
    assert [g.ids for g in found] == [(ann, anne)]
    assert any("ann.l@example.org" in r for r in found[0].reasons)
    assert other not in found[0].ids


def test_a_phone_written_differently_is_shared_through_its_e164_form(db: Database) -> None:
    (first,) = _add(
        db, Contact(name=Name(given="Robert", family="Okonkwo"), phones=[Phone("+44 7700 900123")])
    )
    (second,) = _add(
        db, Contact(name=Name(given="Bob", family="Okonkwo"), phones=[Phone("07700 900123")])
    )
    found = DedupeService(db, CLOCK).check([second])
    assert [g.ids for g in found] == [(first, second)]
    assert found[0].score >= 0.5


def test_a_common_family_name_still_meets_a_typo_in_the_given_name(
    db: Database, fake: Faker
) -> None:
    _crowd(db, fake, CHECK_NAME_LIMIT + 20, family="Smith")
    (jonathan,) = _add(
        db,
        Contact(
            name=Name(given="Jonathan", family="Smith"),
            birthday=PartialDate(1981, 4, 17),
            emails=[Email("jon.smith@example.com")],
        ),
    )
    (jonathon,) = _add(
        db,
        Contact(
            name=Name(given="Jonathon", family="Smith"),
            birthday=PartialDate(1981, 4, 17),
            emails=[Email("j.smith81@example.net")],
        ),
    )
    found = DedupeService(db, CLOCK).check([jonathon])
    assert [g.ids for g in found] == [(jonathan, jonathon)]


def test_two_john_smiths_with_different_phones_and_birthdays_are_not_duplicates(
    db: Database,
) -> None:
    _add(
        db,
        Contact(
            name=Name(given="John", family="Smith"),
            phones=[Phone("+44 7700 900001")],
            birthday=PartialDate(1960, 2, 3),
        ),
    )
    (second,) = _add(
        db,
        Contact(
            name=Name(given="John", family="Smith"),
            phones=[Phone("+44 7700 900777")],
            birthday=PartialDate(1991, 9, 30),
        ),
    )
    assert DedupeService(db, CLOCK).check([second]) == []


def test_decided_pairs_and_the_trash_are_left_out(db: Database) -> None:
    service = ContactService(db, "GB", CLOCK)
    spec = Contact(name=Name(given="Maren", family="Vashti"), emails=[Email("maren@example.org")])
    a, b, c = _add(db, spec, spec, spec)
    dedupe = DedupeService(db, CLOCK)
    assert {g.ids for g in dedupe.check([c])} == {(a, c), (b, c)}
    dedupe.mark_not_duplicates([a, c])
    assert [g.ids for g in dedupe.check([c])] == [(b, c)]
    service.delete([b])
    assert dedupe.check([c]) == []
    dedupe.forget_decision()
    assert [g.ids for g in dedupe.check([c])] == [(a, c)]


def test_checking_several_contacts_reports_each_pair_once(db: Database) -> None:
    spec = Contact(name=Name(given="Ilse", family="Brandauer"), phones=[Phone("+49 30 1234567")])
    a, b = _add(db, spec, spec)
    dedupe = DedupeService(db, CLOCK)
    assert [g.ids for g in dedupe.check([a, b, 9999])] == [(a, b)]
    assert dedupe.check([]) == []


def test_namesakes_who_share_nothing_but_a_common_name_are_not_reported(
    db: Database, fake: Faker
) -> None:
    """Five James Smiths among eighty Smiths: a sixth with only his name is nobody's double.

    (With the typical weights and no count of how common the names are, each pair scored 0.71.)
    """
    _crowd(db, fake, 80, family="Smith")
    _add(db, *(Contact(name=Name(given="James", family="Smith")) for _ in range(5)))
    (sixth,) = _add(db, Contact(name=Name(given="James", family="Smith")))
    assert DedupeService(db, CLOCK).check([sixth]) == []


def test_after_a_scan_the_check_scores_a_pair_as_the_scan_did_even_after_a_restart(
    db: Database, db_path: Path, fake: Faker
) -> None:
    _crowd(db, fake, 40)
    ann, anne = _add(
        db,
        Contact(name=Name(given="Ann", family="Leeworth"), emails=[Email("ann.l@example.org")],
                birthday=PartialDate(1980, 5, 6)),
        Contact(name=Name(given="Anne", family="Leeworth"), emails=[Email("ANN.L@example.org")]),
    )  # fmt: skip
    dedupe = DedupeService(db, CLOCK)
    (before,) = dedupe.check([anne])  # the typical weights: no scan yet
    (scanned,) = [g for g in dedupe.groups() if anne in g.ids]
    (checked,) = dedupe.check([anne])
    assert scanned.ids == checked.ids == before.ids == (ann, anne)
    assert checked.score == pytest.approx(scanned.score, abs=0.005)
    assert before.score != pytest.approx(scanned.score, abs=0.005)
    dedupe.remember_weights()
    db.close()
    reopened = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        (later,) = DedupeService(reopened, CLOCK).check([anne])
    finally:
        reopened.close()
    assert later.score == checked.score


@pytest.mark.parametrize(
    "text",
    ["", "{", "[]", '{"m": {}}', '{"m": {"given": [2.0]}, "u": {}, "prior": 0.1}'],
)
def test_stored_weights_from_another_version_are_ignored(text: str) -> None:
    assert weights_from_json(text) is None


def test_stored_weights_round_trip() -> None:
    model = default_model(5000)
    again = weights_from_json(weights_to_json(model))
    assert again is not None
    assert (again.m, again.u, again.prior, again.household) == (
        model.m, model.u, model.prior, model.household,
    )  # fmt: skip
