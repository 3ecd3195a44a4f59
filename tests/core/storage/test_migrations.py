"""Migrations and the declared schema agree, and an old database is backed up before migrating."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.core.storage import migrate
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.schema import Base
from tests.conftest import PASSPHRASE


def test_migrated_schema_matches_the_declared_tables(db: Database) -> None:
    # Alembic compares on a SQLAlchemy connection: reads are raw, writes are SQLAlchemy's.
    with db.write() as conn:
        # The FTS5 table and its shadow tables are not ORM tables; their DDL is checked by use.
        context = MigrationContext.configure(
            conn,
            opts={"include_name": lambda name, kind, _: not str(name).startswith("contact_fts")},
        )
        diff = compare_metadata(context, Base.metadata)
        assert migrate.stored_revision(conn) == migrate.head_revision() == migrate.SCHEMA_HEAD
    assert diff == []


def test_an_older_database_is_backed_up_then_migrated(db: Database, db_path: Path) -> None:
    with db.write() as conn:
        conn.exec_driver_sql("DROP TABLE segments")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'base-test'")
    db.close()
    # An unknown revision is what a newer Kith leaves behind: refused, with a sentence.
    try:
        Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    except Exception as exc:
        assert "newer version of Kith" in str(exc)
    else:
        raise AssertionError("a database from a newer Kith must not open")
    backups = list((db_path.parent / "backups").iterdir())
    assert len(backups) == 1 and "before-migration" in backups[0].name


def test_invalid_phones_lose_their_e164_when_an_old_database_migrates(
    db: Database, db_path: Path
) -> None:
    """0001 -> 0002: a possible-but-invalid number left the "Invalid phone" segment."""
    from app.core.domain.contact import Contact, Name, Phone  # noqa: PLC0415
    from app.core.services.contacts import ContactService  # noqa: PLC0415

    service = ContactService(db, "GB")
    good = service.add(Contact(name=Name("", "Ann"), phones=[Phone("+44 20 7946 0958")]))
    bad = service.add(Contact(name=Name("", "Bo"), phones=[Phone("+1 555 123 4567")]))
    (good_id,), (bad_id,) = good.added, bad.added
    with db.write() as conn:  # what 0001's Kith stored for a possible but invalid number
        conn.exec_driver_sql(
            'UPDATE contacts SET data = replace(data, \'"e164":""\', \'"e164":"+15551234567"\')'
            " WHERE id = ?",
            (bad_id,),
        )
        conn.exec_driver_sql("INSERT INTO contact_phones VALUES (?, '+15551234567')", (bad_id,))
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    db.close()

    reopened = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        after = ContactService(reopened, "GB")
        assert after.get(bad_id).phones[0].e164 == ""  # type: ignore[union-attr]
        assert after.get(good_id).phones[0].e164 == "+442079460958"  # type: ignore[union-attr]
        with reopened.read() as conn:
            phones = conn.exec_driver_sql("SELECT contact_id, e164 FROM contact_phones").all()
            assert migrate.stored_revision(conn) == migrate.SCHEMA_HEAD
        assert phones == [(good_id, "+442079460958")]
        backups = list((db_path.parent / "backups").iterdir())
        assert len(backups) == 1 and "before-migration" in backups[0].name
    finally:
        reopened.close()


def test_an_old_search_index_is_rebuilt_so_a_phone_as_shown_finds_its_contact(
    db: Database, db_path: Path
) -> None:
    """0002 -> 0003: the index text of an older Kith held no number endings or email words."""
    from app.core.domain.contact import Contact, Email, Name, Phone  # noqa: PLC0415
    from app.core.services.contacts import ContactService  # noqa: PLC0415
    from app.core.storage.search import ListQuery  # noqa: PLC0415

    service = ContactService(db, "GB")
    change = service.add(
        Contact(
            name=Name("", "Ann", "", "Lee"),
            phones=[Phone("+44 20 7102 6676")],
            emails=[Email("ann.lee36380@example.org")],
        )
    )
    (ann,) = change.added
    with db.write() as conn:  # what 0002's Kith indexed: whole numbers and emails only
        conn.exec_driver_sql("INSERT INTO contact_fts (contact_fts) VALUES ('delete-all')")
        conn.exec_driver_sql(
            "INSERT INTO contact_fts (rowid, name, org, emails, phones, notes) "
            "VALUES (?, 'Ann Lee', '', 'ann.lee36380@example.org', '442071026676', '')",
            (ann,),
        )
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0002'")
    assert service.ids(ListQuery(text="7102 6676")) == []
    db.close()

    reopened = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        after = ContactService(reopened, "GB")
        for text in ("+44 20 7102 6676", "020 7102 6676", "7102 6676", "36380@", "Ann"):
            assert after.ids(ListQuery(text=text)) == [ann], text
    finally:
        reopened.close()
