"""Import as one operation: a preview of what will happen, then one transaction and one undo.

A record matches a stored contact by the same vCard UID, email or E.164 phone. The preview says,
per record, whether it is new, matches a contact, or could not be read (with its line and why);
the commit applies `on_match` (skip, update or create) to the matches.
"""

from __future__ import annotations

import contextlib
import copy
import enum
import gc
import itertools
import os
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.domain.contact import Contact
from app.core.domain.normalise import is_valid_email, normalise_email, phone_problem
from app.core.errors import UserFacingError
from app.core.formats import ImportProblem, ImportRecord, detect_format, read_records
from app.core.services.contacts import ChangeSet
from app.core.storage import contacts_repo, journal
from app.core.storage.database import Database

CHUNK = 2000
Progress = Callable[[int], None]
"""Called with the number of records read so far."""


class OnMatch(enum.StrEnum):
    """What to do with a record that matches a stored contact."""

    SKIP = "skip"
    UPDATE = "update"
    CREATE = "create"


class Status(enum.StrEnum):
    """What the preview says of one record."""

    NEW = "new"
    MATCH = "match"
    PROBLEM = "problem"


class ImportCancelledError(UserFacingError):
    """The user cancelled the import; nothing was stored."""


@dataclass(slots=True)
class PreviewRow:
    """One record of the file, as the preview table shows it."""

    line: int
    display_name: str
    status: Status
    detail: str = ""
    match_id: int | None = None
    warnings: tuple[str, ...] = ()
    """What may be wrong with a record that was read (the detail also says why it matches)."""


@dataclass(slots=True)
class ImportPreview:
    """What an import would do; `commit` applies it."""

    path: Path
    format: str
    rows: list[PreviewRow] = field(default_factory=list)
    """Every record's row; or, when `all_rows` is False, only those with something to say."""
    records: list[tuple[Contact, int | None]] = field(default_factory=list)
    all_rows: bool = True
    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))
    warned: int = 0
    """Records that were read, with warnings (an invalid phone, say)."""

    def add(self, row: PreviewRow) -> None:
        """Count a record's row, and keep it (all of them, or those with a problem or warning).

        A million plain new records are a count, not a million rows held until the report.
        """
        self.counts[row.status] += 1
        if row.warnings and row.status is not Status.PROBLEM:
            self.warned += 1
        if self.all_rows or row.status is Status.PROBLEM or row.warnings:
            self.rows.append(row)

    @property
    def new(self) -> int:
        """Records that would become new contacts."""
        return self.counts[Status.NEW]

    @property
    def matches(self) -> int:
        """Records that match a stored contact."""
        return self.counts[Status.MATCH]

    @property
    def problems(self) -> int:
        """Records that could not be read, or were read with warnings (an invalid phone)."""
        return self.counts[Status.PROBLEM] + self.warned


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What a committed import did."""

    change: ChangeSet
    operation_id: int | None
    created: int
    updated: int
    skipped: int


class _Matcher:
    """Finds the stored contact a record matches: same UID, else email, else E.164 phone."""

    def __init__(self, conn: Connection) -> None:
        live = "JOIN contacts c ON c.id = x.contact_id AND c.deleted_at IS NULL"
        query = conn.exec_driver_sql
        self._uids: dict[str, int] = {
            uid: cid for uid, cid in query("SELECT uid, id FROM contacts WHERE deleted_at IS NULL")
        }
        self._emails: dict[str, int] = {
            email: cid
            for email, cid in query(f"SELECT x.email, x.contact_id FROM contact_emails x {live}")
        }
        self._phones: dict[str, int] = {
            e164: cid
            for e164, cid in query(f"SELECT x.e164, x.contact_id FROM contact_phones x {live}")
        }

    def match(self, contact: Contact) -> tuple[int | None, str]:
        if contact.uid and contact.uid in self._uids:
            return int(self._uids[contact.uid]), "same UID"
        for email in contact.emails:
            found = self._emails.get(normalise_email(email.value))
            if found is not None:
                return int(found), f"same email {email.value}"
        for phone in contact.phones:
            if phone.e164 and phone.e164 in self._phones:
                return int(self._phones[phone.e164]), f"same phone {phone.e164}"
        return None, ""


def _checked(record: ImportRecord, region: str) -> list[str]:
    notes = list(record.warnings)
    notes += [
        f"{e.value!r} does not look like an email address"
        for e in record.contact.emails
        if not is_valid_email(e.value)
    ]
    problems = ((p.value, phone_problem(p.value, region)) for p in record.contact.phones)
    notes += [f"phone {value!r}: {problem}" for value, problem in problems if problem]
    return notes


def _records(
    path: Path,
    fmt: str,
    *,
    region: str,
    column_map: dict[str, str] | None,
    cancel: threading.Event | None,
    progress: Progress | None,
) -> Iterator[ImportRecord | ImportProblem]:
    for n, item in enumerate(read_records(path, format=fmt, region=region, column_map=column_map)):
        if cancel is not None and cancel.is_set():
            raise ImportCancelledError("The import was cancelled; nothing was stored.")
        if progress is not None and n % 500 == 0:
            progress(n)
        yield item


def _format_of(path: Path, format: str) -> str:
    """The file's format; a pipe is refused here, since a preview and its commit read twice.

    (`kith import` hands over a pipe's content, read once into memory, as a regular file.)
    """
    with contextlib.suppress(OSError):  # a missing file is the reader's to report
        mode = os.stat(path).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise UserFacingError(
                f"{path.name} is a pipe or device, not a file; save it as a file and import that."
            )
    return detect_format(path) if format == "auto" else format


def preview(
    db: Database,
    path: Path,
    *,
    format: str = "auto",
    region: str,
    column_map: dict[str, str] | None = None,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
    keep_records: bool = True,
    all_rows: bool = True,
) -> ImportPreview:
    """Read `path` and say, per record, what importing it would do. Stores nothing.

    With `keep_records` the preview keeps every record for `commit`; without (a dry run that
    only reports), it keeps no records, and with `all_rows` False only the rows of problems
    and warnings: memory then stays flat however large the file.
    """
    fmt = _format_of(path, format)
    result = ImportPreview(path, fmt, all_rows=all_rows)
    with db.read() as conn:
        matcher = _Matcher(conn)
    records = _records(
        path, fmt, region=region, column_map=column_map, cancel=cancel, progress=progress
    )
    for item in records:
        row = _classify(matcher, item, region)
        result.add(row)
        if keep_records and isinstance(item, ImportRecord):
            result.records.append((item.contact, row.match_id))
    return result


def _classify(matcher: _Matcher, item: ImportRecord | ImportProblem, region: str) -> PreviewRow:
    """The preview's row for one record: new, a match (and with what), or a problem."""
    if isinstance(item, ImportProblem):
        return PreviewRow(item.line, "", Status.PROBLEM, item.reason)
    match_id, why = matcher.match(item.contact)
    warnings = tuple(_checked(item, region))
    detail = "; ".join([why, *warnings] if why else warnings)
    status = Status.NEW if match_id is None else Status.MATCH
    return PreviewRow(item.line, item.contact.display_name, status, detail, match_id, warnings)


def run(
    db: Database,
    path: Path,
    *,
    format: str = "auto",
    region: str,
    on_match: OnMatch = OnMatch.SKIP,
    column_map: dict[str, str] | None = None,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
    all_rows: bool = True,
    clock: Clock = SYSTEM_CLOCK,
) -> tuple[ImportPreview, ImportResult]:
    """Read and store `path` in one pass: what `preview` then `commit` do, without the pause.

    Records are matched against the contacts stored before the import (as the preview does)
    and written a chunk at a time as they are parsed, in one transaction and one operation,
    so that parsing (in worker processes) overlaps storing and memory stays flat. The
    returned preview keeps no records, and with `all_rows` False only the rows of problems
    and warnings (what a report of a large import needs).
    """
    fmt = _format_of(path, format)
    plan = ImportPreview(path, fmt, all_rows=all_rows)
    label = f"Import {path.name}"
    added: list[int] = []
    changed: list[int] = []
    skipped = 0
    op: int | None = None
    when = clock.now()  # the one time the whole import is recorded at
    records = _records(
        path, fmt, region=region, column_map=column_map, cancel=cancel, progress=progress
    )
    with _gc_frozen(), db.write() as conn:
        matcher = _Matcher(conn)
        taken: set[str] = set()  # the UIDs in use, read when the first contact is written
        while chunk := list(itertools.islice(records, CHUNK)):
            creating: list[Contact] = []
            updating: list[tuple[Contact, int]] = []
            for item in chunk:
                row = _classify(matcher, item, region)
                plan.add(row)
                if not isinstance(item, ImportRecord):
                    continue
                if row.match_id is None or on_match is OnMatch.CREATE:
                    creating.append(item.contact)
                elif on_match is OnMatch.UPDATE:
                    updating.append((item.contact, row.match_id))
                else:
                    skipped += 1
            if (creating or updating) and op is None:
                op = journal.begin_operation(conn, "import", label, when)
                taken = _stored_uids(conn)
            if op is not None:
                added += _create(conn, op, creating, taken, when)
                changed += _update(conn, op, updating, when)
    change = ChangeSet(label, added=tuple(added), changed=tuple(changed), operation_id=op)
    return plan, ImportResult(change, op, len(added), len(changed), skipped)


def merge_into(existing: Contact, incoming: Contact) -> Contact:
    """`existing` updated from an imported record: its filled fields win, lists are joined."""
    merged = copy.deepcopy(existing)
    if not incoming.name.is_empty():
        merged.name = copy.deepcopy(incoming.name)
    for attr in ("nickname", "org", "department", "title", "notes", "photo_mime"):
        value = getattr(incoming, attr)
        if value:
            setattr(merged, attr, value)
    for attr in ("birthday", "anniversary", "photo", "stage"):
        value = getattr(incoming, attr)
        if value is not None:
            setattr(merged, attr, value)
    emails = {normalise_email(e.value) for e in merged.emails}
    merged.emails += [e for e in incoming.emails if normalise_email(e.value) not in emails]
    phones = {p.e164 or p.value for p in merged.phones}
    merged.phones += [p for p in incoming.phones if (p.e164 or p.value) not in phones]
    merged.addresses += [a for a in incoming.addresses if a not in merged.addresses]
    merged.urls += [u for u in incoming.urls if u.value not in {x.value for x in merged.urls}]
    merged.events += [e for e in incoming.events if e not in merged.events]
    known_tags = {t.casefold() for t in merged.tags}
    merged.tags += [t for t in incoming.tags if t.casefold() not in known_tags]
    merged.custom.update(incoming.custom)
    merged.extra_vcard += [x for x in incoming.extra_vcard if x not in merged.extra_vcard]
    return merged


def commit(
    db: Database,
    plan: ImportPreview,
    on_match: OnMatch = OnMatch.SKIP,
    clock: Clock = SYSTEM_CLOCK,
) -> ImportResult:
    """Store a previewed import in one transaction, as one operation `kith undo` takes back.

    `clock` says when the operation and the contacts' times are recorded.
    """
    label = f"Import {plan.path.name}"
    creating = [c for c, m in plan.records if m is None or on_match is OnMatch.CREATE]
    updating = [(c, m) for c, m in plan.records if m is not None and on_match is OnMatch.UPDATE]
    skipped = sum(1 for _, m in plan.records if m is not None and on_match is OnMatch.SKIP)
    if not creating and not updating:
        return ImportResult(ChangeSet(label), None, 0, 0, skipped)
    with _gc_frozen(), db.write() as conn:
        when = clock.now()
        op = journal.begin_operation(conn, "import", label, when)
        added = _create(conn, op, creating, _stored_uids(conn), when)
        changed = _update(conn, op, updating, when)
    change = ChangeSet(label, added=tuple(added), changed=tuple(changed), operation_id=op)
    return ImportResult(change, op, len(added), len(changed), skipped)


@contextlib.contextmanager
def _gc_frozen() -> Iterator[None]:
    """Spare the collector from walking what lives through a bulk import, over and over."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _stored_uids(conn: Connection) -> set[str]:
    return set(conn.exec_driver_sql("SELECT uid FROM contacts").scalars().all())


def _create(
    conn: Connection, op: int, contacts: list[Contact], taken: set[str], when: datetime
) -> list[int]:
    """Store new contacts created at `when`; `taken` (the UIDs in use) gains theirs."""
    if not contacts:
        return []
    new_ids = contacts_repo.next_ids(conn, len(contacts))
    prepared = []
    for contact, new_id in zip(contacts, new_ids, strict=True):
        fresh = copy.copy(contact)
        if fresh.uid in taken:  # a copy made on purpose (on-match "create") needs its own UID
            fresh.uid = ""
        contacts_repo.prepare_new(fresh, new_id, when)
        taken.add(fresh.uid)
        prepared.append(fresh)
    chunks = (prepared[o : o + CHUNK] for o in range(0, len(prepared), CHUNK))
    contacts_repo.insert_stream(conn, chunks, import_op=op)
    journal.record_created(conn, op, new_ids)
    return new_ids


def _update(
    conn: Connection, op: int, pairs: list[tuple[Contact, int]], when: datetime
) -> list[int]:
    changed: list[int] = []
    for incoming, contact_id in pairs:
        before = contacts_repo.get(conn, contact_id)
        if before is None:
            continue
        after = merge_into(before, incoming)
        if after == before:
            continue
        after.updated_at = when
        contacts_repo.replace(conn, after)
        journal.record(conn, op, before, after)
        changed.append(contact_id)
    return changed
