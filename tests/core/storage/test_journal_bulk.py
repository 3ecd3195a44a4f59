"""The bulk journal beside the snapshot journal: old operations, redo history, the migration."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

from app.core.domain.contact import Contact, Name, Stage
from app.core.services.contacts import ContactService
from app.core.storage import contacts_repo, journal, migrate
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.search import ListQuery
from tests.conftest import PASSPHRASE

WHEN = datetime(2030, 3, 4, 5, 6, 7, tzinfo=UTC)


def _people(service: ContactService) -> list[int]:
    return [
        service.add(Contact(name=Name(given=g), tags=t, stage=s)).added[0]
        for g, t, s in [
            ("Ann", ["book club", "Family"], Stage.FRIEND),
            ("Bo", ["family"], None),
            ("Cy", [], Stage.CLIENT),
        ]
    ]


def test_a_snapshot_operation_from_before_bulk_sql_still_undoes_and_redoes(db: Database) -> None:
    """What the contact-by-contact code journaled (a snapshot pair per contact) still reverses."""
    service = ContactService(db, "GB")
    ids = _people(service)
    before = service.get_many(ids)
    with db.write() as conn:  # a "tag" operation as Kith wrote it before 0004
        op = journal.begin_operation(conn, "tag", "Change tags", WHEN)
        for old in before:
            new = copy.deepcopy(old)
            new.tags = [t for t in new.tags if t.casefold() != "family"] + ["Old way"]
            new.stage, new.updated_at = Stage.LEAD, WHEN
            contacts_repo.replace(conn, new)
            journal.record(conn, op, old, new)
        contacts_repo.delete_unused_tags(conn)
    after = service.get_many(ids)
    undo = service.undo()
    assert undo is not None and undo.label == "Undo Change tags"
    assert set(undo.changed) == set(ids)
    assert undo.segments is not None
    assert {"tag:Old way", "tag:Family", "stage:lead", "stage:friend"} <= undo.segments
    assert service.get_many(ids) == before
    assert service.redo() is not None
    assert service.get_many(ids) == after
    assert service.ids(ListQuery("old way")) == sorted(ids)


def test_a_new_operation_drops_an_undone_bulk_operation_and_its_journal(db: Database) -> None:
    service = ContactService(db, "GB")
    ids = _people(service)
    service.tag(ids, add=["gone"], remove=["family"])
    service.undo()
    service.add(Contact(name=Name(given="Dee")))
    assert service.redo() is None
    with db.read() as conn:
        for table in ("bulk_operations", "bulk_entries", "bulk_tag_links"):
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0, table


def test_a_0003_database_migrates_its_search_index_and_keeps_its_undo(
    db: Database, db_path: Path
) -> None:
    """0003 -> 0004: tags leave the main index for the index of tag names; undo still works."""
    service = ContactService(db, "GB")
    ids = _people(service)
    service.set_stage(ids, Stage.FAMILY)
    with db.write() as conn:  # the search index as 0003 had it, with tags in each row
        for statement in (
            "DROP TRIGGER tags_fts_insert",
            "DROP TRIGGER tags_fts_delete",
            "DROP TRIGGER tags_fts_update",
            "DROP TABLE contact_fts_tags",
            "DROP TABLE contact_fts",
            "CREATE VIRTUAL TABLE contact_fts USING fts5(name, org, emails, phones, notes, "
            "tags, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', "
            "content = '', contentless_delete = 1)",
        ):
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql(
            "INSERT INTO contact_fts (rowid, name, org, emails, phones, notes, tags) VALUES "
            "(?, 'Ann', '', '', '', '', 'book club Family'), (?, 'Bo', '', '', '', '', 'stale')",
            (ids[0], ids[1]),
        )
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0003'")
    db.close()

    reopened = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        with reopened.read() as conn:
            assert migrate.stored_revision(conn) == migrate.SCHEMA_HEAD
        after = ContactService(reopened, "GB")
        assert after.ids(ListQuery("book")) == [ids[0]]
        assert sorted(after.ids(ListQuery("fam"))) == ids[:2]
        assert after.ids(ListQuery("stale")) == []  # the old row's words are gone
        assert after.ids(ListQuery("cy")) == [ids[2]]  # a contact the old index lacked
        assert after.undo() is not None
        assert [c.stage for c in after.get_many(ids)] == [Stage.FRIEND, None, Stage.CLIENT]
    finally:
        reopened.close()
    (backup,) = (db_path.parent / "backups").iterdir()
    assert "before-migration-0003" in backup.name
