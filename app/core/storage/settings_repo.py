"""Settings stored with the data, so that they follow the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

REGION = "default_region"
DEDUPE_WEIGHTS = "dedupe_weights"
"""The weights the last duplicate scan learnt (JSON, no contact data): the check uses them."""


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


# Reminders (read and written through services.reminders.ReminderService.settings).
REMINDER_TIME = "reminder_time"
"""Local time of day a day's reminders notify, "HH:MM"."""
REMINDER_DAYS_AHEAD = "reminder_days_ahead"
"""How many days ahead the reminder list looks, a whole number."""
REMINDER_FEB29 = "reminder_feb29"
"""Where 29 February falls in common years: "feb 28" or "mar 1"."""


def get_many(conn: Connection, keys: tuple[str, ...]) -> dict[str, str]:
    """The stored values of these keys (keys never stored are left out)."""
    marks = ",".join("?" * len(keys))
    rows = conn.exec_driver_sql(f"SELECT key, value FROM settings WHERE key IN ({marks})", keys)
    return {str(k): str(v) for k, v in rows}
