"""ReminderService on a real database: time zones, DST, notified once, missed while closed,
snooze, done, follow-ups, keep-in-touch and the settings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.core.clock import FixedClock
from app.core.domain.contact import Contact, Name
from app.core.domain.dates import PartialDate
from app.core.domain.interaction import Cadence, InteractionKind
from app.core.errors import UserFacingError
from app.core.reminders.model import Feb29Rule, ReminderKind, ReminderSettings
from app.core.services.contacts import ContactService
from app.core.services.interactions import InteractionService
from app.core.services.queries import ListQuery
from app.core.services.reminders import ReminderService
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from tests.conftest import PASSPHRASE

LONDON = ZoneInfo("Europe/London")
TOKYO = ZoneInfo("Asia/Tokyo")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def add(db: Database, clock: FixedClock, given: str, **fields: object) -> int:
    contact = Contact(name=Name("", given), **fields)  # type: ignore[arg-type]
    return ContactService(db, "GB", clock=clock).add(contact).added[0]


def ids(items: list[object]) -> list[str]:
    return [r.id for r in items]  # type: ignore[attr-defined]


def test_a_birthday_is_due_on_the_users_day_in_their_zone(db: Database) -> None:
    clock = FixedClock(datetime(2026, 3, 14, 16, 0, tzinfo=UTC))
    ann = add(db, clock, "Ann", birthday=PartialDate(1990, 3, 15))
    # 16:00 UTC on the 14th is already 01:00 on the 15th in Tokyo, still the 14th in LA.
    tokyo = ReminderService(db, clock, TOKYO)
    assert [(r.id, r.due) for r in tokyo.due(0)] == [
        (f"birthday:{ann}:2026-03-15", date(2026, 3, 15))
    ]
    assert ReminderService(db, clock, LOS_ANGELES).due(0) == []
    # It notifies at 09:00 Tokyo time (00:00 UTC), not before.
    assert tokyo.to_notify() == []
    clock.set(datetime(2026, 3, 15, 0, 0, tzinfo=UTC))
    assert ids(tokyo.to_notify()) == [f"birthday:{ann}:2026-03-15"]
    (item,) = tokyo.due(0)
    assert item.label == "Ann's birthday (turns 36)"


def test_the_reminder_time_is_local_across_a_dst_change(db: Database) -> None:
    clock = FixedClock(datetime(2026, 3, 28, 12, tzinfo=UTC))
    ann = add(db, clock, "Ann", birthday=PartialDate(None, 3, 28))
    bo = add(db, clock, "Bo", birthday=PartialDate(None, 3, 30))
    service = ReminderService(db, clock, LONDON)
    (ann_item,) = [r for r in service.due(0) if r.contact_id == ann]
    assert service.notify_at(ann_item) == datetime(2026, 3, 28, 9, tzinfo=UTC)  # GMT
    (bo_item,) = [r for r in service.due(3) if r.contact_id == bo]
    assert service.notify_at(bo_item) == datetime(2026, 3, 30, 8, tzinfo=UTC)  # BST: 09:00 local


def test_a_time_skipped_or_repeated_by_the_clock_change_notifies_once(db: Database) -> None:
    # 01:30 does not exist in London on 29 March 2026 and happens twice on 25 October.
    clock = FixedClock(datetime(2026, 3, 29, 0, 59, tzinfo=UTC))
    add(db, clock, "Ann", birthday=PartialDate(None, 3, 29))
    add(db, clock, "Bo", birthday=PartialDate(None, 10, 25))
    service = ReminderService(db, clock, LONDON)
    service.save_settings(ReminderSettings(time_of_day=time(1, 30)))
    assert service.to_notify() == []
    clock.set(datetime(2026, 3, 29, 1, 31, tzinfo=UTC))  # 02:31 BST
    ready = service.to_notify()
    assert len(ready) == 1
    service.mark_notified(ids(ready))
    clock.set(datetime(2026, 3, 29, 23, 0, tzinfo=UTC))
    assert service.to_notify() == []
    clock.set(datetime(2026, 10, 25, 0, 31, tzinfo=UTC))  # the first 01:31 (BST)
    ready = service.to_notify()
    assert len(ready) == 1
    service.mark_notified(ids(ready))
    clock.set(datetime(2026, 10, 25, 1, 31, tzinfo=UTC))  # the second 01:31 (GMT)
    assert service.to_notify() == []


def test_each_occurrence_notifies_once_even_after_a_restart(db_path: Path) -> None:
    key = DatabaseKey(passphrase=PASSPHRASE)
    clock = FixedClock(datetime(2026, 5, 1, 10, tzinfo=UTC))
    db = Database.open(db_path, key)
    add(db, clock, "Ann", birthday=PartialDate(None, 5, 1))
    service = ReminderService(db, clock, UTC)
    ready = service.to_notify()
    assert len(ready) == 1
    service.mark_notified(ids(ready))
    assert service.to_notify() == []
    db.close()
    db = Database.open(db_path, key)  # Kith restarts
    try:
        assert ReminderService(db, clock, UTC).to_notify() == []
    finally:
        db.close()


def test_one_missed_while_closed_is_notified_at_the_next_start(db_path: Path) -> None:
    key = DatabaseKey(passphrase=PASSPHRASE)
    clock = FixedClock(datetime(2026, 5, 1, 8, tzinfo=UTC))  # Kith runs before 09:00...
    db = Database.open(db_path, key)
    ann = add(db, clock, "Ann", birthday=PartialDate(None, 5, 1))
    follow = ReminderService(db, clock, UTC).follow_up(ann, date(2026, 5, 2), "call back")[0]
    assert ReminderService(db, clock, UTC).to_notify() == []
    db.close()  # ...and is closed until three days later.
    clock.set(datetime(2026, 5, 4, 7, 0, tzinfo=UTC))
    db = Database.open(db_path, key)
    try:
        service = ReminderService(db, clock, UTC)
        ready = service.to_notify()
        assert ids(ready) == [f"birthday:{ann}:2026-05-01", follow.id]
        service.mark_notified(ids(ready))
        assert service.to_notify() == []
    finally:
        db.close()


def test_a_snoozed_reminder_hides_then_notifies_again(db: Database) -> None:
    clock = FixedClock(datetime(2026, 5, 1, 10, tzinfo=UTC))
    ann = add(db, clock, "Ann", birthday=PartialDate(None, 5, 1))
    service = ReminderService(db, clock, UTC)
    (item,) = service.to_notify()
    service.mark_notified([item.id])
    change = service.snooze(item.id, date(2026, 5, 3))
    assert change.segments == frozenset({"due"})
    assert service.due(0) == [] and service.to_notify() == []
    clock.set(datetime(2026, 5, 3, 9, 0, tzinfo=UTC))
    (again,) = service.to_notify()
    assert (again.id, again.due, again.occurs) == (item.id, date(2026, 5, 3), date(2026, 5, 1))
    with pytest.raises(UserFacingError, match="after today"):
        service.snooze(item.id, date(2026, 5, 3))
    assert ann == again.contact_id


def test_done_hides_it_and_can_log_an_interaction(db: Database) -> None:
    clock = FixedClock(datetime(2026, 5, 1, 10, tzinfo=UTC))
    ann = add(db, clock, "Ann", birthday=PartialDate(None, 5, 1))
    service = ReminderService(db, clock, UTC)
    (item,) = service.due(0)
    change = service.done(item.id, log=InteractionKind.CALL, summary="Sang happy birthday")
    assert change.changed == (ann,) and change.operation_id is not None
    assert service.due(0) == [] and service.to_notify() == []
    (logged,) = InteractionService(db, clock).timeline(ann)
    assert (logged.kind, logged.summary) == (InteractionKind.CALL, "Sang happy birthday")
    with pytest.raises(UserFacingError, match="no open reminder"):
        service.done(f"birthday:{ann}:2026-05-02")
    with pytest.raises(UserFacingError, match="not a reminder id"):
        service.done("nonsense")
    # Next year's occurrence is not done.
    clock.set(datetime(2027, 5, 1, 10, tzinfo=UTC))
    assert ids(service.due(0)) == [f"birthday:{ann}:2027-05-01"]


def test_follow_ups_are_due_until_done(db: Database) -> None:
    clock = FixedClock(datetime(2026, 5, 1, 10, tzinfo=UTC))
    ann = add(db, clock, "Ann")
    service = ReminderService(db, clock, UTC)
    item, change = service.follow_up(ann, date(2026, 5, 5), "Send the  quote")
    assert (item.kind, item.due, item.label) == (
        ReminderKind.FOLLOW_UP,
        date(2026, 5, 5),
        "Follow up with Ann: Send the quote",
    )
    assert "due" in (change.segments or ())
    assert service.due(3) == []
    assert ids(service.due(4)) == [item.id]
    assert ids(service.for_contact(ann, 4)) == [item.id]
    clock.set(datetime(2026, 7, 1, 10, tzinfo=UTC))
    assert ids(service.due(0)) == [item.id]  # overdue, still there
    service.done(item.id)
    assert service.due(0) == []
    with pytest.raises(UserFacingError, match="No contact"):
        service.follow_up(999, date(2026, 7, 2), "x")


def test_keep_in_touch_follows_the_interactions(db: Database) -> None:
    clock = FixedClock(datetime(2026, 5, 1, 10, tzinfo=UTC))
    ann = add(db, clock, "Ann")
    service = ReminderService(db, clock, UTC)
    interactions = InteractionService(db, clock)
    change = service.set_keep_in_touch([ann], 2, Cadence.WEEKS)
    assert change.changed == (ann,) and change.operation_id is not None
    interactions.log([ann], InteractionKind.MEETING, "Lunch", datetime(2026, 4, 20, 12, tzinfo=UTC))
    assert service.due(2) == []
    (item,) = service.due(3)
    assert item.id == f"keep-in-touch:{ann}:2026-05-04"
    # A call moves it; the reminder of the old date is gone.
    interactions.log([ann], InteractionKind.CALL, "", datetime(2026, 5, 1, 9, tzinfo=UTC))
    assert ids(service.due(14)) == [f"keep-in-touch:{ann}:2026-05-15"]
    # Done without a call: the next period counts from now.
    clock.set(datetime(2026, 5, 16, 10, tzinfo=UTC))
    (item,) = service.due(0)
    service.done(item.id)
    assert ids(service.due(14)) == [f"keep-in-touch:{ann}:2026-05-30"]
    # And it can be undone like any edit of the contact.
    ContactService(db, "GB", clock=clock).undo()  # the call
    ContactService(db, "GB", clock=clock).undo()  # the lunch
    ContactService(db, "GB", clock=clock).undo()  # the cadence
    assert service.due(60) == []


def test_the_trash_and_unknown_dates_raise_no_reminders(db: Database) -> None:
    clock = FixedClock(datetime(2026, 5, 1, 10, tzinfo=UTC))
    ann = add(db, clock, "Ann", birthday=PartialDate(None, 5, 1))
    add(db, clock, "Bo", birthday=PartialDate(None, 9, 1))
    ContactService(db, "GB", clock=clock).delete([ann])
    assert ReminderService(db, clock, UTC).due(30) == []


def test_settings_are_stored_and_the_feb_29_rule_applies(db: Database) -> None:
    clock = FixedClock(datetime(2027, 2, 27, 10, tzinfo=UTC))
    ann = add(db, clock, "Ann", birthday=PartialDate(2000, 2, 29))
    service = ReminderService(db, clock, UTC)
    assert service.settings() == ReminderSettings()
    assert [r.due for r in service.due(1)] == [date(2027, 2, 28)]
    service.save_settings(ReminderSettings(time(7, 45), 14, Feb29Rule.MAR_1))
    assert service.settings() == ReminderSettings(time(7, 45), 14, Feb29Rule.MAR_1)
    (item,) = service.due()
    assert (item.id, item.due) == (f"birthday:{ann}:2027-03-01", date(2027, 3, 1))
    assert service.notify_at(item) == datetime(2027, 3, 1, 7, 45, tzinfo=UTC)
    assert service.next_notification() == datetime(2027, 3, 1, 7, 45, tzinfo=UTC)
    with pytest.raises(UserFacingError):
        service.save_settings(ReminderSettings(days_ahead=-1))
    with pytest.raises(UserFacingError):
        service.due(400)


def test_only_contacts_near_their_day_are_read(db: Database) -> None:
    clock = FixedClock(datetime(2026, 5, 1, 10, tzinfo=UTC))
    for day in range(1, 29):
        add(db, clock, f"P{day}", birthday=PartialDate(1980, 8, day))
    near = add(db, clock, "Near", birthday=PartialDate(1980, 5, 2))
    service = ReminderService(db, clock, UTC)
    assert [r.contact_id for r in service.due(7)] == [near]
    clock.set(datetime(2026, 8, 1, 10, tzinfo=UTC))
    assert len(service.due(27)) == 28
    assert len(service.due(27)) == len({r.id for r in service.due(27)})
    assert all(r.due - timedelta(days=0) >= date(2026, 8, 1) for r in service.due(27))


def test_a_database_from_0003_gains_the_reminder_tables(db: Database, db_path: Path) -> None:
    clock = FixedClock(datetime(2026, 5, 1, 10, tzinfo=UTC))
    ann = add(db, clock, "Ann", birthday=PartialDate(None, 5, 1))
    with db.write() as conn:  # what 0003's Kith had: no reminder tables
        for table in ("follow_ups", "reminder_state", "reminders_notified"):
            conn.exec_driver_sql(f"DROP TABLE {table}")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0003'")
    db.close()
    reopened = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        service = ReminderService(reopened, clock, UTC)
        assert ids(service.to_notify()) == [f"birthday:{ann}:2026-05-01"]
        service.follow_up(ann, date(2026, 5, 2), "call")
        assert len(service.due(1)) == 2
    finally:
        reopened.close()


def test_the_due_segment_and_a_merge_keep_follow_ups(db: Database) -> None:
    clock = FixedClock(datetime(2026, 5, 1, 10, tzinfo=UTC))
    ann = add(db, clock, "Ann", birthday=PartialDate(None, 5, 3))
    bo = add(db, clock, "Bo", birthday=PartialDate(None, 9, 3))
    service = ReminderService(db, clock, UTC)
    contacts = ContactService(db, "GB", clock=clock)
    assert contacts.ids(ListQuery(filter=service.due_filter())) == [ann]
    assert contacts.ids(ListQuery(filter=service.due_filter(0))) == []
    item, _ = service.follow_up(bo, date(2026, 5, 2), "ring")
    contacts.delete([bo])  # as a merge takes the duplicate away
    assert service.due(3) == [r for r in service.due(3) if r.contact_id == ann]
    service.move_to([bo], ann)
    moved = [r for r in service.due(3) if r.kind is ReminderKind.FOLLOW_UP]
    assert [(r.contact_id, r.note) for r in moved] == [(ann, "ring")]
    assert moved[0].id != item.id


def test_old_marks_are_forgotten_but_not_a_cadence_done(db: Database) -> None:
    clock = FixedClock(datetime(2026, 5, 1, 10, tzinfo=UTC))
    ann = add(db, clock, "Ann", birthday=PartialDate(None, 5, 1))
    service = ReminderService(db, clock, UTC)
    service.set_keep_in_touch([ann], 1, Cadence.DAYS)
    assert len(service.due(1)) == 2
    for item in service.due(1):
        service.mark_notified([item.id])
        service.done(item.id)
    clock.set(datetime(2027, 6, 10, 10, tzinfo=UTC))  # more than 400 days later
    service.mark_notified([])
    with db.read() as conn:
        left = conn.exec_driver_sql("SELECT reminder_id FROM reminder_state").all()
        notified = conn.exec_driver_sql("SELECT count(*) FROM reminders_notified").scalar()
    assert [r[0] for r in left] == [f"keep-in-touch:{ann}:2026-05-02"]
    assert notified == 0


def test_a_database_at_0004_gains_the_reminder_indexes(db: Database, db_path: Path) -> None:
    clock = FixedClock(datetime(2026, 5, 1, 10, tzinfo=UTC))
    ann = add(db, clock, "Ann", birthday=PartialDate(None, 5, 1))
    with db.write() as conn:  # what the first keeping Kith had: no indexes for reminders
        conn.exec_driver_sql("DROP INDEX ix_contacts_days")
        conn.exec_driver_sql("DROP INDEX ix_contacts_reminding")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0004_keeping'")
    db.close()
    reopened = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        assert ids(ReminderService(reopened, clock, UTC).due(0)) == [f"birthday:{ann}:2026-05-01"]
        with reopened.read() as conn:
            names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
        assert {"ix_contacts_days", "ix_contacts_reminding"} <= names
    finally:
        reopened.close()
