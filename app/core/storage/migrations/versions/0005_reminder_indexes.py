"""Indexes that let a reminder check read only the contacts near their day.

Birthdays and anniversaries in a narrow partial index (a scan of it reads dates, not whole rows),
and the contacts with other dates or a keep-in-touch cadence in `data`: a check at 100,000
contacts reads a few hundred rows, not all of them. (SQLAlchemy cannot reflect an index on
`substr(birthday, -5)`, so the schema test could not check one; this one it can.)

Revision ID: 0005_reminder_indexes
Revises: 0004_keeping
"""

from alembic import op

revision = "0005_reminder_indexes"
down_revision = "0004_keeping"
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS ix_contacts_days ON contacts (birthday, anniversary) "
    "WHERE deleted_at IS NULL AND (birthday IS NOT NULL OR anniversary IS NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_contacts_reminding ON contacts (id) WHERE deleted_at IS NULL "
    "AND (instr(data, '\"events\":') > 0 OR instr(data, '\"keep_in_touch_every\":') > 0)",
]


def upgrade() -> None:
    """Create the indexes."""
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    """Drop them."""
    for index in ("ix_contacts_days", "ix_contacts_reminding"):
        op.execute(f"DROP INDEX IF EXISTS {index}")
