"""Settings stored with the data, so that they follow the database."""

from __future__ import annotations

from sqlalchemy import Connection

REGION = "default_region"


def get(conn: Connection, key: str) -> str | None:
    """The stored value of `key`, or None."""
    row = conn.exec_driver_sql("SELECT value FROM settings WHERE key = ?", (key,)).first()
    return str(row[0]) if row else None


def put(conn: Connection, key: str, value: str) -> None:
    """Store `value` under `key`."""
    conn.exec_driver_sql(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
