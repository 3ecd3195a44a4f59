"""Reminders: follow-ups, what was done or snoozed, and what was already notified.

Interactions and keep-in-touch cadences live in each contact's `data` and need no table;
`contacts.last_contacted` (present since 0001, never written before) is now kept by the row
mapping from the interactions.

Revision ID: 0004_keeping
Revises: 0003
"""

from alembic import op

revision = "0004_keeping"
down_revision = "0003"
branch_labels = None
depends_on = None

STATEMENTS = [
    """CREATE TABLE IF NOT EXISTS follow_ups (
        id INTEGER NOT NULL, contact_id INTEGER NOT NULL, due VARCHAR NOT NULL,
        note TEXT NOT NULL, created_at VARCHAR NOT NULL, done_at VARCHAR, PRIMARY KEY (id))""",
    "CREATE INDEX IF NOT EXISTS ix_follow_ups_contact ON follow_ups (contact_id)",
    """CREATE TABLE IF NOT EXISTS reminder_state (
        reminder_id VARCHAR NOT NULL, contact_id INTEGER NOT NULL, status VARCHAR NOT NULL,
        until VARCHAR, at VARCHAR NOT NULL, PRIMARY KEY (reminder_id))""",
    "CREATE INDEX IF NOT EXISTS ix_reminder_state_contact ON reminder_state (contact_id)",
    """CREATE TABLE IF NOT EXISTS reminders_notified (
        reminder_id VARCHAR NOT NULL, at VARCHAR NOT NULL, PRIMARY KEY (reminder_id))""",
]


def upgrade() -> None:
    """Create the reminder tables (kept if a test or an interrupted run left them)."""
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    """Drop them."""
    for table in ("reminders_notified", "reminder_state", "follow_ups"):
        op.execute(f"DROP TABLE {table}")
