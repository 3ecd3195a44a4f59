"""The database schema: SQLAlchemy 2.0 declarative tables.

Multi-valued parts of a contact (emails, phones, addresses, URLs, events, custom fields, the
vCard properties Kith does not model) live in one JSON column, `data`, because they are always
read and written with the contact. What must be searched or matched has its own table: emails
and E.164 phones (matching on import, segments), tags (counts, filters) and the FTS5 index.
Keep this file and `migrations/versions` in step: a test compares them.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

APPLICATION_ID = 0x4B697468  # "Kith": PRAGMA application_id marks the file as ours.


class Base(DeclarativeBase):
    """Base of every Kith table."""


class ContactRow(Base):
    """One contact. `deleted_at` set means it is in the trash."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String, nullable=False, unique=True)
    prefix: Mapped[str] = mapped_column(String, nullable=False, default="")
    given: Mapped[str] = mapped_column(String, nullable=False, default="")
    middle: Mapped[str] = mapped_column(String, nullable=False, default="")
    family: Mapped[str] = mapped_column(String, nullable=False, default="")
    suffix: Mapped[str] = mapped_column(String, nullable=False, default="")
    nickname: Mapped[str] = mapped_column(String, nullable=False, default="")
    display_name: Mapped[str] = mapped_column(String, nullable=False, default="")
    sort_first: Mapped[str] = mapped_column(String, nullable=False, default="")
    sort_last: Mapped[str] = mapped_column(String, nullable=False, default="")
    org: Mapped[str] = mapped_column(String, nullable=False, default="")
    sort_org: Mapped[str] = mapped_column(String, nullable=False, default="")
    department: Mapped[str] = mapped_column(String, nullable=False, default="")
    title: Mapped[str] = mapped_column(String, nullable=False, default="")
    birthday: Mapped[str | None] = mapped_column(String)
    anniversary: Mapped[str | None] = mapped_column(String)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    stage: Mapped[str | None] = mapped_column(String)
    priority: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    favourite: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    photo_mime: Mapped[str] = mapped_column(String, nullable=False, default="")
    created_at: Mapped[str] = mapped_column(String, nullable=False)
    updated_at: Mapped[str] = mapped_column(String, nullable=False)
    deleted_at: Mapped[str | None] = mapped_column(String)
    last_contacted: Mapped[str | None] = mapped_column(String)
    import_op: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text, nullable=False, default="{}")

    __table_args__ = (
        Index("ix_contacts_sort_first", "sort_first", sqlite_where=text("deleted_at IS NULL")),
        Index("ix_contacts_sort_last", "sort_last", sqlite_where=text("deleted_at IS NULL")),
        Index("ix_contacts_sort_org", "sort_org", sqlite_where=text("deleted_at IS NULL")),
        Index("ix_contacts_created", "created_at", sqlite_where=text("deleted_at IS NULL")),
        Index(
            "ix_contacts_last_contacted", "last_contacted", sqlite_where=text("deleted_at IS NULL")
        ),
        Index("ix_contacts_deleted", "deleted_at", sqlite_where=text("deleted_at IS NOT NULL")),
    )


class EmailRow(Base):
    """An email of a contact, folded, for matching on import and for segments."""

    __tablename__ = "contact_emails"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String, primary_key=True)

    __table_args__ = (Index("ix_contact_emails_email", "email"),)


class PhoneRow(Base):
    """A phone of a contact in E.164, for matching on import and for segments."""

    __tablename__ = "contact_phones"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    e164: Mapped[str] = mapped_column(String, primary_key=True)

    __table_args__ = (Index("ix_contact_phones_e164", "e164"),)


class TagRow(Base):
    """A tag name."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(collation="NOCASE"), nullable=False, unique=True)


class ContactTagRow(Base):
    """A tag on a contact."""

    __tablename__ = "contact_tags"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    __table_args__ = (Index("ix_contact_tags_tag", "tag_id"),)


class OperationRow(Base):
    """One user-level change (an edit, a delete, an import, a merge): the unit of undo."""

    __tablename__ = "operations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String, nullable=False)
    label: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[str] = mapped_column(String, nullable=False)
    undone: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class JournalRow(Base):
    """A contact's state before and after one operation (JSON snapshots; NULL: absent)."""

    __tablename__ = "journal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    op_id: Mapped[int] = mapped_column(
        ForeignKey("operations.id", ondelete="CASCADE"), nullable=False
    )
    contact_id: Mapped[int] = mapped_column(Integer, nullable=False)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_journal_op", "op_id"),
        Index("ix_journal_contact", "contact_id"),
    )


class BulkOperationRow(Base):
    """A set-based operation (tag, stage, delete, restore): what it wrote, for redo.

    `value` is what the operation wrote into the changed column (a stage, the time of a
    delete; NULL for no stage or a restore), `at` the `updated_at` it gave each contact.
    """

    __tablename__ = "bulk_operations"

    op_id: Mapped[int] = mapped_column(
        ForeignKey("operations.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String, nullable=False)
    value: Mapped[str | None] = mapped_column(String)
    at: Mapped[str] = mapped_column(String, nullable=False)


class BulkEntryRow(Base):
    """A contact a set-based operation changed: its column's value and `updated_at` before."""

    __tablename__ = "bulk_entries"

    op_id: Mapped[int] = mapped_column(
        ForeignKey("operations.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    before: Mapped[str | None] = mapped_column(String)
    updated_before: Mapped[str] = mapped_column(String, nullable=False)

    __table_args__ = ({"sqlite_with_rowid": False},)


class BulkTagLinkRow(Base):
    """A tag a set-based operation put on a contact (`added` 1) or took off (0), by name.

    By name, not id: an unused tag is dropped, and undo creates it again with its own spelling.
    `position` is where the tag stood (or stands) among the contact's tags.
    """

    __tablename__ = "bulk_tag_links"

    op_id: Mapped[int] = mapped_column(
        ForeignKey("operations.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    added: Mapped[int] = mapped_column(Integer, primary_key=True)
    tag: Mapped[str] = mapped_column(String, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = ({"sqlite_with_rowid": False},)


class SegmentRow(Base):
    """A saved smart segment: a name and its rules (JSON, read by services.segments)."""

    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String, nullable=False)
    rules: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class SettingRow(Base):
    """A user setting stored with the data (e.g. the default phone region)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


FTS_DDL = (
    "CREATE VIRTUAL TABLE contact_fts USING fts5("
    "name, org, emails, phones, notes, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', "
    "content = '', contentless_delete = 1)"
)
"""The full-text index; rowid is the contact id. Written by the repository, not by triggers.

Contentless: nothing reads its columns back (search asks only for rowids), so it keeps no copy
of the text (a tenth of the file, written again by every import); `contentless_delete` lets a
contact's row be deleted by rowid all the same.

Tags are not in it: tagging 100,000 contacts would write 100,000 index rows again (about ten
seconds). Search finds a tag's words in `contact_fts_tags`, an index over the few tag names,
and its contacts through `contact_tags`.
"""

TAG_FTS_DDL = (
    "CREATE VIRTUAL TABLE contact_fts_tags USING fts5("
    "name, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', "
    "content = 'tags', content_rowid = 'id')"
)
"""The index over tag names (rowid: the tag's id), kept by the triggers below."""

TAG_FTS_TRIGGERS = (
    "CREATE TRIGGER tags_fts_insert AFTER INSERT ON tags BEGIN "
    "INSERT INTO contact_fts_tags (rowid, name) VALUES (new.id, new.name); END",
    "CREATE TRIGGER tags_fts_delete AFTER DELETE ON tags BEGIN "
    "INSERT INTO contact_fts_tags (contact_fts_tags, rowid, name) "
    "VALUES ('delete', old.id, old.name); END",
    "CREATE TRIGGER tags_fts_update AFTER UPDATE ON tags BEGIN "
    "INSERT INTO contact_fts_tags (contact_fts_tags, rowid, name) "
    "VALUES ('delete', old.id, old.name); "
    "INSERT INTO contact_fts_tags (rowid, name) VALUES (new.id, new.name); END",
)
"""Tags change rarely and few at a time: triggers keep their index whatever path writes them."""
