"""Set-based bulk changes: a compact journal for them, and tags searched outside the main index.

Tagging, staging, deleting or restoring many contacts is journaled as the operation's kind, the
value it wrote and the ids it changed (`bulk_operations`, `bulk_entries`, `bulk_tag_links`),
not as two JSON snapshots per contact. The main search index no longer holds tags (a tag change
would rewrite every tagged contact's index row); a small index over tag names does instead.

Revision ID: 0006_bulk
Revises: 0005_reminder_indexes
"""

from alembic import op

from app.core.storage import contacts_repo

revision = "0006_bulk"
down_revision = "0005_reminder_indexes"
branch_labels = None
depends_on = None

# Written out, not imported from schema.py: a migration is what the schema was at its revision.
# WITHOUT ROWID: the rows are written in key order, once, into one tree (not a table and an
# index), and read back by operation and contact id range.
_TABLES = [
    """CREATE TABLE IF NOT EXISTS bulk_operations (
        op_id INTEGER NOT NULL, kind VARCHAR NOT NULL, value VARCHAR, at VARCHAR NOT NULL,
        PRIMARY KEY (op_id),
        FOREIGN KEY(op_id) REFERENCES operations (id) ON DELETE CASCADE)""",
    """CREATE TABLE IF NOT EXISTS bulk_entries (
        op_id INTEGER NOT NULL, contact_id INTEGER NOT NULL, "before" VARCHAR,
        updated_before VARCHAR NOT NULL, PRIMARY KEY (op_id, contact_id),
        FOREIGN KEY(op_id) REFERENCES operations (id) ON DELETE CASCADE) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS bulk_tag_links (
        op_id INTEGER NOT NULL, contact_id INTEGER NOT NULL, added INTEGER NOT NULL,
        tag VARCHAR NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (op_id, contact_id, added, tag),
        FOREIGN KEY(op_id) REFERENCES operations (id) ON DELETE CASCADE) WITHOUT ROWID""",
]
_CONTACT_FTS = """CREATE VIRTUAL TABLE contact_fts USING fts5(
    name, org, emails, phones, notes,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3',
    content = '', contentless_delete = 1)"""
_TAG_FTS = [
    """CREATE VIRTUAL TABLE contact_fts_tags USING fts5(
        name, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3',
        content = 'tags', content_rowid = 'id')""",
    """CREATE TRIGGER tags_fts_insert AFTER INSERT ON tags BEGIN
        INSERT INTO contact_fts_tags (rowid, name) VALUES (new.id, new.name); END""",
    """CREATE TRIGGER tags_fts_delete AFTER DELETE ON tags BEGIN
        INSERT INTO contact_fts_tags (contact_fts_tags, rowid, name)
        VALUES ('delete', old.id, old.name); END""",
    """CREATE TRIGGER tags_fts_update AFTER UPDATE ON tags BEGIN
        INSERT INTO contact_fts_tags (contact_fts_tags, rowid, name)
        VALUES ('delete', old.id, old.name);
        INSERT INTO contact_fts_tags (rowid, name) VALUES (new.id, new.name); END""",
    "INSERT INTO contact_fts_tags (contact_fts_tags) VALUES ('rebuild')",
]


def upgrade() -> None:
    """Add the bulk journal, index tag names apart and rebuild the main index without tags.

    Safe to run again over its own result (a test marks a current database as older).
    """
    for statement in _TABLES:
        op.execute(statement)
    for trigger in ("tags_fts_insert", "tags_fts_delete", "tags_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS contact_fts_tags")
    op.execute("DROP TABLE IF EXISTS contact_fts")
    op.execute(_CONTACT_FTS)
    for statement in _TAG_FTS:
        op.execute(statement)
    contacts_repo.rebuild_search_index(op.get_bind())


def downgrade() -> None:
    """Not supported: Kith migrates forward only (a backup is taken before each migration)."""
    raise NotImplementedError("Kith migrates forward only; restore the backup instead.")
