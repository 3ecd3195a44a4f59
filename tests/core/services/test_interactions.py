"""Interactions: logged, edited and deleted as undoable operations; "last contacted" follows."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.core.clock import FixedClock
from app.core.domain.contact import Contact, Name, Stage
from app.core.domain.interaction import InteractionKind
from app.core.domain.serialise import contact_to_dict
from app.core.errors import UserFacingError
from app.core.services import importer
from app.core.services.contacts import ContactService
from app.core.services.interactions import InteractionService, parse_kind
from app.core.services.segments import Rule, RuleKind, SegmentService, SmartSegment
from app.core.storage.database import Database
from app.core.storage.search import ListQuery, SortOrder

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def contacts(db: Database, clock: FixedClock) -> ContactService:
    return ContactService(db, "GB", clock=clock)


@pytest.fixture
def interactions(db: Database, clock: FixedClock) -> InteractionService:
    return InteractionService(db, clock)


def _add(contacts: ContactService, given: str, stage: Stage | None = Stage.CLIENT) -> int:
    return contacts.add(Contact(name=Name("", given), stage=stage)).added[0]


def test_a_logged_call_is_on_the_timeline_and_sets_last_contacted(
    contacts: ContactService, interactions: InteractionService
) -> None:
    ann = _add(contacts, "Ann")
    when = NOW - timedelta(days=2)
    change = interactions.log([ann], InteractionKind.CALL, "Quote for the roof", when)
    assert change.changed == (ann,) and change.operation_id is not None
    assert "due" in (change.segments or ())
    (item,) = interactions.timeline(ann)
    assert (item.kind, item.summary, item.at) == (InteractionKind.CALL, "Quote for the roof", when)
    stored = contacts.get(ann)
    assert stored is not None and stored.last_contacted == when
    assert contact_to_dict(stored)["last_contacted"] == when.isoformat()


def test_a_note_is_on_the_timeline_but_is_not_being_in_touch(
    contacts: ContactService, interactions: InteractionService
) -> None:
    ann = _add(contacts, "Ann")
    interactions.log([ann], InteractionKind.NOTE, "Prefers email", NOW - timedelta(hours=1))
    stored = contacts.get(ann)
    assert stored is not None and len(stored.interactions) == 1
    assert stored.last_contacted is None


def test_logging_for_several_contacts_is_one_undoable_operation(
    contacts: ContactService, interactions: InteractionService
) -> None:
    ids = [_add(contacts, n) for n in ("Ann", "Bo", "Cy")]
    change = interactions.log(ids, InteractionKind.MEETING, "Kick-off", NOW - timedelta(hours=3))
    assert sorted(change.changed) == sorted(ids)
    assert all(len(interactions.timeline(i)) == 1 for i in ids)
    assert contacts.undo_label() == change.label
    contacts.undo()
    assert all(interactions.timeline(i) == [] for i in ids)
    contacts.redo()
    assert [len(interactions.timeline(i)) for i in ids] == [1, 1, 1]


def test_edit_and_delete_are_journaled_and_undoable(
    contacts: ContactService, interactions: InteractionService
) -> None:
    ann = _add(contacts, "Ann")
    early, late = NOW - timedelta(days=9), NOW - timedelta(days=1)
    interactions.log([ann], InteractionKind.EMAIL, "Sent the invoice", early)
    (item,) = interactions.timeline(ann)
    interactions.edit(ann, item.id, summary="Sent invoice 42", at=late)
    (edited,) = interactions.timeline(ann)
    assert (edited.id, edited.summary, edited.at) == (item.id, "Sent invoice 42", late)
    stored = contacts.get(ann)
    assert stored is not None and stored.last_contacted == late
    interactions.delete(ann, item.id)
    assert interactions.timeline(ann) == []
    stored = contacts.get(ann)
    assert stored is not None and stored.last_contacted is None
    contacts.undo()  # the delete
    assert [i.summary for i in interactions.timeline(ann)] == ["Sent invoice 42"]
    contacts.undo()  # the edit
    assert [(i.summary, i.at) for i in interactions.timeline(ann)] == [("Sent the invoice", early)]
    stored = contacts.get(ann)
    assert stored is not None and stored.last_contacted == early


def test_the_last_contacted_sort_puts_the_most_recent_first(
    contacts: ContactService, interactions: InteractionService
) -> None:
    ann, bo, cy = (_add(contacts, n) for n in ("Ann", "Bo", "Cy"))
    interactions.log([bo], InteractionKind.CALL, "", NOW - timedelta(days=1))
    interactions.log([cy], InteractionKind.CALL, "", NOW - timedelta(days=20))
    # A time logged in another zone sorts by the instant, not by its text.
    tokyo = (NOW - timedelta(days=5)).astimezone(ZoneInfo("Asia/Tokyo"))
    interactions.log([ann], InteractionKind.MESSAGE, "", tokyo)
    never = _add(contacts, "Dee")
    assert contacts.ids(ListQuery(sort=SortOrder.LAST_CONTACTED)) == [bo, ann, cy, never]


def test_not_contacted_for_n_days_leaves_out_the_recently_contacted(
    db: Database, contacts: ContactService, interactions: InteractionService, clock: FixedClock
) -> None:
    recent, stale, never, noted = (_add(contacts, n) for n in ("Ann", "Bo", "Cy", "Dee"))
    interactions.log([recent], InteractionKind.CALL, "", NOW - timedelta(days=3))
    interactions.log([stale], InteractionKind.CALL, "", NOW - timedelta(days=45))
    interactions.log([noted], InteractionKind.NOTE, "", NOW - timedelta(days=1))
    segments = SegmentService(db, clock)
    rules = [Rule(RuleKind.STAGE_IS, "client"), Rule(RuleKind.NOT_CONTACTED_DAYS, "30")]
    query = ListQuery(filter=segments.filter_for(SmartSegment("quiet clients", rules)))
    assert sorted(contacts.ids(query)) == sorted([stale, never, noted])


def test_a_segment_with_the_rule_is_named_in_the_change(
    db: Database, contacts: ContactService, interactions: InteractionService, clock: FixedClock
) -> None:
    saved = SegmentService(db, clock).save(
        SmartSegment("quiet", [Rule(RuleKind.NOT_CONTACTED_DAYS, "30")])
    )
    ann = _add(contacts, "Ann")
    change = interactions.log([ann], InteractionKind.CALL, "")
    assert f"smart:{saved.id}" in (change.segments or ())


def test_an_edit_from_an_older_card_keeps_the_new_interactions(
    contacts: ContactService, interactions: InteractionService
) -> None:
    ann = _add(contacts, "Ann")
    card = contacts.get(ann)  # the card was opened...
    interactions.log([ann], InteractionKind.CALL, "Called back")  # ...then this was logged
    assert card is not None
    card.title = "Owner"
    contacts.update(card)
    stored = contacts.get(ann)
    assert stored is not None and stored.title == "Owner"
    assert [i.summary for i in stored.interactions] == ["Called back"]


def test_what_cannot_be_logged_is_refused_with_a_sentence(
    contacts: ContactService, interactions: InteractionService
) -> None:
    ann = _add(contacts, "Ann")
    with pytest.raises(UserFacingError, match="future"):
        interactions.log([ann], InteractionKind.CALL, "", NOW + timedelta(days=1))
    with pytest.raises(UserFacingError, match="No contact"):
        interactions.log([ann, 999], InteractionKind.CALL, "")
    with pytest.raises(UserFacingError, match="control character"):
        interactions.log([ann], InteractionKind.CALL, "bell \x07")
    with pytest.raises(UserFacingError, match="no interaction"):
        interactions.delete(ann, "nope")
    with pytest.raises(UserFacingError, match="not a kind"):
        parse_kind("fax")
    assert parse_kind(" Meeting ") is InteractionKind.MEETING
    assert interactions.timeline(ann) == []
    assert contacts.undo_label() == "Add Ann"  # nothing refused was recorded


def test_the_summary_keeps_its_lines_and_loses_carriage_returns(
    contacts: ContactService, interactions: InteractionService
) -> None:
    ann = _add(contacts, "Ann")
    interactions.log([ann], InteractionKind.MEETING, " Agenda:\r\n- roof\r\n- fence ")
    (item,) = interactions.timeline(ann)
    assert item.summary == "Agenda:\n- roof\n- fence"


def test_the_stored_column_is_utc_text(
    db: Database, contacts: ContactService, interactions: InteractionService
) -> None:
    ann = _add(contacts, "Ann")
    local = datetime(2026, 3, 1, 9, 30, tzinfo=ZoneInfo("America/New_York"))
    interactions.log([ann], InteractionKind.CALL, "", local)
    with db.read() as conn:
        stored = conn.exec_driver_sql(
            "SELECT last_contacted, data FROM contacts WHERE id = ?", (ann,)
        ).one()
    assert stored[0] == "2026-03-01T14:30:00+00:00"
    assert json.loads(stored[1])["interactions"][0]["at"] == "2026-03-01T14:30:00+00:00"
    assert date.fromisoformat(stored[0][:10]) == date(2026, 3, 1)


def test_contacts_logged_in_bulk_stay_in_their_import(
    tmp_path: Path, db: Database, contacts: ContactService, interactions: InteractionService
) -> None:
    cards = tmp_path / "two.vcf"
    cards.write_text(
        "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{n} Lee\r\nN:Lee;{n};;;\r\nEND:VCARD\r\n"
            for n in ("Ann", "Bo")
        ),
        encoding="utf-8",
    )
    _, result = importer.run(db, cards, region="GB")
    imported = ListQuery(import_op=result.operation_id)
    ids = contacts.ids(imported)
    added = _add(contacts, "Cy")
    interactions.log([*ids, added], InteractionKind.MEETING, "Kick-off", NOW - timedelta(hours=1))
    assert contacts.ids(imported) == ids
    assert contacts.ids(ListQuery(text="kick")) == []  # a summary is not searched as a name
    assert contacts.ids(ListQuery(text="Lee")) == ids
    assert all(len(interactions.timeline(i)) == 1 for i in [*ids, added])
