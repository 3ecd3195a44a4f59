"""The clock is injected: changes made at a chosen date store exactly that date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from faker import Faker

from app.core.clock import FixedClock, SystemClock
from app.core.services import importer
from app.core.services.contacts import ContactService
from app.core.storage import journal
from app.core.storage.backup import default_backup_path
from app.core.storage.database import Database
from tests.conftest import make_contact

LEAP_EVE = datetime(2031, 2, 28, 23, 59, 58, tzinfo=UTC)
LATER = datetime(2031, 3, 1, 0, 0, 7, tzinfo=UTC)


def last_operation_time(db: Database) -> str:
    with db.read() as conn:
        op = journal.last_done(conn)
    assert op is not None
    return op.created_at


def test_fixed_clock_is_utc_to_the_second() -> None:
    clock = FixedClock(datetime(2031, 2, 28, 12, 0, 0, 999_999))
    assert clock.now() == datetime(2031, 2, 28, 12, tzinfo=UTC)
    assert clock.today() == date(2031, 2, 28)
    assert FixedClock(LEAP_EVE, day=date(2031, 3, 1)).today() == date(2031, 3, 1)
    system = SystemClock().now()
    assert system.tzinfo is UTC and system.microsecond == 0


def test_add_and_edit_store_the_clocks_time(db: Database, fake: Faker) -> None:
    clock = FixedClock(LEAP_EVE)
    service = ContactService(db, "GB", clock=clock)
    cid = service.add(make_contact(fake, 1)).added[0]
    stored = service.get(cid)
    assert stored is not None
    assert (stored.created_at, stored.updated_at) == (LEAP_EVE, LEAP_EVE)
    assert last_operation_time(db) == LEAP_EVE.isoformat()

    clock.set(LATER)
    stored.name.given = "Renamed"
    service.update(stored)
    edited = service.get(cid)
    assert edited is not None
    assert (edited.created_at, edited.updated_at) == (LEAP_EVE, LATER)
    assert last_operation_time(db) == LATER.isoformat()

    clock.set(LEAP_EVE.replace(hour=1))
    service.delete([cid])
    deleted = service.get(cid)
    assert deleted is not None and deleted.deleted_at == LEAP_EVE.replace(hour=1)


def test_import_stores_the_clocks_time(db: Database, tmp_path: Path) -> None:
    card = tmp_path / "two.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Example\r\nN:Example;Ada;;;\r\n"
        "EMAIL:ada@example.org\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Sample\r\nN:Sample;Bo;;;\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    _, result = importer.run(db, card, region="GB", clock=FixedClock(LEAP_EVE))
    assert result.created == 2
    service = ContactService(db)
    for contact in service.get_many(list(result.change.added)):
        assert (contact.created_at, contact.updated_at) == (LEAP_EVE, LEAP_EVE)
    assert last_operation_time(db) == LEAP_EVE.isoformat()

    again = card.with_name("again.vcf")
    again.write_text(card.read_text(encoding="utf-8").replace("Ada Example", "Ada X"))
    plan = importer.preview(db, again, region="GB")
    committed = importer.commit(db, plan, importer.OnMatch.CREATE, clock=FixedClock(LATER))
    for contact in service.get_many(list(committed.change.added)):
        assert (contact.created_at, contact.updated_at) == (LATER, LATER)
    assert last_operation_time(db) == LATER.isoformat()


def test_backup_names_carry_the_clocks_time(tmp_path: Path) -> None:
    path = default_backup_path(tmp_path / "kith.db", clock=FixedClock(LEAP_EVE))
    assert path.name == "kith.db.backup-20310228-235958"
