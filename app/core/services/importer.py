"""Import as one operation: a preview of what will happen, then one transaction and one undo.

A record is matched as the duplicate scan matches (`import_match`): candidates share its UID, an
email, a phone or its name, and only the same UID or a probable match (scored by
`app.core.dedupe`) is a match; a shared switchboard alone leaves a record new, with the shared
number as a reason. The preview says, per record, whether it is new, matches a contact (which,
how likely, and why), or could not be read (with its line and why); the import applies
`on_match` (skip, update, merge or create) to the matches, or a choice per record.

`import_file` is the one way in, for `kith import` and the window alike: with `dry_run` it is
the preview (counts, problems and a bounded sample of rows; nothing kept per record, so memory
stays flat however large the file), without it the import itself, streaming the file into
one transaction a chunk at a time, with progress and Cancel through a `TaskControl`.
`preview` (keeping every record) and `commit` remain for callers that must store exactly what
they previewed.
"""

from __future__ import annotations

import contextlib
import copy
import enum
import gc
import itertools
import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.domain.contact import Contact
from app.core.domain.normalise import is_valid_email, phone_problem
from app.core.errors import UserFacingError
from app.core.formats import ImportProblem, ImportRecord, detect_format, read_records
from app.core.services.contacts import ChangeSet
from app.core.services.import_match import ImportMatcher
from app.core.services.import_merge import merge_into, merge_keeping
from app.core.services.import_preview import (
    EVERY_ROW,
    PROBLEM_ROWS,
    ImportPreview,
    PreviewRow,
    RowsKept,
    Status,
)
from app.core.storage import contacts_repo, journal
from app.core.storage.database import Database
from app.core.tasks import Cancelled, TaskControl

if TYPE_CHECKING:
    from sqlalchemy import Connection

CHUNK = 2000
"""Records matched and stored together: parsing (in worker processes) overlaps storing."""
STEP = 500
"""Records between two progress reports (each also a chance to cancel)."""


class OnMatch(enum.StrEnum):
    """What to do with a record that matches a stored contact."""

    SKIP = "skip"
    UPDATE = "update"
    CREATE = "create"
    MERGE = "merge"
    """Keep every value of both: the stored contact's single values win, lists are joined."""


class ImportCancelledError(UserFacingError, Cancelled):
    """The user cancelled the import; nothing was stored.

    A `Cancelled` too, so a task runner that stops any cancelled task stops this one.
    """


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What a committed import did."""

    change: ChangeSet
    operation_id: int | None
    created: int
    updated: int
    skipped: int


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
    control: TaskControl | None,
    expected: int = 0,
) -> Iterator[ImportRecord | ImportProblem]:
    """The file's records, reporting progress (and noticing a cancel) every STEP of them.

    Raises:
        ImportCancelledError: the control was cancelled; the caller's transaction rolls back.
    """
    reader = read_records(path, format=fmt, region=region, column_map=column_map)
    for n, item in enumerate(reader):
        if control is not None and n % STEP == 0:
            try:
                control.step(n, expected)
            except Cancelled:
                raise ImportCancelledError(
                    "The import was cancelled; nothing was stored."
                ) from None
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


def import_file(
    db: Database,
    path: Path,
    *,
    region: str,
    format: str = "auto",
    on_match: OnMatch = OnMatch.SKIP,
    column_map: dict[str, str] | None = None,
    dry_run: bool = False,
    control: TaskControl | None = None,
    rows: RowsKept = PROBLEM_ROWS,
    expected: int = 0,
    clock: Clock = SYSTEM_CLOCK,
    choices: Mapping[int, OnMatch] | None = None,
) -> tuple[ImportPreview, ImportResult | None]:
    """Import `path`, or with `dry_run` say what importing it would do: the one way in.

    Both read the file as a stream and match each record against the contacts stored before
    the import. A dry run stores nothing and keeps no records, only the counts and the `rows`
    asked for, so a preview of 100,000 cards holds no more than a few thousand rows. An
    import writes a chunk at a time into one transaction and one journal operation, which
    one undo takes back.

    Args:
        control: told the records read so far, out of `expected` (0: unknown), every STEP
            records; a cancel raises ImportCancelledError and nothing is stored.
        rows: which rows the returned preview keeps.
        on_match: what to do with a record that matches a stored contact.
        choices: per record (by its line), what to do with it instead: SKIP, CREATE, or
            UPDATE / MERGE into its match or, for a near match, its candidate.

    Returns:
        The preview (what was read, and how each record matched) and, unless `dry_run`,
        what the import did.

    Raises:
        ImportCancelledError: the control was cancelled; the store is as it was.
        UserFacingError: the file cannot be read at all (a pipe, an unknown format).
    """
    fmt = _format_of(path, format)
    plan = ImportPreview(path, fmt, kept=rows)
    records = _records(
        path, fmt, region=region, column_map=column_map, control=control, expected=expected
    )
    if dry_run:
        _dry_run(db, plan, records, region, keep_records=False)
        return plan, None
    return plan, _store(
        db, plan, records, region=region, on_match=on_match, clock=clock, choices=choices or {}
    )


def _dry_run(
    db: Database,
    plan: ImportPreview,
    records: Iterator[ImportRecord | ImportProblem],
    region: str,
    *,
    keep_records: bool,
) -> None:
    with db.read() as conn:
        matcher = ImportMatcher(conn)
        while chunk := list(itertools.islice(records, CHUNK)):
            matcher.prefetch(i.contact for i in chunk if isinstance(i, ImportRecord))
            for item in chunk:
                row = _classify(matcher, item, region)
                plan.add(row)
                if keep_records and isinstance(item, ImportRecord):
                    plan.records.append((item.contact, row.match_id))


def preview(
    db: Database,
    path: Path,
    *,
    format: str = "auto",
    region: str,
    column_map: dict[str, str] | None = None,
    control: TaskControl | None = None,
    keep_records: bool = True,
    all_rows: bool = True,
) -> ImportPreview:
    """Read `path` and say, per record, what importing it would do. Stores nothing.

    Without `keep_records` this is `import_file(dry_run=True)`. With it, the preview also
    keeps every record for `commit`, which stores exactly what was previewed (memory grows
    with the file: the window and `kith import` use `import_file` instead).
    """
    rows = EVERY_ROW if all_rows else PROBLEM_ROWS
    if not keep_records:
        plan, _ = import_file(
            db, path, format=format, region=region, column_map=column_map, dry_run=True,
            control=control, rows=rows,
        )  # fmt: skip
        return plan
    fmt = _format_of(path, format)
    plan = ImportPreview(path, fmt, kept=rows)
    records = _records(path, fmt, region=region, column_map=column_map, control=control)
    _dry_run(db, plan, records, region, keep_records=True)
    return plan


def _classify(
    matcher: ImportMatcher, item: ImportRecord | ImportProblem, region: str
) -> PreviewRow:
    """The preview's row for one record: new, a match (and with what), or a problem."""
    if isinstance(item, ImportProblem):
        return PreviewRow(item.line, "", Status.PROBLEM, item.reason)
    verdict = matcher.match(item.contact, item.line)
    warnings = tuple(_checked(item, region))
    said = []
    if verdict.candidate_id is not None:
        why = ", ".join(verdict.reasons)
        if verdict.match_id is not None:
            said.append(f"matches {verdict.candidate_name} ({verdict.score:.0%}): {why}")
        else:
            said.append(f"new; shares with {verdict.candidate_name} ({verdict.score:.0%}): {why}")
    if verdict.file_match is not None:
        twin = verdict.file_match
        said.append(
            f"probably the same person as line {twin.line} ({twin.display_name}, "
            f"{twin.score:.0%}): {', '.join(twin.reasons)}"
        )
    status = Status.NEW if verdict.match_id is None else Status.MATCH
    return PreviewRow(
        item.line, item.contact.display_name, status, "; ".join([*said, *warnings]),
        verdict.match_id, warnings, verdict.candidate_id, verdict.candidate_name,
        verdict.score, verdict.reasons, verdict.file_match,
    )  # fmt: skip


def match_json(row: PreviewRow) -> dict[str, object]:
    """A row's match, for `kith import --dry-run --json`: candidate, score, reasons, twin."""
    twin = row.file_match
    return {
        "candidate_id": row.candidate_id,
        "candidate_name": row.candidate_name or None,
        "score": row.score,
        "reasons": list(row.reasons),
        "file_match": None
        if twin is None
        else {"line": twin.line, "display_name": twin.display_name, "score": twin.score,
              "reasons": list(twin.reasons)},
    }  # fmt: skip


def _decide(
    row: PreviewRow, on_match: OnMatch, choices: Mapping[int, OnMatch]
) -> tuple[OnMatch, int | None]:
    """What to do with a read record, and into which stored contact for an update or merge."""
    choice = choices.get(row.line)
    if choice is None:
        return (OnMatch.CREATE, None) if row.match_id is None else (on_match, row.match_id)
    target = row.match_id if row.match_id is not None else row.candidate_id
    if choice in (OnMatch.UPDATE, OnMatch.MERGE) and target is None:
        return OnMatch.CREATE, None
    return choice, target


def run(
    db: Database,
    path: Path,
    *,
    format: str = "auto",
    region: str,
    on_match: OnMatch = OnMatch.SKIP,
    column_map: dict[str, str] | None = None,
    control: TaskControl | None = None,
    all_rows: bool = True,
    clock: Clock = SYSTEM_CLOCK,
) -> tuple[ImportPreview, ImportResult]:
    """Read and store `path` in one pass: `import_file` without `dry_run`.

    The returned preview keeps no records, and with `all_rows` False only the rows of
    problems and warnings (what a report of a large import needs).
    """
    plan, result = import_file(
        db, path, format=format, region=region, on_match=on_match, column_map=column_map,
        control=control, rows=EVERY_ROW if all_rows else PROBLEM_ROWS, clock=clock,
    )  # fmt: skip
    assert result is not None  # not a dry run
    return plan, result


def _store(
    db: Database,
    plan: ImportPreview,
    records: Iterator[ImportRecord | ImportProblem],
    *,
    region: str,
    on_match: OnMatch,
    clock: Clock,
    choices: Mapping[int, OnMatch],
) -> ImportResult:
    """Match and store the records a chunk at a time, in one transaction and one operation."""
    label = f"Import {plan.path.name}"
    added: list[int] = []
    changed: list[int] = []
    skipped = 0
    op: int | None = None
    when = clock.now()  # the one time the whole import is recorded at
    with _gc_frozen(), db.write() as conn:
        matcher = ImportMatcher(conn)
        taken: set[str] = set()  # the UIDs in use, read when the first contact is written
        while chunk := list(itertools.islice(records, CHUNK)):
            matcher.prefetch(i.contact for i in chunk if isinstance(i, ImportRecord))
            creating: list[Contact] = []
            updating: list[tuple[Contact, int, OnMatch]] = []
            for item in chunk:
                row = _classify(matcher, item, region)
                plan.add(row)
                if not isinstance(item, ImportRecord):
                    continue
                choice, target = _decide(row, on_match, choices)
                if choice is OnMatch.CREATE or target is None:
                    creating.append(item.contact)
                elif choice is OnMatch.SKIP:
                    skipped += 1
                else:
                    updating.append((item.contact, target, choice))
            if (creating or updating) and op is None:
                op = journal.begin_operation(conn, "import", label, when)
                taken = _stored_uids(conn)
            if op is not None:
                added += _create(conn, op, creating, taken, when)
                changed += _update(conn, op, updating, when)
    change = ChangeSet(label, added=tuple(added), changed=tuple(changed), operation_id=op)
    return ImportResult(change, op, len(added), len(changed), skipped)


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
    updating = [
        (c, m, on_match)
        for c, m in plan.records
        if m is not None and on_match in (OnMatch.UPDATE, OnMatch.MERGE)
    ]
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
    conn: Connection, op: int, pairs: Sequence[tuple[Contact, int, OnMatch]], when: datetime
) -> list[int]:
    changed: list[int] = []
    for incoming, contact_id, how in pairs:
        before = contacts_repo.get(conn, contact_id)
        if before is None:
            continue
        after = (merge_keeping if how is OnMatch.MERGE else merge_into)(before, incoming)
        if after == before:
            continue
        after.updated_at = when
        contacts_repo.replace(conn, after)
        journal.record(conn, op, before, after)
        changed.append(contact_id)
    return changed
