"""Set-based bulk tag, untag, stage, delete and restore, with undo and redo, on a real database.

Each bulk change is checked against a model written the way Kith changed one contact at a time
before (`expected_*`), field by field on every contact, then undone and redone, also across a
restart of the database.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from faker import Faker

from app.core.clock import FixedClock
from app.core.domain.contact import Contact, Name, Stage
from app.core.errors import UserFacingError
from app.core.services.contacts import ChangeSet, ContactService
from app.core.services.segments import Rule, RuleKind, SegmentService, SmartSegment
from app.core.storage import bulk_journal
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.search import ListQuery
from app.core.tasks import Cancelled, TaskControl
from tests.conftest import PASSPHRASE, make_contact

START = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
TAGS = [["client"], ["Client", "vip"], ["VIP", "Été"], [], ["été", "friend"], ["ß"]]


class Ticking(FixedClock):
    """A clock one minute later at each call, so that every change has its own time."""

    def now(self) -> datetime:
        return self.set(self.at + timedelta(minutes=1))


def fill(db: Database, fake: Faker, count: int = 12) -> tuple[ContactService, list[int]]:
    """Contacts with tags that differ by case and accent, some in the trash, some unstaged."""
    service = ContactService(db, "GB", clock=Ticking(START))
    ids = []
    for n in range(count):
        contact = make_contact(fake, n)
        contact.tags = list(TAGS[n % len(TAGS)])
        contact.stage = None if n % 4 == 0 else contact.stage
        contact.favourite = n % 5 == 0
        ids.append(service.add(contact).added[0])
    service.delete(ids[-2:])
    return service, ids


def everyone(service: ContactService, ids: Sequence[int]) -> list[Contact]:
    return service.get_many(ids)


def nocase(text: str) -> str:
    """SQLite's NOCASE key: only ASCII letters fold."""
    return "".join(ch.lower() if ch.isascii() else ch for ch in text)


def expected_tags(
    contacts: list[Contact], ids: set[int], add: Sequence[str], remove: Sequence[str], at: datetime
) -> list[Contact]:
    """What tagging did one contact at a time: remove (casefold), then append what is missing.

    An added tag equal (case-insensitively, as SQLite's NOCASE) to a stored tag takes its
    spelling, as the tags table keeps one spelling per NOCASE name.
    """
    spelling: dict[str, str] = {}
    for c in contacts:
        for t in c.tags:
            spelling.setdefault(nocase(t), t)
    drop = {t.casefold() for t in remove}
    out = []
    for before in contacts:
        after = copy.deepcopy(before)
        if after.id in ids:
            tags = [t for t in after.tags if t.casefold() not in drop]
            for name in add:
                if name.casefold() not in {x.casefold() for x in tags}:
                    tags.append(spelling.get(nocase(name), name))
            if tags != after.tags:
                after.tags, after.updated_at = tags, at
        out.append(after)
    return out


def expected_column(
    contacts: list[Contact], ids: set[int], change: Callable[[Contact], bool], at: datetime
) -> list[Contact]:
    out = []
    for before in contacts:
        after = copy.deepcopy(before)
        if after.id in ids and change(after):
            after.updated_at = at
        out.append(after)
    return out


def reopen(db: Database, path: Path, clock: FixedClock) -> tuple[Database, ContactService]:
    db.close()
    db = Database.open(path, DatabaseKey(passphrase=PASSPHRASE))
    return db, ContactService(db, "GB", clock=clock)


def test_each_bulk_change_undoes_and_redoes_every_field_across_a_restart(
    db: Database, db_path: Path, fake: Faker
) -> None:
    service, ids = fill(db, fake)
    clock = Ticking(START + timedelta(days=1))
    service = ContactService(db, "GB", clock=clock)
    chosen = set(ids[1:])  # not the first, and two in the trash

    def staged(stage: Stage | None) -> Callable[[Contact], bool]:
        def change(c: Contact) -> bool:
            changed, c.stage = c.stage != stage, stage
            return changed

        return change

    def trashed(c: Contact) -> bool:
        if c.deleted_at is not None:
            return False
        c.deleted_at = clock.at
        return True

    def untrashed(c: Contact) -> bool:
        changed, c.deleted_at = c.deleted_at is not None, None
        return changed

    steps: list[tuple[Callable[[], ChangeSet], Callable[[list[Contact]], list[Contact]]]] = [
        (
            lambda: service.tag(sorted(chosen), add=["vip", "Новый", "été"], remove=["CLIENT"]),
            lambda b: expected_tags(b, chosen, ["vip", "Новый", "été"], ["CLIENT"], clock.at),
        ),
        (
            lambda: service.tag(list(chosen), remove=["été", "vip", "ss"]),
            lambda b: expected_tags(b, chosen, [], ["été", "vip", "ss"], clock.at),
        ),
        (
            lambda: service.set_stage(sorted(chosen), Stage.LEAD),
            lambda b: expected_column(b, chosen, staged(Stage.LEAD), clock.at),
        ),
        (
            lambda: service.set_stage(sorted(chosen), None),
            lambda b: expected_column(b, chosen, staged(None), clock.at),
        ),
        (
            lambda: service.delete(sorted(chosen)),
            lambda b: expected_column(b, chosen, trashed, clock.at),
        ),
        (
            lambda: service.restore_deleted([*chosen, *chosen]),
            lambda b: expected_column(b, chosen, untrashed, clock.at),
        ),
    ]
    for run, model in steps:
        before = everyone(service, ids)
        change = run()
        after = everyone(service, ids)
        assert after == model(before)
        assert set(change.ids) == {a.id for a, b in zip(after, before, strict=True) if a != b}
        assert service.undo() is not None
        assert everyone(service, ids) == before
        db, service = reopen(db, db_path, clock)
        assert service.redo() is not None
        assert everyone(service, ids) == after
        assert service.undo() is not None
        db, service = reopen(db, db_path, clock)
        assert everyone(service, ids) == before
        assert service.redo() is not None
        assert everyone(service, ids) == after
    db.close()


def test_tags_stay_searchable_and_unused_ones_go(db: Database, fake: Faker) -> None:
    service, ids = fill(db, fake, 4)
    service.tag(ids[:2], add=["Café Society"])
    assert set(service.ids(ListQuery("cafe soc"))) == set(ids[:2])
    given = service.get(ids[0]).name.given  # type: ignore[union-attr]
    assert service.ids(ListQuery(f"{given} society")) == [ids[0]]
    service.tag(ids, remove=["café society"])
    assert service.ids(ListQuery("society")) == []
    assert "Café Society" not in dict(service.tag_counts())
    service.undo()
    assert dict(service.tag_counts())["Café Society"] == 2
    assert set(service.ids(ListQuery("society"))) == set(ids[:2])


def test_a_bulk_change_that_changes_nothing_records_nothing(db: Database, fake: Faker) -> None:
    service, ids = fill(db, fake, 4)
    service.tag(ids, add=["once"])
    service.undo()
    label = service.undo_label()
    for nothing in (
        service.tag(ids, remove=["never-there"]),
        service.tag(ids, add=[" ", ""]),
        service.tag([], add=["x"]),
        service.set_stage(ids[:1], service.get(ids[0]).stage),  # type: ignore[union-attr]
        service.restore_deleted(ids[:2]),
        service.delete(ids[-2:]),
    ):
        assert nothing.operation_id is None and nothing.ids == ()
        assert nothing.segments == frozenset()
    assert service.undo_label() == label
    assert service.redo_label() == "Change tags"


def test_missing_ids_and_control_characters_are_refused_and_nothing_is_written(
    db: Database, fake: Faker
) -> None:
    service, ids = fill(db, fake, 3)
    label = service.undo_label()
    with pytest.raises(UserFacingError, match="No contact with id 999"):
        service.tag([ids[0], 999], add=["x"])
    with pytest.raises(UserFacingError, match="control character"):
        service.tag(ids, add=["bad\x1btag"])
    with pytest.raises(UserFacingError, match="No contact with id 998"):
        service.set_stage([998], Stage.LEAD)
    assert service.undo_label() == label
    assert "x" not in dict(service.tag_counts())


def test_progress_is_reported_and_a_cancel_rolls_everything_back(
    db: Database, fake: Faker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_journal, "CHUNK", 3)
    service, ids = fill(db, fake, 10)
    before = everyone(service, ids)
    label = service.undo_label()
    seen: list[tuple[int, int]] = []
    service.tag(ids, add=["counted"], control=TaskControl(lambda d, t: seen.append((d, t))))
    assert seen == [(0, 10), (3, 10), (6, 10), (9, 10), (10, 10)]
    service.undo()

    for run in (
        lambda c: service.tag(ids, add=["late"], control=c),
        lambda c: service.set_stage(ids, Stage.FAMILY, control=c),
        lambda c: service.delete(ids, control=c),
    ):
        control = TaskControl()
        control.on_progress = lambda done, _, c=control: done >= 6 and c.cancel()
        with pytest.raises(Cancelled):
            run(control)
        assert everyone(service, ids) == before
        assert service.undo_label() == label and service.redo_label() == "Change tags"
    assert "late" not in dict(service.tag_counts())

    service.tag(ids, add=["undone"])
    control = TaskControl()
    control.on_progress = lambda done, _: done >= 3 and control.cancel()
    with pytest.raises(Cancelled):
        service.undo(control=control)
    assert "undone" in dict(service.tag_counts())
    assert service.undo() is not None
    assert everyone(service, ids) == before


def test_change_sets_name_the_segments_touched(db: Database, fake: Faker) -> None:
    service, ids = fill(db, fake, 6)
    segments = SegmentService(db)
    tagged = segments.save(SmartSegment("Tagged VIP", [Rule(RuleKind.TAG_IS, "vip")]))
    staged = segments.save(SmartSegment("Leads", [Rule(RuleKind.STAGE_IS, "lead")]))
    acme = segments.save(SmartSegment("Acme", [Rule(RuleKind.COMPANY_CONTAINS, "acme")]))
    smart = {f"smart:{s.id}" for s in (tagged, staged, acme)}

    change = service.tag(ids[:2], add=["Conference"], remove=["client"])
    assert change.segments == {"tag:Conference", "tag:client", f"smart:{tagged.id}"}
    assert service.undo().segments == change.segments  # type: ignore[union-attr]
    assert service.redo().segments == change.segments  # type: ignore[union-attr]

    stages = {c.stage for c in service.get_many(ids[:3])} - {None}
    change = service.set_stage(ids[:3], Stage.LEAD)
    keys = {f"stage:{s.value}" for s in stages} | {"stage:lead", f"smart:{staged.id}"}
    assert change.segments == keys

    change = service.delete(ids[:3])
    assert change.segments is not None
    assert {"all", "trash", "stage:lead", "duplicates", "due"} <= change.segments
    assert smart <= change.segments
    assert {f"tag:{t}" for c in service.get_many(ids[:3]) for t in c.tags} <= change.segments
    assert "attention:invalid phone" in change.segments
    assert change.removed == tuple(sorted(ids[:3]))
    undo = service.undo()
    assert undo is not None and undo.added == change.removed
    assert undo.segments == change.segments

    edited = service.get(ids[0])
    assert edited is not None
    edited.favourite = not edited.favourite
    edited.tags.append("Edited")
    update = service.update(edited)
    assert update.segments is not None
    assert {"favourites", "tag:Edited", f"smart:{tagged.id}"} <= update.segments
    assert "all" not in update.segments and "trash" not in update.segments
    added = service.add(Contact(name=Name(given="New"), tags=["fresh"], stage=Stage.OTHER))
    assert added.segments is not None
    assert {"all", "tag:fresh", "stage:other"} | smart <= added.segments
    assert "trash" not in added.segments
