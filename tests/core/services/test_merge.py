"""Merging contacts on a real encrypted database: choices, the union, one undo, restarts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from faker import Faker

from app.core.clock import FixedClock
from app.core.domain.contact import Address, Contact, Email, Event, Name, Phone, Stage, Url
from app.core.domain.dates import PartialDate
from app.core.domain.merge import SINGLE_FIELDS, MergePlan
from app.core.errors import UserFacingError
from app.core.services import importer
from app.core.services.contacts import ContactService
from app.core.services.merge import MergeService
from app.core.services.reminders import ReminderService
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.search import ListQuery
from app.core.tasks import Cancelled, TaskControl
from tests.conftest import PASSPHRASE, make_contact
from tests.integration.store_helpers import write_vcards

CLOCK = FixedClock(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))


def _bob() -> Contact:
    return Contact(
        name=Name(given="Bob", family="Smith"),
        emails=[Email("Bob.Smith@Example.org", "work")],
        phones=[Phone("+44 7911 123456", label="mobile")],
        addresses=[Address("home", "1 High St", "Leeds", "", "LS1 1AA", "UK")],
        urls=[Url("https://bob.example.org/")],
        tags=["client"],
        notes="Met at the fair, call in May",
        custom={"Referred by": "Ann"},
        events=[Event("met", PartialDate(2020, 5, 1))],
        extra_vcard=["X-SOCIAL;TYPE=x:bobsmith"],
        stage=Stage.CLIENT,
    )


def _robert() -> Contact:
    return Contact(
        name=Name(given="Robert", middle="J", family="Smith"),
        nickname="Bob",
        emails=[Email("bob.smith@example.org"), Email("rob@home.example")],
        phones=[Phone("07911 123456"), Phone("+44 20 7946 0958", label="work")],
        addresses=[Address("", "1 high st", "LEEDS", "", "ls1 1aa", "uk")],
        urls=[Url("https://bob.example.org")],
        org="Smith & Co",
        birthday=PartialDate(1980, 2, 29),
        tags=["Client", "golf"],
        notes="Prefers email",
        custom={"Referred by": "Carol", "Shoe": "44"},
        events=[
            Event("Met", PartialDate(2020, 5, 1)),
            Event("contract ends", PartialDate(2027, 1, 1)),
        ],
        extra_vcard=["X-SOCIAL;TYPE=x:bobsmith", "X-ANDROID-CUSTOM:vnd.x"],
        favourite=True,
    )


def _add(db: Database, *contacts: Contact) -> list[int]:
    service = ContactService(db, "GB", CLOCK)
    return [service.add(c).added[0] for c in contacts]


def test_merge_keeps_the_survivor_its_values_and_every_item_once(db: Database) -> None:
    bob, robert = _add(db, _bob(), _robert())
    change = MergeService(db, CLOCK).merge([robert, bob])
    assert change.changed == (bob,) and change.removed == (robert,)
    assert change.label == "Merge 2 contacts into Bob Smith"
    service = ContactService(db, "GB", CLOCK)
    assert service.get(robert) is None
    merged = service.get(bob)
    assert merged is not None
    assert merged.name == Name(given="Bob", family="Smith")  # the survivor's filled value
    assert merged.nickname == "Bob" and merged.org == "Smith & Co"  # else the first filled one
    assert merged.birthday == PartialDate(1980, 2, 29) and merged.favourite
    assert merged.stage is Stage.CLIENT
    # Each item once by its normalised value; a label missing is filled from the duplicate.
    assert [e.value for e in merged.emails] == ["Bob.Smith@Example.org", "rob@home.example"]
    assert [(p.e164, p.label) for p in merged.phones] == [
        ("+447911123456", "mobile"),
        ("+442079460958", "work"),
    ]
    assert len(merged.addresses) == 1 and len(merged.urls) == 1
    assert merged.tags == ["client", "golf"]
    assert [e.label for e in merged.events] == ["met", "contract ends"]
    assert merged.extra_vcard == ["X-SOCIAL;TYPE=x:bobsmith", "X-ANDROID-CUSTOM:vnd.x"]
    assert merged.notes == "Met at the fair, call in May\n\nPrefers email"
    assert merged.custom == {"Referred by": "Ann", "Referred by (2)": "Carol", "Shoe": "44"}
    assert service.count(ListQuery()) == 1
    assert service.ids(ListQuery(text="rob@home")) == [bob]  # the search index follows


def test_a_chosen_survivor_and_chosen_values_win(db: Database) -> None:
    bob, robert = _add(db, _bob(), _robert())
    merger = MergeService(db, CLOCK)
    plan = merger.plan([bob, robert], survivor_id=robert)
    assert plan.survivor_id == robert and "name" in plan.conflicts()
    preview = merger.preview([bob, robert], robert, {"name": bob, "stage": robert})
    assert preview.id == robert and preview.name.given == "Bob" and preview.stage is None
    change = merger.merge([bob, robert], robert, {"name": bob, "stage": robert})
    stored = ContactService(db, "GB", CLOCK).get(robert)
    assert change.removed == (bob,)
    preview.updated_at = stored.updated_at if stored else None
    assert stored == preview  # the preview is what was saved


def test_undo_restores_every_contact_exactly_even_after_a_restart(
    db: Database, db_path: Path, fake: Faker
) -> None:
    ids = _add(db, *(make_contact(fake, n) for n in range(4)))
    service = ContactService(db, "GB", CLOCK)
    before = service.get_many(ids)
    MergeService(db, CLOCK).merge(ids[:3])
    assert service.count(ListQuery()) == 2
    db.close()
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        service = ContactService(db, "GB", CLOCK)
        assert service.undo_label() == f"Merge 3 contacts into {before[0].display_name}"
        undone = service.undo()
        assert undone is not None and set(undone.changed) == set(ids[:3])
        assert service.get_many(ids) == before
        assert sorted(t for t, _ in service.tag_counts()) == ["client", "friend", "met-2024"]
        service.redo()
        assert service.count(ListQuery()) == 2 and service.get(ids[1]) is None
    finally:
        db.close()


def test_bulk_merge_is_one_operation_that_one_undo_takes_back(db: Database, fake: Faker) -> None:
    ids = _add(db, *(make_contact(fake, n) for n in range(6)))
    service = ContactService(db, "GB", CLOCK)
    before = service.get_many(ids)
    steps: list[tuple[int, int]] = []
    change = MergeService(db, CLOCK).merge_groups(
        [ids[0:2], ids[2:5]], control=TaskControl(lambda d, t: steps.append((d, t)))
    )
    assert change.label == "Merge 2 groups of duplicates" and steps[-1] == (2, 2)
    assert change.changed == (ids[0], ids[2]) and change.removed == (ids[1], ids[3], ids[4])
    assert service.count(ListQuery()) == 3
    service.undo()
    assert service.get_many(ids) == before


def test_a_cancelled_bulk_merge_writes_nothing(db: Database, fake: Faker) -> None:
    ids = _add(db, *(make_contact(fake, n) for n in range(4)))
    control = TaskControl()
    control.cancel()
    with pytest.raises(Cancelled):
        MergeService(db, CLOCK).merge_groups([ids[0:2], ids[2:4]], control=control)
    service = ContactService(db, "GB", CLOCK)
    assert service.count(ListQuery()) == 4 and service.undo_label() == f"Add {_name(db, ids[3])}"


def _name(db: Database, cid: int) -> str:
    contact = ContactService(db, "GB", CLOCK).get(cid)
    assert contact is not None
    return contact.display_name


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (lambda a, b, t: [a], "two or more"),
        (lambda a, b, t: [a, a], "two or more"),
        (lambda a, b, t: [a, 999], "No contact with id 999"),
        (lambda a, b, t: [a, t], "in the trash"),
    ],
)
def test_merges_that_cannot_be_done_say_why(db: Database, ids: object, message: str) -> None:
    a, b, trashed = _add(db, _bob(), _robert(), Contact(name=Name(given="Gone")))
    ContactService(db, "GB", CLOCK).delete([trashed])
    with pytest.raises(UserFacingError, match=message):
        MergeService(db, CLOCK).merge(ids(a, b, trashed))  # type: ignore[operator]
    with pytest.raises(UserFacingError, match="two of the groups"):
        MergeService(db, CLOCK).merge_groups([[a, b], [b, trashed]])


def test_single_fields_are_derived_from_the_dataclass() -> None:
    assert {"name", "nickname", "org", "birthday", "photo", "stage", "favourite"} <= set(
        SINGLE_FIELDS
    )
    assert not {"id", "uid", "emails", "tags", "custom", "notes", "photo_mime"} & set(SINGLE_FIELDS)


def test_the_photo_type_follows_the_chosen_photo() -> None:
    a = Contact(id=1, name=Name(given="A"), photo=b"png", photo_mime="image/png")
    b = Contact(id=2, name=Name(given="A"), photo=b"jpg", photo_mime="image/jpeg")
    merged = MergePlan.default([a, b]).choose("photo", 2).result()
    assert (merged.photo, merged.photo_mime) == (b"jpg", "image/jpeg")


def test_the_result_shares_nothing_that_changes_with_the_contacts_merged() -> None:
    a, b = _bob(), _robert()
    a.id, b.id = 1, 2
    before = (repr(a), repr(b))
    merged = MergePlan.default([a, b]).choose("name", 2).result()
    merged.name.given = "Changed"
    merged.emails[0].value = "changed@example.org"
    merged.addresses[0].street = "changed"
    merged.tags.append("changed")
    merged.custom["changed"] = "yes"
    merged.events[0].label = "changed"
    assert (repr(a), repr(b)) == before


def test_merged_contacts_stay_in_their_import_segments_through_undo_and_redo(
    db: Database, tmp_path: Path
) -> None:
    cards = tmp_path / "cards.vcf"
    write_vcards(cards, 4)
    _, first = importer.run(db, cards, region="GB")
    _, second = importer.run(db, cards, region="GB", on_match=importer.OnMatch.CREATE)
    assert first.operation_id is not None and second.operation_id is not None
    one, two = ListQuery(import_op=first.operation_id), ListQuery(import_op=second.operation_id)
    service = ContactService(db, "GB", CLOCK)
    a, b = service.ids(one)[0], service.ids(two)[0]
    MergeService(db, CLOCK).merge([a, b])
    assert a in service.ids(one) and b not in service.ids(two)  # the survivor keeps its import
    service.undo()
    assert a in service.ids(one) and b in service.ids(two)  # and the other is back in its own
    service.redo()
    service.undo()
    assert b in service.ids(two)


def test_a_follow_up_of_a_contact_merged_away_goes_to_the_survivor(db: Database) -> None:
    bob, robert = _add(db, _bob(), _robert())
    reminders = ReminderService(db, CLOCK, UTC)
    reminders.follow_up(robert, date(2026, 12, 3), "send the quote")
    MergeService(db, CLOCK).merge([bob, robert], survivor_id=bob)
    due = reminders.due(7)
    assert [(r.contact_id, r.kind.value) for r in due if "quote" in r.label] == [(bob, "follow-up")]
