"""Schema versions: Alembic migrations run forward on open, with a backup before each."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

log = logging.getLogger(__name__)

_SCRIPTS = Path(__file__).with_name("migrations")


def _config(conn: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def head_revision() -> str:
    """The newest schema version this Kith knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The schema version of the open database (None for a new, empty one)."""
    return MigrationContext.configure(conn).get_current_revision()


def needs_upgrade(conn: Connection) -> bool:
    """Whether the database is older than this Kith."""
    return current_revision(conn) != head_revision()


def upgrade(conn: Connection) -> None:
    """Migrate the database to the newest schema inside the caller's transaction."""
    log.info("migrating database from %s to %s", current_revision(conn), head_revision())
    command.upgrade(_config(conn), "head")
