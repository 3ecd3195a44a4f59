"""contact -> rows of the real encrypted database -> contact is the identity, for any contact."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.clock import SYSTEM_CLOCK
from app.core.domain.contact import Contact
from app.core.storage import contacts_repo
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from tests.conftest import PASSPHRASE
from tests.strategies import contacts


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path: Path = tmp_path_factory.mktemp("rows") / "kith.db"
    database = Database.create(path, DatabaseKey(passphrase=PASSPHRASE))
    yield database
    database.close()


def _canonical_tags(contact: Contact) -> Contact:
    # The store keeps a tag once per contact (tags are a set, in the order first given).
    return replace(contact, tags=list(dict.fromkeys(contact.tags)))


# Tags are shared by name, case-insensitively: generate distinct names so that one example's
# spelling of a tag cannot become another's.
TAGS = st.lists(st.sampled_from(["client", "Friend", "met, 2024", "a;b\\c", "😀 שלום"]), max_size=4)


@settings(max_examples=150, deadline=None)
@given(contact=contacts(tags=TAGS))
def test_row_round_trip_is_the_identity(store: Database, contact: Contact) -> None:
    with store.write() as conn:
        (new_id,) = contacts_repo.next_ids(conn, 1)
        contact = contacts_repo.prepare_new(replace(contact, id=None), new_id, SYSTEM_CLOCK.now())
        contacts_repo.insert_many(conn, [contact])
    with store.read() as conn:
        stored = contacts_repo.get(conn, new_id)
    with store.write() as conn:  # a UID is unique in the store: leave room for the next example
        contacts_repo.remove(conn, [new_id])
    assert stored == _canonical_tags(contact)
