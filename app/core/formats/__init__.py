"""Contact files: vCard 2.1/3.0/4.0 and CSV dialects read to Contacts, and written from them.

Pure Python, no Qt. Readers stream records and never stop at a bad one: it becomes an
ImportProblem. Whole-file faults (too large, unreadable, not a contact file) raise
UserFacingError.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from app.core.domain.contact import Contact
from app.core.errors import UserFacingError
from app.core.formats.csv_dialects import dialect_of
from app.core.formats.csv_reader import csv_header, read_csv
from app.core.formats.csv_sniff import SAMPLE, sniff_delimiter, sniff_encoding
from app.core.formats.csv_writer import write_csv
from app.core.formats.limits import DEFAULT_LIMITS, Limits
from app.core.formats.records import ImportProblem, ImportRecord
from app.core.formats.spool import readable, too_large
from app.core.formats.vcard_reader import read_vcards
from app.core.formats.vcard_writer import write_vcards

FORMATS = ("vcard", "outlook-csv", "google-csv", "csv")
EXPORT_FORMATS = ("vcard", "vcard4", "outlook-csv", "google-csv")

__all__ = [
    "DEFAULT_LIMITS",
    "EXPORT_FORMATS",
    "FORMATS",
    "ImportProblem",
    "ImportRecord",
    "Limits",
    "csv_headers",
    "detect_format",
    "read_records",
    "readable",
    "reimport_warning",
    "write_contacts",
]


def _sample_text(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            sample = stream.read(SAMPLE)
    except OSError as error:
        raise UserFacingError(f"{path.name} could not be read: {error.strerror}.") from error
    if not sample.strip():
        raise UserFacingError(f"{path.name} is empty.")
    return sample.decode(sniff_encoding(sample), errors="replace").lstrip("\ufeff")


def detect_format(path: Path) -> str:
    """The format of the file at `path`: one of FORMATS.

    Raises:
        UserFacingError: the file cannot be read, is empty, or is neither vCard nor CSV.
    """
    text = _sample_text(path)
    if "BEGIN:VCARD" in text.upper():
        return "vcard"
    first = text.splitlines()[0] if text.splitlines() else ""
    if "\0" not in text:
        delimiter = sniff_delimiter(first)
        headers = [h.strip().strip('"') for h in first.split(delimiter)]
        if len(headers) >= 2:
            return dialect_of(headers)
    raise UserFacingError(
        f"{path.name} is neither a vCard (.vcf) nor a CSV file of contacts; "
        "export your contacts as one of these and try again."
    )


def read_records(
    path: Path,
    *,
    format: str = "auto",
    region: str = "US",
    column_map: dict[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    workers: int | None = None,
) -> Iterator[ImportRecord | ImportProblem]:
    """The records of a contact file, streamed in file order.

    Args:
        path: the file.
        format: "auto" or one of FORMATS.
        region: the ISO country whose numbering applies to phone numbers without a country code.
        column_map: CSV header to Kith field ("given", "email", "custom:NAME", ...); overrides
            the automatic mapping, and is the whole mapping for format "csv".
        limits: bounds on size, lines, photos, nesting and record count.
        workers: vCard parsing processes; None picks by file size, 1 parses inline.

    Raises:
        UserFacingError: the file as a whole cannot be read (too large, unreadable, not a
            contact file); a bad record is yielded as an ImportProblem instead.
    """
    if format != "auto" and format not in FORMATS:
        raise UserFacingError(f"{format!r} is not a format Kith reads; use one of {FORMATS}.")
    with readable(path, limits) as source:
        yield from _read_source(
            source,
            format=format,
            region=region,
            column_map=column_map,
            limits=limits,
            workers=workers,
        )


def _read_source(
    path: Path,
    *,
    format: str,
    region: str,
    column_map: dict[str, str] | None,
    limits: Limits,
    workers: int | None,
) -> Iterator[ImportRecord | ImportProblem]:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UserFacingError(f"{path} could not be read: {error.strerror}.") from error
    if size > limits.max_file_bytes:
        raise too_large(path.name, limits)
    kind = detect_format(path) if format == "auto" else format
    try:
        if kind == "vcard":
            found = False
            for item in read_vcards(path, region, limits, workers):
                found = True
                yield item
            if not found:
                raise UserFacingError(f"{path.name} holds no vCard (no BEGIN:VCARD line).")
            return
        yield from read_csv(path, format, region, column_map, limits)
    except UnicodeError as error:
        raise UserFacingError(f"{path.name} could not be read as a CSV file: {error}.") from error
    except OSError as error:
        raise UserFacingError(
            f"{path.name} could not be read: {error.strerror or error}."
        ) from error


def csv_headers(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """The decoded header cells of a CSV file, for the column-map editor."""
    return csv_header(path, limits)


def reimport_warning(count: int, size: int, limits: Limits = DEFAULT_LIMITS) -> str:
    """A sentence when an export of `count` contacts in `size` bytes is past what Kith imports.

    Exports are for other programs too, so they are written anyway; Kith says that this one
    will not come back in one piece.
    """
    if size > limits.max_file_bytes or count > limits.max_records:
        return (
            f"This export ({size / 2**20:,.0f} MB, {count:,} contacts) is larger than Kith "
            f"imports in one file ({limits.max_file_bytes // 2**20:,} MB, "
            f"{limits.max_records:,} contacts); to import it into Kith again, export it in parts "
            "(by tag or segment)."
        )
    return ""


def write_contacts(contacts: Iterable[Contact], format: str, out: BinaryIO) -> int:
    """Write `contacts` to `out` in one of EXPORT_FORMATS; returns how many were written.

    Raises:
        UserFacingError: `format` is not an export format.
    """
    if format in ("vcard", "vcard3"):
        return write_vcards(contacts, out, v4=False)
    if format == "vcard4":
        return write_vcards(contacts, out, v4=True)
    if format in ("outlook-csv", "google-csv"):
        return write_csv(contacts, out, google=format == "google-csv")
    raise UserFacingError(f"{format!r} is not an export format; use one of {EXPORT_FORMATS}.")
