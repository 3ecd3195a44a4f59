"""The first schema: contacts, their lookups, tags, the journal, settings and the FTS index.

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_NOT_DELETED = "WHERE deleted_at IS NULL"

STATEMENTS = [
    """CREATE TABLE contacts (
        id INTEGER NOT NULL, uid VARCHAR NOT NULL,
        prefix VARCHAR NOT NULL, given VARCHAR NOT NULL, middle VARCHAR NOT NULL,
        family VARCHAR NOT NULL, suffix VARCHAR NOT NULL, nickname VARCHAR NOT NULL,
        display_name VARCHAR NOT NULL, sort_first VARCHAR NOT NULL, sort_last VARCHAR NOT NULL,
        org VARCHAR NOT NULL, sort_org VARCHAR NOT NULL, department VARCHAR NOT NULL,
        title VARCHAR NOT NULL, birthday VARCHAR, anniversary VARCHAR, notes TEXT NOT NULL,
        stage VARCHAR, priority INTEGER NOT NULL, favourite INTEGER NOT NULL, photo BLOB,
        photo_mime VARCHAR NOT NULL, created_at VARCHAR NOT NULL, updated_at VARCHAR NOT NULL,
        deleted_at VARCHAR, last_contacted VARCHAR, import_op INTEGER, data TEXT NOT NULL,
        PRIMARY KEY (id), UNIQUE (uid))""",
    f"CREATE INDEX ix_contacts_created ON contacts (created_at) {_NOT_DELETED}",
    "CREATE INDEX ix_contacts_deleted ON contacts (deleted_at) WHERE deleted_at IS NOT NULL",
    f"CREATE INDEX ix_contacts_sort_first ON contacts (sort_first) {_NOT_DELETED}",
    f"CREATE INDEX ix_contacts_sort_last ON contacts (sort_last) {_NOT_DELETED}",
    f"CREATE INDEX ix_contacts_sort_org ON contacts (sort_org) {_NOT_DELETED}",
    f"CREATE INDEX ix_contacts_last_contacted ON contacts (last_contacted) {_NOT_DELETED}",
    """CREATE TABLE operations (
        id INTEGER NOT NULL, kind VARCHAR NOT NULL, label VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL, undone INTEGER NOT NULL, PRIMARY KEY (id))""",
    """CREATE TABLE segments (
        id INTEGER NOT NULL, name VARCHAR NOT NULL, rules TEXT NOT NULL,
        position INTEGER NOT NULL, PRIMARY KEY (id))""",
    """CREATE TABLE settings ("key" VARCHAR NOT NULL, value TEXT NOT NULL, PRIMARY KEY ("key"))""",
    """CREATE TABLE tags (
        id INTEGER NOT NULL, name VARCHAR COLLATE "NOCASE" NOT NULL,
        PRIMARY KEY (id), UNIQUE (name))""",
    """CREATE TABLE contact_emails (
        contact_id INTEGER NOT NULL, email VARCHAR NOT NULL, PRIMARY KEY (contact_id, email),
        FOREIGN KEY(contact_id) REFERENCES contacts (id) ON DELETE CASCADE)""",
    "CREATE INDEX ix_contact_emails_email ON contact_emails (email)",
    """CREATE TABLE contact_phones (
        contact_id INTEGER NOT NULL, e164 VARCHAR NOT NULL, PRIMARY KEY (contact_id, e164),
        FOREIGN KEY(contact_id) REFERENCES contacts (id) ON DELETE CASCADE)""",
    "CREATE INDEX ix_contact_phones_e164 ON contact_phones (e164)",
    """CREATE TABLE contact_tags (
        contact_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (contact_id, tag_id),
        FOREIGN KEY(contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
        FOREIGN KEY(tag_id) REFERENCES tags (id) ON DELETE CASCADE)""",
    "CREATE INDEX ix_contact_tags_tag ON contact_tags (tag_id)",
    """CREATE TABLE journal (
        id INTEGER NOT NULL, op_id INTEGER NOT NULL, contact_id INTEGER NOT NULL,
        "before" TEXT, "after" TEXT, PRIMARY KEY (id),
        FOREIGN KEY(op_id) REFERENCES operations (id) ON DELETE CASCADE)""",
    "CREATE INDEX ix_journal_op ON journal (op_id)",
    "CREATE INDEX ix_journal_contact ON journal (contact_id)",
    """CREATE VIRTUAL TABLE contact_fts USING fts5(
        name, org, emails, phones, notes, tags,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3',
        content = '', contentless_delete = 1)""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for table in (
        "contact_fts",
        "journal",
        "contact_tags",
        "contact_phones",
        "contact_emails",
        "tags",
        "segments",
        "settings",
        "operations",
        "contacts",
    ):
        op.execute(f"DROP TABLE IF EXISTS {table}")
