"""For any contacts (hostile text, every field filled or empty): a merge loses no value, and
its undo gives back every field of every contact, also after the database is reopened."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.clock import FixedClock
from app.core.domain.contact import Contact
from app.core.domain.merge import MULTI_FIELDS, MergePlan, is_empty
from app.core.domain.normalise import digits, fold, normalise_email
from app.core.services.contacts import ContactService
from app.core.services.merge import MergeService
from app.core.storage import contacts_repo
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from tests.strategies import contacts

KEY = DatabaseKey(raw=bytes(range(32)))  # a raw key: no key derivation at each reopening
CLOCK = FixedClock(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
# Tags are shared by name, case-insensitively: distinct names, so that one example's spelling
# of a tag cannot become another's (as in the row round trip's test).
TAGS = st.lists(st.sampled_from(["client", "Friend", "met, 2024", "a;b\\c", "😀 שלום"]), max_size=4)
GROUPS = st.lists(contacts(tags=TAGS, deleted_at=st.none()), min_size=2, max_size=4)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path: Path = tmp_path_factory.mktemp("merge") / "kith.db"
    Database.create(path, KEY).close()
    yield path


def _store(db: Database, group: list[Contact]) -> list[Contact]:
    """Store the generated contacts as they are (hostile text included), returning them."""
    with db.write() as conn:
        ids = contacts_repo.next_ids(conn, len(group))
        stored = [
            contacts_repo.prepare_new(replace(c, id=None, uid=""), i, CLOCK.now())
            for c, i in zip(group, ids, strict=True)
        ]
        contacts_repo.insert_many(conn, stored)
        return contacts_repo.get_many(conn, ids)


def _clear(db: Database) -> None:
    with db.write() as conn:
        conn.exec_driver_sql("DELETE FROM contact_fts")
        for table in ("contacts", "journal", "operations", "tags"):
            conn.exec_driver_sql(f"DELETE FROM {table}")


def _keys(contact: Contact, name: str) -> set[object]:
    """What a person would compare of each item of a multi-valued field."""
    items = getattr(contact, name)
    if name == "custom":
        return set(items.values())
    if name == "emails":
        return {normalise_email(e.value) for e in items}
    if name == "phones":
        return {p.e164 or digits(p.value) or fold(p.value) for p in items}
    if name == "tags":
        return {fold(t) for t in items}
    if name == "urls":
        return {fold(u.value).rstrip("/") for u in items}
    if name == "events":
        return {(fold(e.label), e.date.iso()) for e in items}
    if name == "addresses":
        return {(fold(a.street), fold(a.city), fold(a.postal_code), fold(a.po_box)) for a in items}
    return {repr(i) for i in items}


def test_every_multi_valued_field_is_checked() -> None:
    assert set(MULTI_FIELDS) == {
        "emails", "phones", "addresses", "urls", "events", "tags", "custom", "extra_vcard",
        "interactions",
    }  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group=GROUPS, survivor=st.integers(0, 3), data=st.data())
def test_merge_loses_nothing_and_undo_restores_every_field(
    store_path: Path, group: list[Contact], survivor: int, data: st.DataObject
) -> None:
    db = Database.open(store_path, KEY)
    try:
        _clear(db)
        originals = _store(db, group)
        ids = [c.id for c in originals if c.id is not None]
        survivor_id = ids[survivor % len(ids)]
        plan = MergePlan.default(originals, survivor_id)
        choices = {
            name: data.draw(st.sampled_from(ids), label=name)
            for name in data.draw(st.lists(st.sampled_from(plan.conflicts() or ["name"])))
        }
        MergeService(db, CLOCK).merge(ids, survivor_id, choices)
        merged = ContactService(db, "GB", CLOCK).get(survivor_id)
        assert merged is not None
        for name in MULTI_FIELDS:
            wanted = set().union(*(_keys(c, name) for c in originals))
            assert wanted <= _keys(merged, name), name
        for original in originals:
            if original.notes.strip():
                assert original.notes.strip() in merged.notes
            if original.id == choices.get("org", survivor_id) and not is_empty(original.org):
                assert merged.org == original.org
    finally:
        db.close()

    db = Database.open(store_path, KEY)  # a restart
    try:
        service = ContactService(db, "GB", CLOCK)
        assert service.undo() is not None
        assert service.get_many(ids) == originals
        assert service.redo() is not None
        assert service.get_many(ids) == [merged]
    finally:
        db.close()
