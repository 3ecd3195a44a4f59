"""Contact use cases on a real encrypted database: changes, the journal, undo across restarts."""

from pathlib import Path

import pytest
from faker import Faker

from app.core.domain.contact import PHOTO_MAX_BYTES, Address, Contact, Email, Name, Phone, Stage
from app.core.errors import UserFacingError
from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.search import ListQuery
from tests.conftest import PASSPHRASE, make_contact


def reopen(db: Database, path: Path) -> Database:
    db.close()
    return Database.open(path, DatabaseKey(passphrase=PASSPHRASE))


def test_add_stores_every_field_and_fills_e164(db: Database, fake: Faker) -> None:
    service = ContactService(db, "GB")
    original = make_contact(fake, 4)
    original.photo = b"\x89PNG fake"
    change = service.add(original)
    stored = service.get(change.added[0])
    assert stored is not None
    assert stored.phones[0].e164.startswith("+4420")
    original.id, original.uid = stored.id, stored.uid
    original.created_at, original.updated_at = stored.created_at, stored.updated_at
    original.phones[0].e164 = stored.phones[0].e164
    assert stored == original


def test_invalid_email_and_oversized_photo_are_refused(db: Database) -> None:
    service = ContactService(db, "US")
    with pytest.raises(UserFacingError, match="not an email"):
        service.add(Contact(name=Name(given="A"), emails=[Email("nope")]))
    with pytest.raises(UserFacingError, match="photo"):
        service.add(Contact(name=Name(given="A"), photo=bytes(PHOTO_MAX_BYTES + 1)))
    with pytest.raises(UserFacingError, match="needs a name"):
        service.add(Contact())
    assert service.count(ListQuery()) == 0


def test_edit_delete_restore_and_undo_each_survive_a_restart(
    db: Database, db_path: Path, fake: Faker
) -> None:
    service = ContactService(db, "GB")
    cid = service.add(make_contact(fake, 1)).added[0]
    contact = service.get(cid)
    assert contact is not None
    contact.name.given = "Renamed"
    contact.tags = ["vip"]
    service.update(contact)
    service.delete([cid])
    assert service.count(ListQuery()) == 0 and service.count(ListQuery(trash=True)) == 1

    db = reopen(db, db_path)
    service = ContactService(db, "GB")
    assert service.undo_label() == "Delete 1 contact"
    service.undo()  # the delete
    assert service.ids(ListQuery()) == [cid]
    db = reopen(db, db_path)
    service = ContactService(db, "GB")
    service.undo()  # the edit
    restored = service.get(cid)
    assert restored is not None and restored.name.given != "Renamed"
    assert service.tag_counts() == [("client", 1)]
    service.undo()  # the add
    assert service.get(cid) is None
    assert service.undo() is None

    service.redo()
    service.redo()
    again = service.get(cid)
    assert again is not None and again.name.given == "Renamed" and again.tags == ["vip"]
    db.close()


def test_a_new_operation_drops_the_redo_history(db: Database) -> None:
    service = ContactService(db, "US")
    service.add(Contact(name=Name(given="One")))
    service.undo()
    service.add(Contact(name=Name(given="Two")))
    assert service.redo() is None
    assert [r.display_name for r in service.rows(service.ids(ListQuery()))] == ["Two"]


def test_restore_deleted_and_bulk_tag_and_stage(db: Database, fake: Faker) -> None:
    service = ContactService(db, "GB")
    ids = [service.add(make_contact(fake, n)).added[0] for n in range(4)]
    service.delete(ids[:2])
    change = service.restore_deleted(ids[:1])
    assert change.added == (ids[0],)
    assert service.count(ListQuery()) == 3
    service.tag(ids, add=["newsletter"], remove=["client"])
    assert dict(service.tag_counts())["newsletter"] == 3
    assert "client" not in dict(service.tag_counts())
    service.set_stage(ids, Stage.LEAD)
    assert {c.stage for c in service.get_many(ids)} == {Stage.LEAD}
    service.undo()
    assert {c.stage for c in service.get_many(ids)} == {Stage.CLIENT, Stage.FRIEND}
    with pytest.raises(UserFacingError, match="No contact with id 999"):
        service.delete([999])


def test_region_setting_is_stored_with_the_data(db: Database, db_path: Path) -> None:
    ContactService(db).set_region("de")
    db = reopen(db, db_path)
    service = ContactService(db)
    assert service.region == "DE"
    cid = service.add(Contact(name=Name(given="B"), phones=[Phone("030 1234567")])).added[0]
    stored = service.get(cid)
    assert stored is not None and stored.phones[0].e164 == "+49301234567"
    with pytest.raises(UserFacingError):
        service.set_region("Germany")
    db.close()


def test_a_no_op_restore_or_delete_records_no_operation(db: Database) -> None:
    service = ContactService(db, "GB")
    ann = service.add(Contact(name=Name(given="Ann"))).added[0]
    bob = service.add(Contact(name=Name(given="Bob"))).added[0]
    service.delete([ann])
    service.undo()
    nothing = service.restore_deleted([bob])
    assert nothing.operation_id is None and nothing.ids == ()
    assert service.redo_label() == "Delete 1 contact"
    assert service.delete([bob, bob, bob]).label == "Delete 1 contact"
    assert service.delete([bob]).operation_id is None
    assert service.undo_label() == "Delete 1 contact"


@pytest.mark.parametrize(
    ("contact", "field"),
    [
        (Contact(name=Name(given="A"), emails=[Email("n\x00@example.com")]), "email"),
        (Contact(name=Name(given="A\x00B")), "given name"),
        (Contact(name=Name(family="Lee\x1b[2J")), "family name"),
        (Contact(name=Name(given="A"), org="Acme\r\nBEGIN:VCARD"), "organisation"),
        (Contact(name=Name(given="A"), notes="ok\x00"), "notes"),
        (Contact(name=Name(given="A"), tags=["a\x07"]), "tag"),
        (Contact(name=Name(given="A"), custom={"Ref": "x\x0by"}), "Ref"),
        (Contact(name=Name(given="A"), phones=[Phone("+44\x0020 7946 0958")]), "phone"),
    ],
)
def test_control_characters_are_refused_naming_the_field(
    db: Database, contact: Contact, field: str
) -> None:
    service = ContactService(db, "GB")
    with pytest.raises(UserFacingError, match=field):
        service.add(contact)
    stored = service.get(service.add(Contact(name=Name(given="Ok"))).added[0])
    assert stored is not None
    stored.name.given = "Bad\x00"
    with pytest.raises(UserFacingError, match="given name"):
        service.update(stored)


def test_lines_are_kept_in_notes_and_streets_only(db: Database) -> None:
    service = ContactService(db, "GB")
    contact = Contact(
        name=Name(given="A"),
        notes="one\r\ntwo\tthree",
        addresses=[Address(street="1 Main St\nFlat 2")],
    )
    stored = service.get(service.add(contact).added[0])
    assert stored is not None
    assert stored.notes == "one\ntwo\tthree" and stored.addresses[0].street == "1 Main St\nFlat 2"
    with pytest.raises(UserFacingError, match="city"):
        service.add(Contact(name=Name(given="A"), addresses=[Address(city="X\nY")]))


def test_regions_are_checked(db: Database) -> None:
    service = ContactService(db)
    assert service.set_region("uk") == ("GB", service.set_region("uk")[1])
    assert service.region == "GB"
    with pytest.raises(UserFacingError, match="country code"):
        service.set_region("XX")
    with pytest.raises(UserFacingError, match="country code"):
        ContactService(db, "ZZ")


def test_a_control_character_already_stored_does_not_block_other_edits(db: Database) -> None:
    service = ContactService(db, "GB")
    contact_id = service.add(Contact(name=Name(given="Ann"), title="Owner")).added[0]
    with db.write() as conn:  # as an older import stored it
        conn.exec_driver_sql(
            "UPDATE contacts SET title = ?, data = replace(data, 'Owner', ?) WHERE id = ?",
            ("Owner\x0bLead", "Owner\\u000bLead", contact_id),
        )
    stored = service.get(contact_id)
    assert stored is not None and stored.title == "Owner\x0bLead"
    stored.org = "Acme"
    service.update(stored)
    stored.name.family = "Lee\x00"
    with pytest.raises(UserFacingError, match="family name"):
        service.update(stored)
