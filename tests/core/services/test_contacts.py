"""Contact use cases on a real encrypted database: changes, the journal, undo across restarts."""

from pathlib import Path

import pytest
from faker import Faker

from app.core.domain.contact import PHOTO_MAX_BYTES, Contact, Email, Name, Phone, Stage
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
