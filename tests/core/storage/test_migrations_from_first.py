"""A database made at the first schema (0001) with data in it upgrades to head through Alembic.

The database is built by Alembic at revision 0001 (not by stamping a newer one), filled the way
the Kith of that revision stored contacts, then opened with `Database.open`, which backs it up
and runs 0002 and 0003.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config

from app.core.clock import FixedClock
from app.core.domain.contact import Contact, Email, Name, Phone
from app.core.services.contacts import ContactService
from app.core.storage import journal, migrate
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey, connect_raw
from app.core.storage.schema import APPLICATION_ID
from app.core.storage.search import ListQuery
from tests.conftest import PASSPHRASE

KEY = DatabaseKey(passphrase=PASSPHRASE)
WHEN = datetime(2031, 2, 28, 9, 30, tzinfo=UTC)
VALID = "+442071026676"  # shown as +44 20 7102 6676
INVALID = "+15551234567"  # possible (the right length) but no US number has this form


def build_at_first_revision(path: Path) -> Database:
    """An empty keyed database that Alembic has brought to revision 0001 only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    raw = connect_raw(path, KEY)
    try:
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    finally:
        raw.close()
    db = Database(path, KEY)
    config = Config()
    config.set_main_option("script_location", str(Path(migrate.__file__).with_name("migrations")))
    with db.write() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    return db


def fill_as_0001_did(db: Database) -> dict[str, int]:
    """Contacts with emails, tags and phones (one possible but invalid), and their journal."""
    service = ContactService(db, "GB", clock=FixedClock(WHEN))
    ann = service.add(
        Contact(
            name=Name("", "Ann", "", "Lee"),
            phones=[Phone("+44 20 7102 6676", "work")],
            emails=[Email("ann.lee36380@example.org", "home")],
            tags=["family", "book club"],
        )
    ).added[0]
    bo = service.add(
        Contact(
            name=Name("", "Bo", "", "Ng"),
            phones=[Phone("+1 555 123 4567", "cell")],
            emails=[Email("bo@example.net")],
            tags=["book club"],
        )
    ).added[0]
    with db.write() as conn:
        # 0001's Kith kept an E.164 form for a possible but invalid number, and indexed whole
        # numbers and emails only.
        conn.exec_driver_sql(
            'UPDATE contacts SET data = replace(data, \'"e164":""\', ?) WHERE id = ?',
            (f'"e164":"{INVALID}"', bo),
        )
        conn.exec_driver_sql("INSERT INTO contact_phones VALUES (?, ?)", (bo, INVALID))
        conn.exec_driver_sql("INSERT INTO contact_fts (contact_fts) VALUES ('delete-all')")
        conn.exec_driver_sql(
            "INSERT INTO contact_fts (rowid, name, org, emails, phones, notes, tags) VALUES "
            "(?, 'Ann Lee', '', 'ann.lee36380@example.org', '442071026676', '', 'family'), "
            "(?, 'Bo Ng', '', 'bo@example.net', '15551234567', '', 'book club')",
            (ann, bo),
        )
        assert migrate.stored_revision(conn) == "0001"
        # What 0003 fixes (asked of the index itself: today's search needs 0004's tag index).
        match = "SELECT rowid FROM contact_fts WHERE contact_fts MATCH '\"7102\"*'"
        assert conn.exec_driver_sql(match).all() == []
    return {"ann": ann, "bo": bo}


def test_a_first_revision_database_upgrades_to_head_with_its_data_and_a_backup(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data" / "kith.db"
    db = build_at_first_revision(path)
    ids = fill_as_0001_did(db)
    db.close()

    upgraded = Database.open(path, KEY)
    try:
        with upgraded.read() as conn:
            assert migrate.stored_revision(conn) == migrate.SCHEMA_HEAD
            phones = conn.exec_driver_sql(
                "SELECT contact_id, e164 FROM contact_phones ORDER BY contact_id"
            ).all()
            last = journal.last_done(conn)
        service = ContactService(upgraded, "GB")
        ann, bo = service.get(ids["ann"]), service.get(ids["bo"])
        assert ann is not None and bo is not None
        # The data came through.
        assert (ann.name.given, ann.name.family, bo.name.given) == ("Ann", "Lee", "Bo")
        assert [e.value for e in ann.emails] == ["ann.lee36380@example.org"]
        assert [e.value for e in bo.emails] == ["bo@example.net"]
        assert ann.tags == ["family", "book club"] and bo.tags == ["book club"]
        assert ann.created_at == WHEN and bo.updated_at == WHEN
        assert service.count(ListQuery(tag="book club")) == 2
        # 0002: the invalid number keeps its text but loses its E.164 form and index entry.
        assert [p.value for p in bo.phones] == ["+1 555 123 4567"]
        assert bo.phones[0].e164 == "" and ann.phones[0].e164 == VALID
        assert phones == [(ids["ann"], VALID)]
        # 0003: the search index was rebuilt, so a number as shown and an email's piece find.
        for text in ("+44 20 7102 6676", "7102 6676", "36380@", "Lee"):
            assert service.ids(ListQuery(text=text)) == [ids["ann"]], text
        assert service.ids(ListQuery(text="Ng")) == [ids["bo"]]
        # The journal survived: its last operation undoes the second add.
        assert last is not None and last.created_at == WHEN.isoformat()
        assert last.label == "Add Bo Ng"
        assert service.undo() is not None
        assert service.get(ids["bo"]) is None and service.count(ListQuery()) == 1
    finally:
        upgraded.close()

    (backup,) = (path.parent / "backups").iterdir()
    assert "before-migration-0001" in backup.name
    raw = connect_raw(backup, KEY)  # the same key opens it, and it holds the old revision
    try:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert raw.execute("SELECT count(*) FROM contacts").fetchone() == (2,)
        assert raw.execute("SELECT e164 FROM contact_phones ORDER BY e164").fetchall() == [
            (INVALID,),
            (VALID,),
        ]
        assert raw.execute("SELECT count(*) FROM operations").fetchone() == (2,)
    finally:
        raw.close()
