"""`importer.run`, the one-pass import of `kith import`, against the preview-then-commit pair."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from faker import Faker

from app.core.domain.serialise import contact_to_dict
from app.core.errors import UserFacingError
from app.core.formats import write_contacts
from app.core.services import importer
from app.core.storage import contacts_repo
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.journal import undo
from app.core.storage.search import ListQuery, ids
from app.core.tasks import Cancelled, TaskControl
from tests import corpus
from tests.conftest import make_contact

# More cards than the reader parses inline, so that the worker processes take part.
MANY = 2600
CHANGING = ("id", "uid", "created_at", "updated_at")


def _stored(db: Database) -> list[dict[str, Any]]:
    """Every live contact as a dict, without what differs between two imports of one file."""
    with db.read() as conn:
        contacts = contacts_repo.get_many(conn, ids(conn, ListQuery()))
    dicts = [contact_to_dict(c) for c in contacts]
    for d in dicts:
        for key in CHANGING:
            d.pop(key, None)
    return sorted(dicts, key=repr)


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[Database]:
    """A second real encrypted database, to import the same file into another way."""
    folder = tmp_path / "other"
    folder.mkdir(mode=0o700)
    database = Database.create(folder / "other.db", DatabaseKey(raw=bytes(range(32))))
    yield database
    database.close()


@pytest.fixture(scope="module")
def many_cards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fake = Faker("en_GB")
    Faker.seed(99)
    path = tmp_path_factory.mktemp("cards") / "many.vcf"
    with path.open("wb") as out:
        write_contacts([make_contact(fake, n) for n in range(MANY)], "vcard", out)
    return path


@pytest.mark.parametrize("name", ["many", *corpus.files(".vcf", ".csv")])
def test_run_stores_what_preview_then_commit_stores(
    name: str | Path, many_cards: Path, db: Database, other_db: Database
) -> None:
    path = many_cards if name == "many" else Path(name)
    other_plan = importer.preview(other_db, path, region="US")
    other = importer.commit(other_db, other_plan)
    plan, result = importer.run(db, path, region="US")
    assert (result.created, result.updated, result.skipped) == (
        other.created,
        other.updated,
        other.skipped,
    )
    assert plan.records == []  # rows only: nothing is held back in memory
    assert [(r.line, r.status, r.display_name, r.detail) for r in plan.rows] == [
        (r.line, r.status, r.display_name, r.detail) for r in other_plan.rows
    ]
    assert _stored(db) == _stored(other_db)


def test_one_undo_takes_a_whole_run_back(db: Database, many_cards: Path) -> None:
    _, result = importer.run(db, many_cards, region="GB")
    assert result.created == MANY and len(result.change.added) == MANY
    with db.write() as conn:
        undone = undo(conn)
    assert undone is not None and undone.operation.id == result.operation_id
    assert _stored(db) == []


def test_matches_are_judged_against_what_was_stored_before(
    db: Database, tmp_path: Path, fake: Faker
) -> None:
    contacts = [make_contact(fake, n) for n in range(3)]
    path = tmp_path / "three.vcf"
    with path.open("wb") as out:
        write_contacts(contacts, "vcard", out)
    importer.run(db, path, region="GB")
    plan, result = importer.run(db, path, region="GB", on_match=importer.OnMatch.SKIP)
    assert (plan.new, plan.matches, result.skipped) == (0, 3, 3)
    assert result.operation_id is None  # nothing changed, so there is nothing to undo
    _, result = importer.run(db, path, region="GB", on_match=importer.OnMatch.CREATE)
    assert result.created == 3 and len(_stored(db)) == 6


def test_a_cancelled_run_stores_nothing(db: Database, many_cards: Path) -> None:
    importer.run(db, many_cards, region="GB")
    before = _stored(db)
    control = TaskControl()

    def progress(done: int, _total: int) -> None:
        if done > importer.CHUNK:  # a chunk is already written inside the transaction
            control.cancel()

    control.on_progress = progress
    with pytest.raises(Cancelled):  # an ImportCancelledError, as a task runner sees it
        importer.run(db, many_cards, region="GB", on_match=importer.OnMatch.CREATE, control=control)
    assert _stored(db) == before


def test_a_pipe_is_refused_with_a_sentence_not_read_twice(db: Database, tmp_path: Path) -> None:
    """The window previews, then commits: a FIFO read by the preview would commit nothing."""
    fifo = tmp_path / "contacts.vcf"
    os.mkfifo(fifo)
    with pytest.raises(UserFacingError, match="pipe or device"):
        importer.preview(db, fifo, region="US")
    with pytest.raises(UserFacingError, match="pipe or device"):
        importer.run(db, fifo, region="US")
