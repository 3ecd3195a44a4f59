"""What an import's preview says: per record a row (new, a match and why, or a problem), and
exact counts however many rows it keeps.

Split from `importer.py`, which makes these; the window's preview table and `kith import
--dry-run --json` read them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from app.core.domain.contact import Contact
from app.core.services.import_match import FileMatch


class Status(enum.StrEnum):
    """What the preview says of one record."""

    NEW = "new"
    MATCH = "match"
    PROBLEM = "problem"


@dataclass(frozen=True, slots=True)
class RowsKept:
    """Which preview rows an import keeps (its counts are always exact).

    Attributes:
        every: keep every record's row (`kith import --dry-run --json` lists them all).
        sample: otherwise, how many of the first rows with nothing to say are kept too.
        limit: at most this many rows in all; None for no limit.
    """

    every: bool = False
    sample: int = 0
    limit: int | None = None


EVERY_ROW = RowsKept(every=True)
"""A row per record."""
PROBLEM_ROWS = RowsKept()
"""Only the rows of problems and warnings: what a report of a large import needs."""
PREVIEW_TABLE = RowsKept(sample=1000, limit=10_000)
"""The window's preview table: the first thousand records and the problems, bounded."""


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
    candidate_id: int | None = None
    """The stored contact the record is, or shares something with (a near match stays new)."""
    candidate_name: str = ""
    score: float | None = None
    """How likely (0-1) the record is the candidate."""
    reasons: tuple[str, ...] = ()
    file_match: FileMatch | None = None
    """An earlier record of the same file that is probably the same person."""

    @property
    def noteworthy(self) -> bool:
        """Whether the row has something to say (a problem, a warning, a match or near match)."""
        return (
            self.status is Status.PROBLEM
            or bool(self.warnings)
            or self.candidate_id is not None
            or self.file_match is not None
        )


@dataclass(slots=True)
class ImportPreview:
    """What an import would do (a dry run), or did; `commit` applies a kept preview."""

    path: Path
    format: str
    rows: list[PreviewRow] = field(default_factory=list)
    """The rows `kept` says: every record's, or those with something to say (and a sample)."""
    records: list[tuple[Contact, int | None]] = field(default_factory=list)
    """Every record and its match, only in a preview made to be committed (`preview`)."""
    kept: RowsKept = EVERY_ROW
    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))
    warned: int = 0
    """Records that were read, with warnings (an invalid phone, say)."""
    _plain: int = 0

    @property
    def all_rows(self) -> bool:
        """Whether every record's row is kept."""
        return self.kept.every

    def add(self, row: PreviewRow) -> None:
        """Count a record's row, and keep it if `kept` says so.

        A million plain new records are a count, not a million rows held until the report.
        """
        self.counts[row.status] += 1
        if row.warnings and row.status is not Status.PROBLEM:
            self.warned += 1
        if self.kept.limit is not None and len(self.rows) >= self.kept.limit:
            return
        if self.kept.every or row.noteworthy:
            self.rows.append(row)
        elif self._plain < self.kept.sample:
            self._plain += 1
            self.rows.append(row)

    @property
    def total(self) -> int:
        """Records in the file, read or not."""
        return sum(self.counts.values())

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
