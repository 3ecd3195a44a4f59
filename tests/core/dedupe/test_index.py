"""The incremental check: one new or edited contact against the indexed address book."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.dedupe import DuplicateIndex, default_model
from bench.dedupe_gen import AddressBook
from tests.core.dedupe.conftest import person

MOBILE = ("+44 7700 900777", "+447700900777", "mobile")


@pytest.fixture
def index(book: AddressBook) -> DuplicateIndex:
    """An index of the generated book with one planted contact, id 999001."""
    contacts = list(book.contacts)
    contacts.append(person("Robert", "Featherstonehaugh", phones=(MOBILE,), contact_id=999001))
    return DuplicateIndex(contacts, model=default_model(len(contacts)))


def test_check_finds_the_contact_a_new_one_duplicates(index: DuplicateIndex) -> None:
    new = person("Bob", "Featherstonehaugh", phones=(("07700 900777", "", "mobile"),))
    matches = index.check(new)
    assert [m.id for m in matches] == [999001]
    assert "Bob is short for Robert" in matches[0].reasons


def test_check_never_returns_the_contact_itself(index: DuplicateIndex) -> None:
    same = person("Robert", "Featherstonehaugh", phones=(MOBILE,), contact_id=999001)
    assert index.check(same) == []


def test_add_and_remove_keep_the_index_current(index: DuplicateIndex) -> None:
    size = len(index)
    new = person("Bob", "Featherstonehaugh", phones=(MOBILE,), contact_id=999002)
    index.add(new)
    assert len(index) == size + 1
    probe = person("Robert", "Featherstonehaugh", phones=(MOBILE,))
    assert {m.id for m in index.check(probe)} == {999001, 999002}
    index.remove(999001)
    assert [m.id for m in index.check(probe)] == [999002]
    new.deleted_at = datetime(2026, 1, 1, tzinfo=UTC)  # moved to the trash: no longer matched
    index.add(new)
    assert index.check(probe) == []
    assert len(index) == size - 1


def test_an_edit_replaces_what_was_indexed(index: DuplicateIndex) -> None:
    edited = person("Robert", "Featherstonehaugh", phones=(("+44 7700 900888", "", ""),),
                    contact_id=999001)  # fmt: skip
    index.add(edited)
    assert index.check(person("Bob", "Featherstonehaugh", phones=(MOBILE,))) == []
    found = index.check(person("Bob", "Featherstonehaugh", phones=(("07700 900888", "", ""),)))
    assert [m.id for m in found] == [999001]


def test_a_contact_without_an_id_cannot_be_indexed(index: DuplicateIndex) -> None:
    with pytest.raises(ValueError, match="id"):
        index.add(person("Ann", "Lee"))
