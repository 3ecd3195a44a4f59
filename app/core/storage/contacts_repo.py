"""Reading and writing contacts: rows to domain dataclasses and back, with their indexes.

Every function takes the caller's connection, so that one operation (an import of 100,000
contacts, an undo) is one transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE
from sqlalchemy import Connection

from app.core.domain.contact import Contact, Name, Stage
from app.core.domain.dates import PartialDate
from app.core.domain.normalise import digits, fold, normalise_email, sort_key
from app.core.domain.serialise import contact_from_dict

_COLUMNS = (
    "id", "uid", "prefix", "given", "middle", "family", "suffix", "nickname", "display_name",
    "sort_first", "sort_last", "org", "sort_org", "department", "title", "birthday",
    "anniversary", "notes", "stage", "priority", "favourite", "photo", "photo_mime",
    "created_at", "updated_at", "deleted_at", "last_contacted", "import_op", "data",
)  # fmt: skip
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM contacts"
_INSERT = (
    "INSERT INTO contacts ("
    + ", ".join(_COLUMNS)
    + ") VALUES ("
    + ", ".join("?" * len(_COLUMNS))
    + ")"
)
_CHUNK = 500  # SQLite's default limit on host parameters is 32,766; stay well below.


def now() -> datetime:
    """The current time, in UTC, to the second (what the store records)."""
    return datetime.now(UTC).replace(microsecond=0)


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def _data_json(c: Contact) -> str:
    """The `data` column: the multi-valued parts, in contact_to_dict's shape (empty ones left out).

    Written out by hand rather than through contact_to_dict: this runs for every contact of an
    import, and building the whole dict took a third of the insert time.
    """
    data: dict[str, Any] = {}
    if c.emails:
        data["emails"] = [{"value": e.value, "label": e.label} for e in c.emails]
    if c.phones:
        data["phones"] = [{"value": p.value, "e164": p.e164, "label": p.label} for p in c.phones]
    if c.addresses:
        data["addresses"] = [
            {
                "label": a.label,
                "street": a.street,
                "city": a.city,
                "region": a.region,
                "postal_code": a.postal_code,
                "country": a.country,
                "po_box": a.po_box,
                "extended": a.extended,
            }
            for a in c.addresses
        ]
    if c.urls:
        data["urls"] = [{"value": u.value, "label": u.label} for u in c.urls]
    if c.events:
        data["events"] = [{"label": e.label, "date": e.date.iso()} for e in c.events]
    if c.custom:
        data["custom"] = c.custom
    if c.extra_vcard:
        data["extra_vcard"] = c.extra_vcard
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def row_values(contact: Contact, import_op: int | None = None) -> tuple[Any, ...]:
    """The `contacts` row for `contact`, in `_COLUMNS` order (`id` and times must be set)."""
    data = _data_json(contact)
    n = contact.name
    return (
        contact.id, contact.uid, n.prefix, n.given, n.middle, n.family, n.suffix,
        contact.nickname, contact.display_name, sort_key(contact, family_first=False),
        sort_key(contact, family_first=True), contact.org, fold(contact.org),
        contact.department, contact.title, _date(contact.birthday), _date(contact.anniversary),
        contact.notes, contact.stage.value if contact.stage else None, contact.priority,
        int(contact.favourite), contact.photo, contact.photo_mime, _time(contact.created_at),
        _time(contact.updated_at), _time(contact.deleted_at), _time(contact.last_contacted),
        import_op, data,
    )  # fmt: skip


def _from_row(row: Sequence[Any], tags: list[str]) -> Contact:
    data = json.loads(row[28])
    parts = contact_from_dict(data)
    return Contact(
        id=row[0],
        uid=row[1],
        name=Name(row[2], row[3], row[4], row[5], row[6]),
        nickname=row[7],
        emails=parts.emails,
        phones=parts.phones,
        addresses=parts.addresses,
        urls=parts.urls,
        org=row[11],
        department=row[13],
        title=row[14],
        birthday=PartialDate.parse(row[15]) if row[15] else None,
        anniversary=PartialDate.parse(row[16]) if row[16] else None,
        events=parts.events,
        notes=row[17],
        tags=tags,
        custom=parts.custom,
        photo=row[21],
        photo_mime=row[22],
        stage=Stage(row[18]) if row[18] else None,
        priority=row[19],
        favourite=bool(row[20]),
        created_at=datetime.fromisoformat(row[23]),
        updated_at=datetime.fromisoformat(row[24]),
        deleted_at=datetime.fromisoformat(row[25]) if row[25] else None,
        last_contacted=datetime.fromisoformat(row[26]) if row[26] else None,
        extra_vcard=parts.extra_vcard,
    )


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


def exists(conn: Connection, contact_id: int) -> bool:
    """Whether a contact with this id is stored (in the trash or not)."""
    row = conn.exec_driver_sql("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)).first()
    return row is not None


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
    contact.uid = contact.uid or str(uuid.uuid4())
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
        batch.contacts.append(row_values(c, import_op))
        batch.fts.append(
            (
                c.id,
                f"{c.display_name} {c.nickname}",
                f"{c.org} {c.department} {c.title}",
                " ".join(e.value for e in c.emails),
                _fts_phones(c),
                c.notes,
                " ".join(c.tags),
            )
        )
        batch.emails.extend({(c.id, normalise_email(e.value)) for e in c.emails if e.value.strip()})
        batch.phones.extend({(c.id, p.e164) for p in c.phones if p.e164})
        batch.tag_links.extend((c.id, tag, pos) for pos, tag in enumerate(dict.fromkeys(c.tags)))
    return batch


def write_batch(conn: Connection, batch: Batch) -> None:
    """Write a prepared batch: the contacts, their FTS rows, emails, phones and tags."""
    if not batch.contacts:
        return
    conn.exec_driver_sql(_INSERT, batch.contacts)
    conn.exec_driver_sql(
        "INSERT INTO contact_fts (rowid, name, org, emails, phones, notes, tags) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        batch.fts,
    )
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
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id, position) "
            "SELECT ?, id, ? FROM tags WHERE name = ?",
            [(cid, pos, tag) for cid, tag, pos in batch.tag_links],
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


def _national_number(international: str) -> str:
    """The digits after the country code (country codes are 1 to 3 digits, prefix-free)."""
    for length in (1, 2, 3):
        if int(international[:length] or 0) in COUNTRY_CODE_TO_REGION_CODE:
            return international[length:]
    return international


def _fts_phones(contact: Contact) -> str:
    tokens: list[str] = []
    for phone in contact.phones:
        tokens.append(digits(phone.value))
        if phone.e164:
            international = phone.e164[1:]
            tokens.append(international)
            national = _national_number(international)
            tokens += [national, f"0{national}"]
    return " ".join(dict.fromkeys(t for t in tokens if t))


def set_deleted(conn: Connection, ids: Sequence[int], when: datetime | None) -> None:
    """Move contacts to the trash (`when` set) or out of it (None)."""
    stamp = _time(when)
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(
            f"UPDATE contacts SET deleted_at = ? WHERE id IN ({marks})", (stamp, *chunk)
        )


def find_by_uid(conn: Connection, uid: str) -> int | None:
    """The id of the contact with this vCard UID."""
    row = conn.exec_driver_sql("SELECT id FROM contacts WHERE uid = ?", (uid,)).first()
    return int(row[0]) if row else None


def find_by_email(conn: Connection, email: str) -> list[int]:
    """Ids of live contacts with this email (folded)."""
    rows = conn.exec_driver_sql(
        "SELECT e.contact_id FROM contact_emails e JOIN contacts c ON c.id = e.contact_id "
        "WHERE e.email = ? AND c.deleted_at IS NULL",
        (normalise_email(email),),
    ).all()
    return [int(r[0]) for r in rows]


def find_by_phone(conn: Connection, e164: str) -> list[int]:
    """Ids of live contacts with this E.164 phone."""
    rows = conn.exec_driver_sql(
        "SELECT p.contact_id FROM contact_phones p JOIN contacts c ON c.id = p.contact_id "
        "WHERE p.e164 = ? AND c.deleted_at IS NULL",
        (e164,),
    ).all()
    return [int(r[0]) for r in rows]


def delete_unused_tags(conn: Connection) -> None:
    """Drop tags no contact carries any more."""
    conn.exec_driver_sql(
        "DELETE FROM tags WHERE id NOT IN (SELECT DISTINCT tag_id FROM contact_tags)"
    )
