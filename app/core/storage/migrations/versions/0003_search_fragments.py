"""The search index holds the pieces a user reads: a number's endings, an email's words.

A phone as the list shows it (`+44 20 7102 6676`), its last digits, or a piece of an email
(`36380@`) found nothing with 0002's index text; the index is rebuilt with the current text.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

from app.core.storage import contacts_repo

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Write every contact's search row again."""
    contacts_repo.rebuild_search_index(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: an older Kith reads the richer index as it is."""
