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
    with db.read() as conn:
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
