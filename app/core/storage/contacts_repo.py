"""Reading and writing contacts: rows to domain dataclasses and back, with their indexes.

Every function takes the caller's connection, so that one operation (an import of 100,000
contacts, an undo) is one transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from app.core.domain.contact import Contact
from app.core.domain.normalise import digits, fold, normalise_email
from app.core.storage.contact_rows import RowMapping

if TYPE_CHECKING:
    from sqlalchemy import Connection

_COLUMNS = (
    "id", "uid", "prefix", "given", "middle", "family", "suffix", "nickname", "display_name",
    "sort_first", "sort_last", "org", "sort_org", "department", "title", "birthday",
    "anniversary", "notes", "stage", "priority", "favourite", "photo", "photo_mime",
    "created_at", "updated_at", "deleted_at", "last_contacted", "import_op", "data",
)  # fmt: skip
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM contacts"
# OR ROLLBACK: a statement that may abort half-way keeps a statement journal, a copy of every
# page it touches; this one has nothing to undo short of the whole transaction, which an error
# rolls back anyway.
_INSERT_INTO = "INSERT OR ROLLBACK INTO contacts (" + ", ".join(_COLUMNS) + ")"
_PARAMS_PER_STATEMENT = 30_000  # SQLite's default limit on host parameters is 32,766.
_quote = encode_basestring
"""A JSON string, exactly as `json.dumps(..., ensure_ascii=False)` writes strings."""
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_CHUNK = 500  # SQLite's default limit on host parameters is 32,766; stay well below.


_ROWS = RowMapping(_COLUMNS)
_data_json = _ROWS.data_json
_row_values = _ROWS.values
_from_row = _ROWS.contact


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def get_many(conn: Connection, ids: Sequence[int]) -> list[Contact]:
    """The contacts with these ids (trashed ones too), in the order of `ids`."""
    found: dict[int, Contact] = {}
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        tag_rows = conn.exec_driver_sql(
            "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id "
            f"WHERE ct.contact_id IN ({marks}) ORDER BY ct.contact_id, ct.position",
            tuple(chunk),
        ).all()
        tags: dict[int, list[str]] = {}
        for contact_id, name in tag_rows:
            tags.setdefault(contact_id, []).append(name)
        rows = conn.exec_driver_sql(f"{_SELECT} WHERE id IN ({marks})", tuple(chunk)).all()
        for row in rows:
            found[row[0]] = _from_row(row, tags.get(row[0], []))
    return [found[i] for i in ids if i in found]


def get(conn: Connection, contact_id: int) -> Contact | None:
    """One contact, or None."""
    result = get_many(conn, [contact_id])
    return result[0] if result else None


def stored_ids(conn: Connection, ids: Sequence[int]) -> set[int]:
    """Which of these ids are stored (in the trash or not)."""
    found: set[int] = set()
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(f"SELECT id FROM contacts WHERE id IN ({marks})", tuple(chunk))
        found.update(int(row[0]) for row in rows)
    return found


def next_ids(conn: Connection, count: int) -> list[int]:
    """Fresh ids, never used before (the journal may still hold undone contacts' ids)."""
    row = conn.exec_driver_sql(
        "SELECT max(coalesce((SELECT max(id) FROM contacts), 0), "
        "coalesce((SELECT max(contact_id) FROM journal), 0))"
    ).one()
    start = int(row[0]) + 1
    return list(range(start, start + count))


def prepare_new(contact: Contact, contact_id: int, when: datetime) -> Contact:
    """Give a new contact its id, a UID if it has none, and its times."""
    contact.id = contact_id
    contact.uid = contact.uid or _new_uid()
    contact.created_at = contact.created_at or when
    contact.updated_at = when
    return contact


@dataclass(slots=True)
class Batch:
    """Rows ready to write for a batch of contacts: built without touching the database."""

    contacts: list[tuple[Any, ...]] = field(default_factory=list)
    fts: list[tuple[Any, ...]] = field(default_factory=list)
    emails: list[tuple[int | None, str]] = field(default_factory=list)
    phones: list[tuple[int | None, str]] = field(default_factory=list)
    tag_links: list[tuple[int | None, str, int]] = field(default_factory=list)


def prepare_batch(contacts: Iterable[Contact], import_op: int | None = None) -> Batch:
    """Every row new contacts need (ids, UIDs and times already set by `prepare_new`)."""
    batch = Batch()
    for c in contacts:
        display_name = c.display_name
        batch.contacts.append(_row_values(c, display_name, import_op))
        batch.fts.append(fts_row(c, display_name))
        batch.emails.extend({(c.id, normalise_email(e.value)) for e in c.emails if e.value.strip()})
        batch.phones.extend({(c.id, p.e164) for p in c.phones if p.e164})
        batch.tag_links.extend((c.id, tag, pos) for pos, tag in enumerate(dict.fromkeys(c.tags)))
    return batch


def _insert_rows(conn: Connection, into: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """`{into} VALUES (...), (...), ...`: many rows to a statement.

    SQLite releases the GIL once a statement instead of once a row, so the thread preparing the
    next batch runs while SQLite works rather than queueing for the GIL after every row.
    """
    if not rows:
        return
    marks = "(" + ",".join("?" * len(rows[0])) + ")"
    per_statement = max(1, _PARAMS_PER_STATEMENT // len(rows[0]))
    for start in range(0, len(rows), per_statement):
        part = rows[start : start + per_statement]
        conn.exec_driver_sql(
            f"{into} VALUES {','.join([marks] * len(part))}", tuple(chain.from_iterable(part))
        )


def write_batch(conn: Connection, batch: Batch) -> None:
    """Write a prepared batch: the contacts, their FTS rows, emails, phones and tags.

    The two costly tables go first, many rows to a statement, so that the thread preparing the
    next batch has the GIL while SQLite works on them. The small ones follow row by row, which
    SQLite does faster and which no longer has to wait on the other thread by then.
    """
    if not batch.contacts:
        return
    _insert_rows(conn, FTS_INSERT, batch.fts)
    _insert_rows(conn, _INSERT_INTO, batch.contacts)
    if batch.emails:
        conn.exec_driver_sql(
            "INSERT INTO contact_emails (contact_id, email) VALUES (?, ?)", batch.emails
        )
    if batch.phones:
        conn.exec_driver_sql(
            "INSERT INTO contact_phones (contact_id, e164) VALUES (?, ?)", batch.phones
        )
    if batch.tag_links:
        names = sorted({fold(t): t for _, t, _ in batch.tag_links}.values())
        conn.exec_driver_sql("INSERT OR IGNORE INTO tags (name) VALUES (?)", [(n,) for n in names])
        # Each distinct tag is looked up once, by SQLite's own comparison (NOCASE): joining
        # `tags` for every link cost more than inserting the links.
        tag_ids: dict[str, int | None] = {}
        for _, tag, _ in batch.tag_links:
            if tag not in tag_ids:
                tag_ids[tag] = conn.exec_driver_sql(
                    "SELECT id FROM tags WHERE name = ?", (tag,)
                ).scalar()
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id, position) VALUES (?, ?, ?)",
            [(cid, tag_ids[tag], pos) for cid, tag, pos in batch.tag_links if tag_ids[tag]],
        )


def insert_many(
    conn: Connection, contacts: Sequence[Contact], import_op: int | None = None
) -> None:
    """Store new contacts (ids, UIDs and times already set by `prepare_new`)."""
    write_batch(conn, prepare_batch(contacts, import_op))


def insert_stream(
    conn: Connection, chunks: Iterable[Sequence[Contact]], import_op: int | None = None
) -> None:
    """Store chunks of new contacts, preparing the next chunk while SQLite writes this one.

    SQLite releases the GIL while it works, so preparing rows in a second thread overlaps
    Python's share of an import with SQLite's.
    """
    # Imported here, as the import is the only user: 3 ms off every command's start.
    from concurrent.futures import Future, ThreadPoolExecutor  # noqa: PLC0415

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kith-prepare") as pool:
        pending: Future[Batch] | None = None
        for chunk in chunks:
            ready = pool.submit(prepare_batch, list(chunk), import_op)
            if pending is not None:
                write_batch(conn, pending.result())
            pending = ready
        if pending is not None:
            write_batch(conn, pending.result())


def replace(conn: Connection, contact: Contact) -> None:
    """Write `contact` over the stored row with its id, or insert it with that id."""
    assert contact.id is not None
    # The import that brought a contact in stays its import, so edits keep import segments.
    import_op = conn.exec_driver_sql(
        "SELECT import_op FROM contacts WHERE id = ?", (contact.id,)
    ).scalar()
    remove(conn, [contact.id])
    insert_many(conn, [contact], import_op)


def remove(conn: Connection, ids: Sequence[int]) -> None:
    """Delete these contacts for good (from the trash, or when undoing their creation)."""
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        params = tuple(chunk)
        conn.exec_driver_sql(f"DELETE FROM contact_fts WHERE rowid IN ({marks})", params)
        conn.exec_driver_sql(f"DELETE FROM contacts WHERE id IN ({marks})", params)


def _new_uid() -> str:
    """A random UUID, as vCard's UID (imported here: uuid costs every listing 2 ms)."""
    import uuid  # noqa: PLC0415

    return str(uuid.uuid4())


def _national_number(international: str) -> str:
    """The digits after the country code (country codes are 1 to 3 digits, prefix-free)."""
    # Imported here: phonenumbers takes 14 ms to import, and a listing never indexes a phone.
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE  # noqa: PLC0415

    for length in (1, 2, 3):
        if int(international[:length] or 0) in COUNTRY_CODE_TO_REGION_CODE:
            return international[length:]
    return international


MIN_FRAGMENT = 3
"""The shortest ending of a phone number or an email word that search finds."""
_WORD = re.compile(r"\w+")


FTS_INSERT = "INSERT INTO contact_fts (rowid, name, org, emails, phones, notes)"


def fts_row(c: Contact, display_name: str) -> tuple[Any, ...]:
    """The search index's row for a contact: what a user can read of it, and its pieces.

    Not its tags: search finds them through the index of tag names (`contact_fts_tags`), so
    that tagging many contacts never rewrites their rows here.
    """
    return (
        c.id,
        f"{display_name} {c.nickname}",
        f"{c.org} {c.department} {c.title}",
        _fts_emails(c),
        _fts_phones(c),
        c.notes,
    )


def _fts_phones(contact: Contact) -> str:
    """Each number's digits as typed, international and national, with every ending.

    The endings (down to MIN_FRAGMENT digits) let a prefix query find a number by its last
    digits, or by any run of its digits ("7102 6676" in +44 20 7102 6676).
    """
    forms: list[str] = []
    for phone in contact.phones:
        forms.append(digits(phone.value))
        if phone.e164:
            international = phone.e164[1:]
            national = _national_number(international)
            forms += [international, f"0{national}"]
    return " ".join(dict.fromkeys(_endings(f for f in forms if f)))


def _fts_emails(contact: Contact) -> str:
    """The emails, with the endings of the words before the @, so a piece of one finds it.

    Only the local part: its words are what tells people apart ("smith36380"), while the
    domain's words are few and whole, and their endings would grow the index by half again.
    """
    words = (
        w
        for e in contact.emails
        for w in _WORD.findall(fold(e.value.rpartition("@")[0] or e.value))
    )
    return " ".join(e.value for e in contact.emails) + " " + " ".join(_endings(words, skip=1))


def _endings(words: Iterable[str], skip: int = 0) -> Iterable[str]:
    """Each word with its endings of MIN_FRAGMENT characters or more (after `skip` of them)."""
    for word in words:
        if skip == 0:
            yield word
        for start in range(1, len(word) - MIN_FRAGMENT + 1):
            yield word[start:]


def rebuild_search_index(conn: Connection) -> None:
    """Write every contact's search row again (after the index's text changed)."""
    conn.exec_driver_sql("INSERT INTO contact_fts (contact_fts) VALUES ('delete-all')")
    ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM contacts ORDER BY id")]
    for chunk in _chunks(ids):
        rows = [fts_row(c, c.display_name) for c in get_many(conn, chunk)]
        _insert_rows(conn, FTS_INSERT, rows)


def find_by_uid(conn: Connection, uid: str) -> int | None:
    """The id of the contact with this vCard UID."""
    row = conn.exec_driver_sql("SELECT id FROM contacts WHERE uid = ?", (uid,)).first()
    return int(row[0]) if row else None


def delete_unused_tags(conn: Connection) -> None:
    """Drop tags no contact carries any more."""
    conn.exec_driver_sql(
        "DELETE FROM tags WHERE id NOT IN (SELECT DISTINCT tag_id FROM contact_tags)"
    )
