"""Undo and redo of an import: its contacts, its segment, in chunks."""

from __future__ import annotations

from pathlib import Path

from app.core.services import importer
from app.core.services.contacts import ContactService
from app.core.storage import journal
from app.core.storage.database import Database
from app.core.storage.search import ListQuery
from tests.integration.store_helpers import write_vcards


def test_undo_then_redo_of_an_import_keeps_its_segment(db: Database, tmp_path: Path) -> None:
    cards = tmp_path / "cards.vcf"
    count = journal.CHUNK * 2 + 7  # more than one chunk of journal rows
    write_vcards(cards, count)
    _, result = importer.run(db, cards, region="GB")
    assert result.created == count and result.operation_id is not None
    service = ContactService(db, "GB")
    segment = ListQuery(import_op=result.operation_id)
    assert service.count(segment) == count
    before = [c for c in service.get_many(service.ids(segment))]

    undone = service.undo()
    assert undone is not None and len(undone.removed) == count
    assert service.count(ListQuery()) == 0

    redone = service.redo()
    assert redone is not None and sorted(redone.added) == sorted(result.change.added)
    assert service.count(segment) == count
    assert service.get_many(service.ids(segment)) == before
    assert service.count(ListQuery(text="Card1007")) == 1  # the search index is back too
    with db.read() as conn:
        kept = conn.exec_driver_sql("SELECT count(*) FROM journal WHERE after IS NOT NULL").scalar()
    assert kept == 0  # the snapshots undo took go once the contacts are back

    assert service.undo() is not None and service.count(ListQuery()) == 0
    assert service.redo() is not None and service.count(segment) == count
    assert db.integrity_problems() == []
