""" "Not duplicates" decisions: pairs of contacts the user said are different people.

Each row is one pair (the lower id first), so the scan drops a decided pair with one lookup;
`decision_id` groups the pairs of one decision, so that the decision can be forgotten (undone)
as a whole.

Revision ID: 0007_not_duplicates
Revises: 0006_bulk
"""

from alembic import op

revision = "0007_not_duplicates"
down_revision = "0006_bulk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the decisions table (if absent: tests stamp a head database back to replay)."""
    op.execute(
        """CREATE TABLE IF NOT EXISTS not_duplicates (
        low INTEGER NOT NULL, high INTEGER NOT NULL, decision_id INTEGER NOT NULL,
        created_at VARCHAR NOT NULL, PRIMARY KEY (low, high))"""
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_not_duplicates_decision ON not_duplicates (decision_id)"
    )


def downgrade() -> None:
    """Drop the decisions table."""
    op.execute("DROP TABLE not_duplicates")
