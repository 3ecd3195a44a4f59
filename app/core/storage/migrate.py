"""Schema versions: Alembic migrations run forward on open, with a backup before each.

Alembic is imported only when a migration runs: opening an up-to-date database reads the
version with one query, which keeps `kith` and the window quick to start.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection


log = logging.getLogger(__name__)

SCHEMA_HEAD = "0007_not_duplicates"
"""The newest revision under migrations/versions (a test checks they agree)."""

_SCRIPTS = Path(__file__).with_name("migrations")


class UnknownRevisionError(Exception):
    """The database has a schema revision this Kith does not know (a newer Kith made it)."""


def _config(conn: Connection | None = None) -> Any:
    from alembic.config import Config  # noqa: PLC0415 - slow import, needed only to migrate

    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def head_revision() -> str:
    """The newest schema version, as Alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return str(head)


def stored_revision(conn: Connection) -> str | None:
    """The schema version of the open database (None for a new, empty one)."""
    has_table = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).first()
    if has_table is None:
        return None
    value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return str(value) if value is not None else None


def upgrade(conn: Connection) -> None:
    """Migrate the database to the newest schema inside the caller's transaction.

    Raises:
        UnknownRevisionError: the database is newer than this Kith.
    """
    from alembic import command  # noqa: PLC0415
    from alembic.util.exc import CommandError  # noqa: PLC0415

    log.info("migrating database from %s to %s", stored_revision(conn), SCHEMA_HEAD)
    try:
        command.upgrade(_config(conn), "head")
    except CommandError as exc:
        raise UnknownRevisionError(str(exc)) from exc
